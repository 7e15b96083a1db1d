"""The database handle and its services: users, auth, tasks, media, posts,
the audit log (realtime lives in _realtime.py)."""

from __future__ import annotations

import errno
import os
import tempfile
import weakref
from types import TracebackType
from typing import (IO, Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence,
                    Tuple, Type, TypeVar, Union)

from . import _core
from . import _models as m
from . import _query as q

T = TypeVar("T")

ActorLike = Union[m.Actor, m.User, m.Login]
"""Whoever performs an operation: an Actor, or a User / Login standing for one."""

UploadSource = Union[str, "os.PathLike[str]", bytes, IO[bytes]]
"""A file to upload: a path, its bytes, or a binary file object."""

_UNSET: Any = object()


def _actor(who: Optional[ActorLike]) -> Optional[m.Actor]:
    if who is None or isinstance(who, m.Actor):
        return who
    if isinstance(who, m.User):
        return who.actor()
    if isinstance(who, m.Login):
        return who.actor
    raise TypeError(f"expected an Actor, User or Login, not {type(who).__name__}")


def _page(raw: Dict[str, Any], build: Callable[[Dict[str, Any]], T]) -> m.Page[T]:
    return m.Page(raw["count"], raw["page"], raw["page_size"], raw["has_next"],
                  raw["has_previous"], [build(item) for item in raw["results"]])


def _all_pages(fetch: Callable[[int], m.Page[T]]) -> Iterator[T]:
    page = 1
    while True:
        current = fetch(page)
        yield from current.results
        if not current.has_next:
            return
        page += 1


class _Service:
    def __init__(self, core: _core.Core) -> None:
        self._core = core


class Users(_Service):
    """Registration and admin user management (``db.users``)."""

    def register(self, username: str, email: str, password: str) -> m.User:
        """Public self-registration as a member (PermissionDenied when switched off)."""
        return m.user_from(self._core.register_user(username, email, password))

    def create(self, username: str, email: str, password: str, *, role: str = "member") -> m.User:
        """Creates a user of any role with no caller (bootstrap, imports, tests)."""
        return m.user_from(self._core.create_user(username, email, password, role))

    def ensure_admin(self, username: str, email: str, password: str) -> bool:
        """Creates `username` as an admin unless it exists; True when it did."""
        return bool(self._core.ensure_admin(username, email, password))

    def list(self, actor: ActorLike, *, page: int = 1, page_size: int = 20,
             **filters: Any) -> m.Page[m.User]:
        """Admins only. Filters: is_active, role (one or many), search,
        joined_after, joined_before (dates, inclusive)."""
        params = q.build_params({**filters, "page": page, "page_size": page_size},
                                {**q.USER_FILTERS, **q.PAGE_NAMES}, multi=q.USER_MULTI)
        return _page(self._core.list_users(_actor(actor), params), m.user_from)

    def iter_all(self, actor: ActorLike, **filters: Any) -> Iterator[m.User]:
        """Every matching user, fetched lazily a page of 100 at a time."""
        return _all_pages(lambda n: self.list(actor, page=n, page_size=100, **filters))

    def get(self, actor: ActorLike, user_id: int) -> m.User:
        return m.user_from(self._core.get_user(_actor(actor), user_id))

    def me(self, actor: ActorLike) -> m.User:
        return m.user_from(self._core.me(_actor(actor)))

    def update(self, actor: ActorLike, user_id: int, *, email: str = _UNSET,
               role: str = _UNSET, is_active: bool = _UNSET) -> m.User:
        """Admins only; absent arguments stay unchanged. Demoting or
        deactivating the last active admin is a Conflict."""
        changes = {k: v for k, v in (("email", email), ("role", role), ("is_active", is_active))
                   if v is not _UNSET}
        return m.user_from(self._core.update_user(_actor(actor), user_id, changes))

    def toggle_active(self, actor: ActorLike, user_id: int) -> m.User:
        return m.user_from(self._core.toggle_active(_actor(actor), user_id))


