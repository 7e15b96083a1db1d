"""System stats and housekeeping through the bindings: the same rules as
/api/system/stats/ and `taskcore-server maintenance cleanup`."""

from __future__ import annotations

import datetime

import pytest

import taskcore
from conftest import PASSWORD, Team

UTC = datetime.timezone.utc


def test_record_sample_reads_this_machine(db: taskcore.Database, team: Team) -> None:
    before = datetime.datetime.now(UTC) - datetime.timedelta(seconds=5)
    sample = db.stats.record_sample()
    assert isinstance(sample, taskcore.SystemSample)
    assert sample.id > 0 and sample.timestamp >= before
    assert sample.hostname
    assert sample.memory_total_bytes is not None and sample.memory_total_bytes > 0
    assert sample.memory_used_bytes is not None
    assert 0 <= sample.memory_used_bytes <= sample.memory_total_bytes
    assert sample.memory_percent is not None and 0 <= sample.memory_percent <= 100
    assert sample.load_avg_1 is not None and sample.load_avg_1 >= 0
    # The media directory's file system.
    assert sample.disk_total_bytes is not None and sample.disk_total_bytes > 0
    assert sample.disk_percent is not None and 0 <= sample.disk_percent <= 100
    # The first reading since open has no interval to measure the CPU over,
    # or one of a few microseconds; either way it is a percentage or None.
    assert sample.cpu_percent is None or 0 <= sample.cpu_percent <= 100
    assert db.stats.latest(team.admin) == sample


def test_reads_are_for_admins(db: taskcore.Database, team: Team) -> None:
    with pytest.raises(taskcore.NotFound):
        db.stats.latest(team.admin)
    db.stats.record_sample()
    for caller in (team.manager, team.member, team.viewer):
        with pytest.raises(taskcore.PermissionDenied):
            db.stats.list(caller)
        with pytest.raises(taskcore.PermissionDenied):
            db.stats.latest(caller)
        with pytest.raises(taskcore.PermissionDenied):
            db.stats.aggregated(caller)


def test_list_filters_and_pages(db: taskcore.Database, team: Team) -> None:
    samples = [db.stats.record_sample() for _ in range(5)]
    page = db.stats.list(team.admin, page_size=2)
    assert page.count == 5 and page.has_next and len(page.results) == 2
    assert [s.id for s in page.results] == sorted((s.id for s in samples), reverse=True)[:2]
    host = samples[0].hostname
    assert db.stats.list(team.admin, hostname=host).count == 5
    assert db.stats.list(team.admin, hostname="no-such-host").count == 0
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    assert db.stats.list(team.admin, start=tomorrow).count == 0
    assert db.stats.latest(team.admin, hostname=host).id == max(s.id for s in samples)
    with pytest.raises(taskcore.ValidationError) as bad:
        db.stats.list(team.admin, start="not a date")
    assert "start" in bad.value.field_errors


def test_aggregated_buckets(db: taskcore.Database, team: Team) -> None:
    samples = [db.stats.record_sample() for _ in range(3)]
    hourly = db.stats.aggregated(team.admin)
    assert isinstance(hourly, taskcore.StatsAggregate)
    assert hourly.interval == "hour"
    assert sum(b.samples for b in hourly.buckets) == 3
    daily = db.stats.aggregated(team.admin, interval="day")
    assert daily.interval == "day" and len(daily.buckets) in (1, 2)
    bucket = daily.buckets[-1]
    used = [s.memory_used_bytes for s in samples if s.memory_used_bytes is not None]
    if len(daily.buckets) == 1:
        assert bucket.values["memory_used_bytes_min"] == min(used)
        assert bucket.values["memory_used_bytes_max"] == max(used)
        assert bucket.values["memory_used_bytes_avg"] == pytest.approx(sum(used) / len(used))
    assert set(bucket.values) == {f"{field}_{kind}" for field in (
        "cpu_percent", "memory_percent", "memory_used_bytes", "memory_total_bytes",
        "disk_percent", "disk_used_bytes", "disk_total_bytes", "load_avg_1")
        for kind in ("avg", "min", "max")}
    with pytest.raises(taskcore.ValidationError) as bad:
        db.stats.aggregated(team.admin, interval="week")
    assert bad.value.field_errors["interval"] == [
        "Select a valid choice. week is not one of the available choices."]


def test_retention_and_cleanup_on_fresh_data_change_nothing(db: taskcore.Database,
                                                            team: Team) -> None:
    db.stats.record_sample()
    login = db.auth.login("member", PASSWORD)
    assert db.stats.apply_retention() == taskcore.RetentionReport(0, 0, 0)
    report = db.maintenance.cleanup()
    assert isinstance(report, taskcore.CleanupReport)
    assert report.stats == taskcore.RetentionReport(0, 0, 0)
    assert report.sessions_deleted == 0 and report.reset_tokens_deleted == 0
    assert db.stats.list(team.admin).count == 1
    assert db.auth.authenticate(login.tokens.access).user_id == team.member.id
