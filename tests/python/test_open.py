"""Opening and closing a database."""

from __future__ import annotations

import datetime
import os
import stat
from pathlib import Path
from typing import Callable, List

import pytest

import taskcore
from conftest import PASSWORD


def test_open_creates_a_sqlite_file_and_media_dir(tmp_path: Path) -> None:
    db = taskcore.open(tmp_path / "t.db", media_dir=tmp_path / "media", fast_passwords=True)
    try:
        assert isinstance(db, taskcore.Database)
        assert db.closed is False
        assert (tmp_path / "t.db").is_file()
        media = tmp_path / "media"
        assert media.is_dir()
        assert stat.S_IMODE(os.stat(media).st_mode) == 0o700
    finally:
        db.close()
    assert db.closed is True


def test_open_accepts_str_paths(tmp_path: Path) -> None:
    db = taskcore.open(str(tmp_path / "s.db"), media_dir=str(tmp_path / "m"),
                       fast_passwords=True)
    try:
        user = db.users.create("alice", "alice@example.com", PASSWORD)
        assert db.users.me(user).username == "alice"
    finally:
        db.close()


def test_context_manager_closes(tmp_path: Path) -> None:
    with taskcore.open(tmp_path / "t.db", fast_passwords=True) as db:
        assert db.closed is False
        user = db.users.create("alice", "alice@example.com", PASSWORD)
    assert db.closed is True
    with pytest.raises(taskcore.ServiceUnavailable) as info:
        db.users.me(user)
    assert info.value.code == "service_unavailable"


def test_context_manager_closes_on_exception(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError):
        with taskcore.open(tmp_path / "t.db", fast_passwords=True) as db:
            raise RuntimeError("boom")
    assert db.closed is True


def test_close_is_idempotent(tmp_path: Path) -> None:
    db = taskcore.open(tmp_path / "t.db", fast_passwords=True)
    db.close()
    db.close()
    assert db.closed is True


def test_every_service_raises_after_close(tmp_path: Path) -> None:
    db = taskcore.open(tmp_path / "t.db", media_dir=tmp_path / "media", fast_passwords=True)
    admin = db.users.create("admin", "admin@example.com", PASSWORD, role="admin")
    task = db.tasks.create(admin, "before close")
    db.close()
    calls: List[Callable[[], object]] = [
        lambda: db.users.create("bob", "bob@example.com", PASSWORD),
        lambda: db.users.list(admin),
        lambda: db.auth.login("admin", PASSWORD),
        lambda: db.tasks.get(admin, task.id),
        lambda: db.tasks.list(admin),
        lambda: db.media.list(admin),
        lambda: db.posts.list(None),
        lambda: db.audit.list(admin),
        lambda: db.realtime.cursor(),
        lambda: db.realtime.subscribe(admin),
        lambda: db.realtime.stats(),
    ]
    for call in calls:
        with pytest.raises(taskcore.ServiceUnavailable) as info:
            call()
        assert info.value.message == "The database is closed."


def test_memory_database(tmp_path: Path) -> None:
    with taskcore.open(":memory:", fast_passwords=True) as db:
        user = db.users.create("alice", "alice@example.com", PASSWORD, role="manager")
        task = db.tasks.create(user, "in memory", due_date=datetime.date(2030, 1, 1))
        assert db.tasks.get(user, task.id).title == "in memory"
        assert db.tasks.list(user).count == 1
    # each :memory: database is a fresh one
    with taskcore.open(":memory:", fast_passwords=True) as db:
        assert db.users.ensure_admin("root", "root@example.com", PASSWORD) is True
        root = db.auth.login("root", PASSWORD)
        assert db.users.list(root).count == 1
    assert list(tmp_path.iterdir()) == []


def test_reopening_a_file_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with taskcore.open(path, fast_passwords=True) as db:
        admin = db.users.create("admin", "admin@example.com", PASSWORD, role="admin")
        task = db.tasks.create(admin, "persisted", priority="urgent", project="p1")
    with taskcore.open(path, fast_passwords=True) as db:
        again = db.tasks.get(admin, task.id)
        assert again == task
        login = db.auth.login("admin", PASSWORD)
        assert login.user.id == admin.id
        assert login.user.role == "admin"
        assert db.users.ensure_admin("admin", "admin@example.com", PASSWORD) is False
        assert db.tasks.list(login).count == 1


def test_tokens_stay_valid_across_reopen_with_the_stored_key(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with taskcore.open(path, fast_passwords=True) as db:
        db.users.create("alice", "alice@example.com", PASSWORD)
        login = db.auth.login("alice", PASSWORD)
    with taskcore.open(path, fast_passwords=True) as db:
        assert db.auth.authenticate(login.tokens.access) == login.actor


def test_signing_key_option(tmp_path: Path) -> None:
    with taskcore.open(tmp_path / "a.db", fast_passwords=True, signing_key="k" * 40) as a:
        a.users.create("alice", "alice@example.com", PASSWORD)
        token = a.auth.login("alice", PASSWORD).tokens.access
    with taskcore.open(tmp_path / "a.db", fast_passwords=True, signing_key="z" * 40) as b:
        with pytest.raises(taskcore.AuthenticationFailed):
            b.auth.authenticate(token)


def test_missing_directory_raises_without_leaking_the_path(tmp_path: Path) -> None:
    location = tmp_path / "no-such-directory" / "t.db"
    with pytest.raises(taskcore.Error) as info:
        taskcore.open(location)
    error = info.value
    assert type(error) is not taskcore.Error
    assert isinstance(error, taskcore.Error)
    assert error.code in ("internal_error", "service_unavailable")
    assert error.message
    for secret in (str(tmp_path), "no-such-directory", "t.db"):
        assert secret not in error.message
        assert secret not in str(error)
        assert secret not in repr(error)
    assert not location.parent.exists()


def test_a_directory_as_location_raises(tmp_path: Path) -> None:
    with pytest.raises(taskcore.Error) as info:
        taskcore.open(tmp_path)
    assert str(tmp_path) not in str(info.value)


def test_without_media_dir_uploads_are_unavailable(tmp_path: Path) -> None:
    with taskcore.open(tmp_path / "t.db", fast_passwords=True) as db:
        user = db.users.create("alice", "alice@example.com", PASSWORD, role="manager")
        with pytest.raises(taskcore.ServiceUnavailable) as info:
            db.media.upload(user, b"%PDF-1.4\n%%EOF\n", filename="a.pdf")
        assert info.value.message == "Media storage is not configured."


def test_registration_switch(tmp_path: Path) -> None:
    with taskcore.open(tmp_path / "t.db", fast_passwords=True, registration=False) as db:
        with pytest.raises(taskcore.PermissionDenied) as info:
            db.users.register("alice", "alice@example.com", PASSWORD)
        assert info.value.message == "Registration is disabled."
        # creating with no caller still works
        assert db.users.create("alice", "alice@example.com", PASSWORD).role == "member"


def test_version_and_exports() -> None:
    assert taskcore.__version__ == "0.1.0"
    for name in taskcore.__all__:
        assert hasattr(taskcore, name), name