class Auth(_Service):
    """Login, tokens and passwords (``db.auth``)."""

    def login(self, username: str, password: str) -> m.Login:
        """AuthenticationFailed for a wrong password, unknown or inactive user alike."""
        raw = self._core.login(username, password)
        tokens = m.tokens_from(raw)
        return m.Login(tokens, m.user_from(raw["user"]), self.authenticate(tokens.access))

    def refresh(self, refresh_token: str) -> m.Tokens:
        """Rotates the refresh token; reusing a spent one revokes the session."""
        return m.tokens_from(self._core.refresh(refresh_token))

    def authenticate(self, access_token: str) -> m.Actor:
        """The caller an access token stands for (AuthenticationFailed otherwise)."""
        return m.actor_from(self._core.authenticate(access_token))

    def logout(self, actor: ActorLike, refresh_token: str = "") -> None:
        """Revokes the session of `refresh_token`, or the actor's own session."""
        self._core.logout(_actor(actor), refresh_token)

    def change_password(self, actor: ActorLike, old_password: str, new_password: str) -> None:
        self._core.change_password(_actor(actor), old_password, new_password)

    def reset_password(self, admin: ActorLike, user_id: int) -> m.ResetTicket:
        """Admins only: a single-use reset token (shown once)."""
        raw = self._core.reset_password(_actor(admin), user_id)
        return m.ResetTicket(raw["token"], raw["expires_at"])

    def confirm_reset(self, token: str, new_password: str) -> None:
        self._core.confirm_reset(token, new_password)


class Tasks(_Service):
    """Tasks (``db.tasks``). Field arguments: title, description, status,
    priority, category, project, due_date (a date or "YYYY-MM-DD"),
    assigned_to (a user id or User); None clears a field."""

    def create(self, actor: ActorLike, title: str, **fields: Any) -> m.Task:
        values = q.fields({"title": title, **fields}, q.TASK_FIELDS)
        return m.task_from(self._core.create_task(_actor(actor), values))

    def create_many(self, actor: ActorLike, rows: Iterable[Dict[str, Any]]) -> List[m.Task]:
        """All in one transaction, or none (field errors named "<index>.<field>")."""
        inputs = [q.fields(row, q.TASK_FIELDS) for row in rows]
        return [m.task_from(t) for t in self._core.create_tasks(_actor(actor), inputs)]

    def get(self, actor: ActorLike, task_id: int) -> m.Task:
        return m.task_from(self._core.get_task(_actor(actor), task_id))

    def update(self, actor: ActorLike, task_id: int, **fields: Any) -> m.Task:
        """Changes the given fields only (HTTP PATCH)."""
        values = q.fields(fields, q.TASK_FIELDS)
        return m.task_from(self._core.update_task(_actor(actor), task_id, values, True))

    def replace(self, actor: ActorLike, task_id: int, title: str, **fields: Any) -> m.Task:
        """HTTP PUT: title is required, absent fields stay unchanged."""
        values = q.fields({"title": title, **fields}, q.TASK_FIELDS)
        return m.task_from(self._core.update_task(_actor(actor), task_id, values, False))

    def delete(self, actor: ActorLike, task_id: int) -> None:
        self._core.delete_task(_actor(actor), task_id)

    def list(self, actor: ActorLike, *, page: int = 1, page_size: int = 20,
             **filters: Any) -> m.Page[m.Task]:
        """Filters: category, project, status, priority, assigned_to,
        created_by (each one value or many, ORed), due_after, due_before
        (dates, inclusive), search (every word; the last as a prefix),
        ordering ("-due_date" or a list of terms)."""
        params = q.build_params({**filters, "page": page, "page_size": page_size},
                                {**q.TASK_FILTERS, **q.PAGE_NAMES}, multi=q.TASK_MULTI)
        return _page(self._core.list_tasks(_actor(actor), params), m.task_from)

    def iter_all(self, actor: ActorLike, **filters: Any) -> Iterator[m.Task]:
        """Every matching task, fetched lazily a page of 100 at a time."""
        return _all_pages(lambda n: self.list(actor, page=n, page_size=100, **filters))

    def bulk_update(self, actor: ActorLike, task_ids: Sequence[int],
                    **updates: Any) -> m.BulkResult:
        """Sets status, priority, category, project, assigned_to or due_date
        on up to 10000 tasks in one transaction."""
        values = q.fields(updates, None)
        return m.bulk_from(self._core.bulk_update(_actor(actor), list(task_ids), values))

    def bulk_delete(self, actor: ActorLike, task_ids: Sequence[int]) -> m.BulkResult:
        return m.bulk_from(self._core.bulk_delete(_actor(actor), list(task_ids)))


