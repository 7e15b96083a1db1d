"""Realtime: subscriptions, rooms, callbacks, notifications, replay, wait."""

from __future__ import annotations

import threading
import time
from typing import List, Optional

import pytest

import taskcore
from conftest import Team

TIMEOUT = 10.0  # generous bound for anything expected to arrive
TASK_EVENTS = ("task_created", "task_updated", "task_deleted", "notification")


def next_task_event(sub: taskcore.Subscription, timeout: float = TIMEOUT) -> taskcore.Event:
    """The next event that is not presence (user_joined / user_left)."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        assert left > 0, "no task event arrived in time"
        event = sub.get(timeout=left)
        assert event is not None, "no task event arrived in time"
        if event.type in TASK_EVENTS:
            return event


def drain(sub: taskcore.Subscription, quiet: float = 0.05) -> List[taskcore.Event]:
    return list(sub.events(timeout=quiet))


def test_subscribe_rooms(db: taskcore.Database, team: Team) -> None:
    with db.realtime.subscribe(team.member) as sub:
        assert isinstance(sub, taskcore.Subscription)
        assert sub.rooms == [f"user_{team.member.id}", "tasks"]
        assert sub.closed is False
        assert sub.overflowed is False
        presence = [e for e in drain(sub)]
        assert {(e.type, e.room, e.user_id) for e in presence} == {
            ("user_joined", f"user_{team.member.id}", team.member.id),
            ("user_joined", "tasks", team.member.id)}
        assert all(e.sequence == 0 for e in presence)
    assert sub.closed is True


def test_subscribe_to_no_rooms_keeps_the_user_room(db: taskcore.Database, team: Team) -> None:
    with db.realtime.subscribe(team.member, []) as sub:
        assert sub.rooms == [f"user_{team.member.id}"]


def test_task_events(db: taskcore.Database, team: Team) -> None:
    with db.realtime.subscribe(team.viewer) as sub:
        task = db.tasks.create(team.manager, "Watched", priority="high")
        created = next_task_event(sub)
        assert isinstance(created, taskcore.Event)
        assert (created.type, created.room, created.task_id) == ("task_created", "tasks", task.id)
        assert created.task == task
        assert isinstance(created.task, taskcore.Task)
        assert created.actor_id == team.manager.id
        assert created.sequence > 0
        assert created.at.utcoffset() is not None
        assert created.notification is None

        updated_task = db.tasks.update(team.manager, task.id, status="done")
        updated = next_task_event(sub)
        assert (updated.type, updated.task_id) == ("task_updated", task.id)
        assert updated.task == updated_task
        assert updated.task is not None and updated.task.status == "done"
        assert updated.sequence > created.sequence

        db.tasks.delete(team.manager, task.id)
        deleted = next_task_event(sub)
        assert (deleted.type, deleted.task_id, deleted.task) == ("task_deleted", task.id, None)
        assert deleted.sequence > updated.sequence
        assert sub.cursor == deleted.sequence
        assert db.realtime.cursor() == deleted.sequence


def test_events_stops_after_timeout(db: taskcore.Database, team: Team) -> None:
    with db.realtime.subscribe(team.viewer) as sub:
        drain(sub)
        db.tasks.create(team.manager, "one")
        db.tasks.create(team.manager, "two")
        start = time.monotonic()
        got = [e.task.title for e in sub.events(timeout=0.3) if e.task is not None]
        elapsed = time.monotonic() - start
        assert got == ["one", "two"]
        assert 0.25 <= elapsed < 5.0


def test_get_returns_none_on_timeout(db: taskcore.Database, team: Team) -> None:
    with db.realtime.subscribe(team.viewer) as sub:
        drain(sub)
        start = time.monotonic()
        assert sub.get(timeout=0.2) is None
        assert 0.15 <= time.monotonic() - start < 5.0


def test_get_with_zero_timeout_polls(db: taskcore.Database, team: Team) -> None:
    with db.realtime.subscribe(team.viewer) as sub:
        drain(sub)
        task = db.tasks.create(team.manager, "pending")
        # the event is committed and queued before create() returns
        event = sub.get(timeout=0)
        assert event is not None and event.task_id == task.id


def test_iterating_a_subscription(db: taskcore.Database, team: Team) -> None:
    with db.realtime.subscribe(team.viewer) as sub:
        task = db.tasks.create(team.manager, "iterated")
        for event in sub:
            if event.type == "task_created":
                assert event.task_id == task.id
                break


def test_callback_receives_events_on_another_thread(db: taskcore.Database,
                                                    team: Team) -> None:
    received: List[taskcore.Event] = []
    threads: List[threading.Thread] = []
    arrived = threading.Event()

    def on_event(event: taskcore.Event) -> None:
        threads.append(threading.current_thread())
        received.append(event)
        if event.type == "task_created":
            arrived.set()

    sub = db.realtime.subscribe(team.viewer, callback=on_event)
    try:
        task = db.tasks.create(team.manager, "called back")
        assert arrived.wait(TIMEOUT)
        created = [e for e in received if e.type == "task_created"]
        assert [e.task_id for e in created] == [task.id]
        assert all(t is not threading.main_thread() for t in threads)
        assert {t.name for t in threads} == {"taskcore-events"}
        with pytest.raises(RuntimeError):
            sub.on_event(on_event)
    finally:
        sub.close()
    assert all(not t.is_alive() for t in threads)


def test_on_event_after_subscribe(db: taskcore.Database, team: Team) -> None:
    arrived = threading.Event()
    ids: List[int] = []

    def on_event(event: taskcore.Event) -> None:
        if event.type == "task_created":
            ids.append(event.task_id)
            arrived.set()

    with db.realtime.subscribe(team.viewer) as sub:
        sub.on_event(on_event)
        task = db.tasks.create(team.manager, "late callback")
        assert arrived.wait(TIMEOUT)
        assert ids == [task.id]


def test_project_rooms_get_only_their_project(db: taskcore.Database, team: Team) -> None:
    with db.realtime.subscribe(team.viewer, ["project_x"]) as sub:
        assert sub.rooms == [f"user_{team.viewer.id}", "project_x"]
        db.tasks.create(team.manager, "in y", project="y")
        db.tasks.create(team.manager, "no project")
        in_x = db.tasks.create(team.manager, "in x", project="x")
        event = next_task_event(sub)
        assert (event.type, event.room, event.task_id) == ("task_created", "project_x", in_x.id)
        assert [e for e in drain(sub) if e.type in TASK_EVENTS] == []


def test_join_and_leave(db: taskcore.Database, team: Team) -> None:
    with db.realtime.subscribe(team.viewer, []) as sub:
        sub.join("tasks")
        sub.join("project_apollo")
        assert sub.rooms == [f"user_{team.viewer.id}", "tasks", "project_apollo"]
        sub.leave("tasks")
        assert sub.rooms == [f"user_{team.viewer.id}", "project_apollo"]
        drain(sub)
        db.tasks.create(team.manager, "unseen")
        seen = db.tasks.create(team.manager, "seen", project="apollo")
        assert next_task_event(sub).task_id == seen.id


def test_joining_another_users_room(db: taskcore.Database, team: Team) -> None:
    other = f"user_{team.member2.id}"
    with db.realtime.subscribe(team.member) as sub:
        with pytest.raises(taskcore.PermissionDenied) as info:
            sub.join(other)
        assert isinstance(info.value, PermissionError)
        assert other not in sub.rooms
        sub.join(f"user_{team.member.id}")  # one's own room is fine
    before = db.realtime.stats().subscribers
    with pytest.raises(taskcore.PermissionDenied):
        db.realtime.subscribe(team.member, [other])
    assert db.realtime.stats().subscribers == before
    with db.realtime.subscribe(team.admin, [other]) as admin_sub:
        assert other in admin_sub.rooms


@pytest.mark.parametrize("room", ["bogus", "project_", "user_abc", ""])
def test_bad_room_names(db: taskcore.Database, team: Team, room: str) -> None:
    with db.realtime.subscribe(team.member) as sub:
        with pytest.raises(taskcore.ValidationError) as info:
            sub.join(room)
        assert list(info.value.field_errors) == ["room"]


def test_subscribe_needs_a_caller(db: taskcore.Database) -> None:
    with pytest.raises(taskcore.NotAuthenticated):
        db.realtime.subscribe(None)  # type: ignore[arg-type]


def test_assignment_notifies_the_assignee(db: taskcore.Database, team: Team) -> None:
    with db.realtime.subscribe(team.member, []) as sub:
        drain(sub)
        task = db.tasks.create(team.manager, "For you")
        db.tasks.update(team.manager, task.id, assigned_to=team.member)
        events = [next_task_event(sub), next_task_event(sub)]
        by_type = {e.type: e for e in events}
        assert set(by_type) == {"task_updated", "notification"}
        note_event = by_type["notification"]
        assert note_event.room == f"user_{team.member.id}"
        assert note_event.task_id == task.id
        note = note_event.notification
        assert isinstance(note, taskcore.Notification)
        assert note.type == "task_assigned"
        assert note.task_id == task.id
        assert "For you" in note.message
        assert by_type["task_updated"].task is not None
        assert by_type["task_updated"].task.assigned_to == team.member.id


def test_creating_an_assigned_task_notifies(db: taskcore.Database, team: Team) -> None:
    with db.realtime.subscribe(team.member2, []) as sub:
        drain(sub)
        task = db.tasks.create(team.manager, "Assigned at birth", assigned_to=team.member2)
        notes = [e for e in (next_task_event(sub), next_task_event(sub))
                 if e.type == "notification"]
        assert len(notes) == 1
        assert notes[0].notification is not None
        assert notes[0].notification.type == "task_assigned"
        assert notes[0].task_id == task.id


def test_replay(db: taskcore.Database, team: Team) -> None:
    start = db.realtime.cursor()
    a = db.tasks.create(team.manager, "a")
    assert db.realtime.cursor() > start
    b = db.tasks.create(team.manager, "b", assigned_to=team.member)
    db.tasks.delete(team.manager, a.id)

    batch = db.realtime.replay(team.viewer, ["tasks"], start)
    assert isinstance(batch, taskcore.EventBatch)
    assert [(e.type, e.task_id) for e in batch.events] == [
        ("task_created", a.id), ("task_created", b.id), ("task_deleted", a.id)]
    assert all(e.room == "tasks" for e in batch.events)
    assert batch.cursor == db.realtime.cursor()
    seqs = [e.sequence for e in batch.events]
    assert seqs == sorted(seqs) and seqs[0] > start

    # after the first event only
    rest = db.realtime.replay(team.viewer, ["tasks"], seqs[0])
    assert [e.sequence for e in rest.events] == seqs[1:]
    # nothing after the newest cursor
    empty = db.realtime.replay(team.viewer, ["tasks"], batch.cursor)
    assert (empty.events, empty.cursor) == ([], batch.cursor)
    # the limit
    limited = db.realtime.replay(team.viewer, ["tasks"], start, limit=1)
    assert [e.task_id for e in limited.events] == [a.id]
    assert limited.cursor == seqs[0]
    # a user's own room holds its notification
    own = db.realtime.replay(team.member, [f"user_{team.member.id}"], start)
    assert "notification" in [e.type for e in own.events]
    assert all(e.room == f"user_{team.member.id}" for e in own.events)


def test_replay_errors(db: taskcore.Database, team: Team) -> None:
    with pytest.raises(taskcore.PermissionDenied):
        db.realtime.replay(team.member, [f"user_{team.admin.id}"], 0)
    with pytest.raises(taskcore.ValidationError) as info:
        db.realtime.replay(team.member, ["tasks"], -5)
    assert list(info.value.field_errors) == ["cursor"]
    with pytest.raises(taskcore.ValidationError):
        db.realtime.replay(team.member, ["no such room"], 0)
    with pytest.raises(taskcore.NotAuthenticated):
        db.realtime.replay(None, ["tasks"], 0)  # type: ignore[arg-type]


def test_wait_times_out_with_an_empty_batch(db: taskcore.Database, team: Team) -> None:
    cursor = db.realtime.cursor()
    start = time.monotonic()
    batch = db.realtime.wait(team.viewer, ["tasks"], cursor, 0.3)
    elapsed = time.monotonic() - start
    assert (batch.events, batch.cursor) == ([], cursor)
    assert 0.25 <= elapsed < 5.0


def test_wait_returns_at_once_when_events_are_there(db: taskcore.Database,
                                                    team: Team) -> None:
    cursor = db.realtime.cursor()
    task = db.tasks.create(team.manager, "already there")
    start = time.monotonic()
    batch = db.realtime.wait(team.viewer, ["tasks"], cursor, TIMEOUT)
    assert time.monotonic() - start < 2.0
    assert [e.task_id for e in batch.events] == [task.id]


def test_wait_wakes_on_a_commit_from_another_thread(db: taskcore.Database,
                                                    team: Team) -> None:
    cursor = db.realtime.cursor()
    created: List[taskcore.Task] = []
    waiting = threading.Event()

    def writer() -> None:
        waiting.wait(TIMEOUT)
        time.sleep(0.1)  # let the main thread enter wait(); not needed for correctness
        created.append(db.tasks.create(team.manager, "from another thread"))

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        waiting.set()
        start = time.monotonic()
        batch = db.realtime.wait(team.viewer, ["tasks"], cursor, 30.0)
        elapsed = time.monotonic() - start
    finally:
        thread.join(TIMEOUT)
    assert created and [e.task_id for e in batch.events] == [created[0].id]
    assert elapsed < 10.0
    assert batch.cursor == batch.events[-1].sequence


def test_presence(db: taskcore.Database, team: Team) -> None:
    assert db.realtime.presence(team.admin, "tasks") == []
    with db.realtime.subscribe(team.member2), db.realtime.subscribe(team.member):
        with db.realtime.subscribe(team.viewer, ["project_p"]):
            assert db.realtime.presence(team.admin, "tasks") == sorted(
                [team.member.id, team.member2.id])
            assert db.realtime.presence(team.admin, "project_p") == [team.viewer.id]
            assert db.realtime.presence(team.admin, f"user_{team.viewer.id}") == [
                team.viewer.id]
        assert db.realtime.presence(team.admin, "project_p") == []
    assert db.realtime.presence(team.admin, "tasks") == []


def test_presence_events(db: taskcore.Database, team: Team) -> None:
    with db.realtime.subscribe(team.viewer) as watcher:
        drain(watcher)
        with db.realtime.subscribe(team.member):
            joined = watcher.get(timeout=TIMEOUT)
            assert joined is not None
            assert (joined.type, joined.room, joined.user_id, joined.sequence) == (
                "user_joined", "tasks", team.member.id, 0)
        left = watcher.get(timeout=TIMEOUT)
        assert left is not None
        assert (left.type, left.room, left.user_id) == ("user_left", "tasks", team.member.id)


def test_stats(db: taskcore.Database, team: Team) -> None:
    empty = db.realtime.stats()
    assert isinstance(empty, taskcore.RealtimeStats)
    assert (empty.subscribers, empty.rooms, empty.subscribers_dropped) == (0, 0, 0)
    with db.realtime.subscribe(team.member) as a, db.realtime.subscribe(team.viewer,
                                                                        ["project_q"]):
        stats = db.realtime.stats()
        assert stats.subscribers == 2
        # user_<member>, tasks, user_<viewer>, project_q
        assert stats.rooms == 4
        delivered = stats.events_delivered
        db.tasks.create(team.manager, "counted")
        next_task_event(a)
        assert db.realtime.stats().events_delivered > delivered
    assert db.realtime.stats().subscribers == 0


def test_close_wakes_a_blocked_get(db: taskcore.Database, team: Team) -> None:
    sub = db.realtime.subscribe(team.viewer)
    drain(sub)
    result: List[Optional[taskcore.Event]] = []
    returned = threading.Event()

    def blocked() -> None:
        result.append(sub.get(timeout=60))
        returned.set()

    thread = threading.Thread(target=blocked)
    thread.start()
    time.sleep(0.1)  # let it block; the assertions hold either way
    start = time.monotonic()
    sub.close()
    assert returned.wait(TIMEOUT)
    assert time.monotonic() - start < 5.0
    thread.join(TIMEOUT)
    assert result == [None]
    assert sub.closed is True
    assert sub.get(timeout=0.1) is None
    assert list(sub.events(timeout=0.1)) == []
    sub.close()  # idempotent
    with pytest.raises(taskcore.ServiceUnavailable):
        sub.join("tasks")
    with pytest.raises(taskcore.ServiceUnavailable):
        _ = sub.rooms


def test_database_close_closes_subscriptions(db: taskcore.Database, team: Team) -> None:
    arrived: List[taskcore.Event] = []
    plain = db.realtime.subscribe(team.viewer)
    with_callback = db.realtime.subscribe(team.member, callback=arrived.append)
    returned = threading.Event()

    def blocked() -> None:
        while plain.get(timeout=60) is not None:
            pass
        returned.set()

    thread = threading.Thread(target=blocked)
    thread.start()
    db.close()
    assert plain.closed is True
    assert with_callback.closed is True
    assert returned.wait(TIMEOUT)
    thread.join(TIMEOUT)
    assert plain.get(timeout=0.1) is None


class _Interrupted(Exception):
    pass


def test_a_signal_interrupts_a_blocked_get(db: taskcore.Database, team: Team) -> None:
    import signal

    def interrupt(signum: int, frame: object) -> None:
        raise _Interrupted()

    with db.realtime.subscribe(team.viewer) as sub:
        drain(sub)
        previous = signal.signal(signal.SIGALRM, interrupt)
        try:
            signal.setitimer(signal.ITIMER_REAL, 0.1)
            start = time.monotonic()
            with pytest.raises(_Interrupted):
                sub.get(timeout=2.0)
            elapsed = time.monotonic() - start
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    assert elapsed < 1.0, f"the handler ran only after {elapsed:.2f} s"


class _ClosingProxy:
    """Stands for the native subscriber and closes it right after get() has
    read `closed` -- the interleaving of a close() on another thread that
    lands between get()'s closed check and its native wait."""

    def __init__(self, native: object) -> None:
        self._native = native
        self._armed = True

    @property
    def closed(self) -> bool:
        closed = bool(getattr(self._native, "closed"))
        if self._armed:
            self._armed = False
            getattr(self._native, "close")()
        return closed

    def __getattr__(self, name: str) -> object:
        return getattr(self._native, name)


def test_get_racing_close_returns_none(db: taskcore.Database, team: Team) -> None:
    sub = db.realtime.subscribe(team.viewer)
    drain(sub)
    sub._native = _ClosingProxy(sub._native)  # type: ignore[assignment]
    assert sub.get(timeout=1.0) is None
