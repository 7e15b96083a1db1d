"""Opening a database: the handle whose services hold every operation."""

from __future__ import annotations

import os
import threading
import weakref
from types import TracebackType
from typing import Optional, Type, Union

from . import _core
from ._database import Audit, Auth, Maintenance, Media, Posts, Stats, Tasks, Users
from ._realtime import Realtime, Subscription


class Database:
    """An open taskcore database. Thread safe: share one handle between
    threads. Use it as a context manager, or call :meth:`close`."""

    def __init__(self, native: _core.Core) -> None:
        self._native = native
        self._subscriptions: "weakref.WeakSet[Subscription]" = weakref.WeakSet()
        self._lock = threading.Lock()
        self.users = Users(native)
        self.auth = Auth(native)
        self.tasks = Tasks(native)
        self.media = Media(native)
        self.posts = Posts(native)
        self.audit = Audit(native)
        self.stats = Stats(native)
        self.maintenance = Maintenance(native)
        self.realtime = Realtime(native, self._track)

    def _track(self, subscription: Subscription) -> None:
        with self._lock:
            self._subscriptions.add(subscription)

    @property
    def closed(self) -> bool:
        return bool(self._native.closed)

    def close(self) -> None:
        """Closes every subscription, then the database. Calls after it (or
        under way in other threads, once they finish) raise
        ServiceUnavailable. Idempotent."""
        with self._lock:
            subscriptions = list(self._subscriptions)
        for subscription in subscriptions:
            subscription.close()
        self._native.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]],
                 exc: Optional[BaseException], tb: Optional[TracebackType]) -> None:
        self.close()


def open(location: Union[str, "os.PathLike[str]"], *,
         media_dir: Union[str, "os.PathLike[str]", None] = None,
         registration: bool = True,
         signing_key: str = "",
         fast_passwords: bool = False,
         pool_size: int = 0) -> Database:
    """Opens (creating and migrating when needed) a taskcore database.

    `location` is a SQLite file path (its directory must exist), ":memory:",
    or a ``postgresql://`` URI. `media_dir` is where uploads are kept
    (created, mode 0700); without it media uploads raise ServiceUnavailable.
    `registration` allows public sign-up; `signing_key` (default: a random
    key kept in the database) signs tokens; `fast_passwords` uses a cheap
    argon2id cost, for tests only; `pool_size` is PostgreSQL's connection
    pool (0: default).
    """
    native = _core.Core(
        os.fspath(location),
        None if media_dir is None else os.fspath(media_dir),
        fast_passwords, registration, signing_key, pool_size)
    return Database(native)