class Media(_Service):
    """Blog media (``db.media``): images get a thumbnail and dimensions."""

    def upload(self, actor: ActorLike, source: UploadSource, *,
               filename: Optional[str] = None) -> m.MediaFile:
        """One file from a path, bytes or a binary file object; its type is
        decided from the bytes."""
        return self.upload_many(actor, [(source, filename)])[0]

    def upload_many(self, actor: ActorLike,
                    sources: Iterable[Union[UploadSource, Tuple[UploadSource, Optional[str]]]]
                    ) -> List[m.MediaFile]:
        """Up to 10 files, all stored or none."""
        with tempfile.TemporaryDirectory(prefix="taskcore-upload-") as scratch:
            parts = [_local_file(item, scratch, i) for i, item in enumerate(sources)]
            raw = self._core.upload_media(_actor(actor), parts)
        return [m.media_from(f) for f in raw]

    def get(self, actor: ActorLike, media_id: int) -> m.MediaDetail:
        raw = self._core.get_media(_actor(actor), media_id)
        referenced_by = raw.pop("referenced_by")
        return m.MediaDetail(m.media_from(raw), referenced_by)

    def list(self, actor: ActorLike, *, page: int = 1, page_size: int = 20,
             **filters: Any) -> m.Page[m.MediaFile]:
        """Filters: file_type ("png", ..., "image", "document"; one or many),
        uploaded_by (one or many), uploaded_after, uploaded_before (dates),
        search, ordering ("upload_date", "-file_size", ...)."""
        params = q.build_params({**filters, "page": page, "page_size": page_size},
                                {**q.MEDIA_FILTERS, **q.PAGE_NAMES}, multi=q.MEDIA_MULTI)
        return _page(self._core.list_media(_actor(actor), params), m.media_from)

    def iter_all(self, actor: ActorLike, **filters: Any) -> Iterator[m.MediaFile]:
        return _all_pages(lambda n: self.list(actor, page=n, page_size=100, **filters))

    def delete(self, actor: ActorLike, media_id: int) -> None:
        self._core.delete_media(_actor(actor), media_id)

    def read(self, stored_name: str) -> m.MediaContent:
        """The bytes of a stored file or thumbnail, by its stored name."""
        raw = self._core.read_media(stored_name)
        return m.MediaContent(raw["content"], raw["mime_type"], raw["is_thumbnail"], raw["etag"])


def _local_file(item: Any, scratch: str, index: int) -> Tuple[str, str]:
    """(path, original filename) of a local file holding the upload's bytes."""
    source, filename = item if isinstance(item, tuple) else (item, None)
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if not os.path.isfile(path):
            raise FileNotFoundError(errno.ENOENT, "No such file", path)
        return path, filename or os.path.basename(path)
    path = os.path.join(scratch, f"upload-{index}")
    with open(path, "wb") as out:
        if isinstance(source, (bytes, bytearray, memoryview)):
            out.write(source)
        else:
            while chunk := source.read(1 << 20):
                out.write(chunk)
    name = filename or os.path.basename(str(getattr(source, "name", "") or "")) or "upload"
    return path, name


