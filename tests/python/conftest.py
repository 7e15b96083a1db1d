"""Shared fixtures of the taskcore Python tests: a fresh SQLite database in
tmp_path, a team of users (one per role) and generators of real files.

With TASKCORE_TEST_BACKEND=postgres the ``db`` fixture is a fresh database
of the test cluster of scripts/with-postgres.sh (TASKCORE_TEST_PG_URI)
instead; without a cluster such a run exits with 77 (ctest's "skipped").
Tests that open files of their own stay on SQLite either way.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import subprocess
from pathlib import Path
from typing import Callable, Iterator

import pytest

import taskcore
from sample_files import make_png

PASSWORD = "correct horse battery"

PngFactory = Callable[[int, int], bytes]


@dataclasses.dataclass(frozen=True)
class Team:
    """One user per role (and a second member), created with no caller."""

    admin: taskcore.User
    manager: taskcore.User
    member: taskcore.User
    member2: taskcore.User
    viewer: taskcore.User


PDF_BYTES = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n"
             b"%%EOF\n")


BACKEND = os.environ.get("TASKCORE_TEST_BACKEND", "sqlite")
PG_URI = os.environ.get("TASKCORE_TEST_PG_URI", "")
_serial = itertools.count()


def pytest_configure(config: pytest.Config) -> None:
    if BACKEND == "postgres" and not PG_URI:
        pytest.exit("skipped: PostgreSQL tests need TASKCORE_TEST_PG_URI "
                    "(run them under scripts/with-postgres.sh)", returncode=77)


def _psql(uri: str, sql: str) -> None:
    # Without the sanitizer runs' LD_PRELOAD (the ASan runtime meant for the
    # interpreter): psql with it preloaded hangs at exit.
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    subprocess.run(["psql", uri, "-q", "-X", "-v", "ON_ERROR_STOP=1", "-c", sql],
                   check=True, stdout=subprocess.DEVNULL, timeout=60, env=env)


def _with_database(uri: str, name: str) -> str:
    """`uri` with its database name replaced by `name`."""
    scheme = uri.find("://")
    slash = uri.find("/", scheme + 3 if scheme >= 0 else 0)
    query = uri.find("?")
    base = uri[:slash] if slash >= 0 else (uri[:query] if query >= 0 else uri)
    return base + "/" + name + (uri[query:] if query >= 0 else "")


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated, empty PostgreSQL database that each test's is copied from
    (migrating costs more than copying)."""
    if BACKEND != "postgres":
        yield ""
        return
    name = f"taskcore_pytest_{os.getpid()}_template"
    _psql(PG_URI, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _psql(PG_URI, f"CREATE DATABASE {name}")
    taskcore.open(_with_database(PG_URI, name), fast_passwords=True).close()
    try:
        yield name
    finally:
        _psql(PG_URI, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def db_location(tmp_path: Path, pg_template: str) -> Iterator[str]:
    """Where the ``db`` fixture's database lives (a file, or a PG database)."""
    if BACKEND != "postgres":
        yield str(tmp_path / "t.db")
        return
    name = f"taskcore_pytest_{os.getpid()}_{next(_serial)}"
    _psql(PG_URI, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _psql(PG_URI, f"CREATE DATABASE {name} TEMPLATE {pg_template}")
    try:
        yield _with_database(PG_URI, name)
    finally:
        _psql(PG_URI, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def db(db_location: str, tmp_path: Path) -> Iterator[taskcore.Database]:
    database = taskcore.open(db_location, media_dir=tmp_path / "media", fast_passwords=True)
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def team(db: taskcore.Database) -> Team:
    return Team(
        admin=db.users.create("admin", "admin@example.com", PASSWORD, role="admin"),
        manager=db.users.create("manager", "manager@example.com", PASSWORD, role="manager"),
        member=db.users.create("member", "member@example.com", PASSWORD, role="member"),
        member2=db.users.create("member2", "member2@example.com", PASSWORD, role="member"),
        viewer=db.users.create("viewer", "viewer@example.com", PASSWORD, role="viewer"),
    )


@pytest.fixture
def png() -> PngFactory:
    return make_png


@pytest.fixture
def pdf() -> bytes:
    return PDF_BYTES