class Posts(_Service):
    """Blog posts (``db.posts``). A reader of None is an anonymous caller,
    who sees published posts only. Fields: title, body, status ("draft" or
    "published"), cover_media (a media id), media_ids (a list)."""

    def list(self, reader: Optional[ActorLike], *, page: int = 1, page_size: int = 20,
             **filters: Any) -> m.Page[m.Post]:
        """Filters: status, author (one or many), search, slug, ordering."""
        params = q.build_params({**filters, "page": page, "page_size": page_size},
                                {**q.POST_FILTERS, **q.PAGE_NAMES}, multi=q.POST_MULTI)
        return _page(self._core.list_posts(_actor(reader), params), m.post_from)

    def iter_all(self, reader: Optional[ActorLike], **filters: Any) -> Iterator[m.Post]:
        return _all_pages(lambda n: self.list(reader, page=n, page_size=100, **filters))

    def get(self, reader: Optional[ActorLike], post_id: int) -> m.Post:
        return m.post_from(self._core.get_post(_actor(reader), post_id))

    def create(self, actor: ActorLike, title: str, **fields: Any) -> m.Post:
        values = q.fields({"title": title, **fields}, q.POST_FIELDS)
        return m.post_from(self._core.create_post(_actor(actor), values))

    def update(self, actor: ActorLike, post_id: int, **fields: Any) -> m.Post:
        """Changes the given fields only (HTTP PATCH)."""
        values = q.fields(fields, q.POST_FIELDS)
        return m.post_from(self._core.update_post(_actor(actor), post_id, values, True))

    def replace(self, actor: ActorLike, post_id: int, title: str, **fields: Any) -> m.Post:
        values = q.fields({"title": title, **fields}, q.POST_FIELDS)
        return m.post_from(self._core.update_post(_actor(actor), post_id, values, False))

    def delete(self, actor: ActorLike, post_id: int) -> None:
        self._core.delete_post(_actor(actor), post_id)


class Audit(_Service):
    """The audit log (``db.audit``), newest first; admins only."""

    def list(self, actor: ActorLike, *, page: int = 1, page_size: int = 20,
             **filters: Any) -> m.Page[m.AuditEntry]:
        """Filters: actor_id, action (one or many), target_type, start, end
        (a date, whole days inclusive, or a datetime)."""
        params = q.build_params({**filters, "page": page, "page_size": page_size},
                                {**q.AUDIT_FILTERS, **q.PAGE_NAMES}, multi=q.AUDIT_MULTI)
        return _page(self._core.list_audit(_actor(actor), params), m.audit_from)

    def iter_all(self, actor: ActorLike, **filters: Any) -> Iterator[m.AuditEntry]:
        return _all_pages(lambda n: self.list(actor, page=n, page_size=100, **filters))


class Stats(_Service):
    """System stats (``db.stats``): the sampler's readings, admins only to
    read. ``record_sample`` takes a reading now (a server samples on its
    own schedule; a script may call it itself)."""

    def record_sample(self) -> m.SystemSample:
        return m.sample_from(self._core.record_sample())

    def list(self, actor: ActorLike, *, page: int = 1, page_size: int = 20,
             **filters: Any) -> m.Page[m.SystemSample]:
        """Newest first. Filters: start, end (a date, whole days inclusive,
        or a datetime), hostname."""
        params = q.build_params({**filters, "page": page, "page_size": page_size},
                                {**q.STATS_FILTERS, **q.PAGE_NAMES})
        return _page(self._core.list_stats(_actor(actor), params), m.sample_from)

    def latest(self, actor: ActorLike, *, hostname: Optional[str] = None) -> m.SystemSample:
        """The newest sample; NotFound before the first."""
        params = q.build_params({"hostname": hostname}, q.STATS_FILTERS)
        return m.sample_from(self._core.latest_stats(_actor(actor), params))

    def aggregated(self, actor: ActorLike, *, interval: str = "hour",
                   **filters: Any) -> m.StatsAggregate:
        """Hour or day buckets over raw samples and retained aggregates
        alike; the range defaults to the last day (hour) or 30 days (day)."""
        params = q.build_params({**filters, "interval": interval},
                                {**q.STATS_FILTERS, "interval": "interval"})
        return m.aggregate_from(self._core.aggregated_stats(_actor(actor), params))

    def apply_retention(self) -> m.RetentionReport:
        """Folds raw samples past their retention into hourly aggregates and
        deletes expired aggregates; a second run within the hour does nothing."""
        return m.RetentionReport(**self._core.apply_retention())


class Maintenance(_Service):
    """Housekeeping (``db.maintenance``), as ``taskcore-server maintenance
    cleanup`` runs it."""

    def cleanup(self) -> m.CleanupReport:
        return m.cleanup_from(self._core.maintenance_cleanup())
