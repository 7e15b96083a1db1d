"""The values taskcore returns: frozen dataclasses with the HTTP API's field
names, ``datetime.date`` for dates and aware UTC ``datetime.datetime`` for
timestamps."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Dict, Generic, Iterator, List, Mapping, Optional, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Actor:
    """Who performs an operation: the user's id, its role and (for callers
    who logged in) its session. Obtain one from :meth:`User.actor`,
    :meth:`Auth.authenticate` or :attr:`Login.actor`."""

    user_id: int
    role: str
    session_id: str = ""


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    email: str
    role: str
    is_active: bool
    date_joined: _dt.datetime
    last_login: Optional[_dt.datetime]

    def actor(self) -> Actor:
        """This user as the caller of an operation (no session)."""
        return Actor(self.id, self.role)


@dataclass(frozen=True, slots=True)
class Tokens:
    access: str
    refresh: str
    expires_in: int


@dataclass(frozen=True, slots=True)
class Login:
    """A successful login: its tokens, the user, and the session's actor."""

    tokens: Tokens
    user: User
    actor: Actor


@dataclass(frozen=True, slots=True)
class ResetTicket:
    token: str
    expires_at: _dt.datetime


@dataclass(frozen=True, slots=True)
class Task:
    id: int
    title: str
    description: str
    status: str
    priority: str
    category: Optional[str]
    project: Optional[str]
    due_date: Optional[_dt.date]
    assigned_to: Optional[int]
    created_by: Optional[int]
    created_at: _dt.datetime
    updated_at: _dt.datetime


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list: ``results`` and the total ``count`` over all pages."""

    count: int
    page: int
    page_size: int
    has_next: bool
    has_previous: bool
    results: List[T] = field(default_factory=list)

    def __iter__(self) -> Iterator[T]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)


@dataclass(frozen=True, slots=True)
class BulkFailure:
    task_id: int
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class BulkResult:
    """``succeeded`` ids were changed; each of ``failures`` says why not."""

    succeeded: int
    failures: List[BulkFailure]


@dataclass(frozen=True, slots=True)
class MediaFile:
    id: int
    filename: str
    original_filename: str
    file_type: str
    file_size: int
    upload_date: _dt.datetime
    uploaded_by: Optional[int]
    thumbnail_filename: Optional[str]
    width: Optional[int]
    height: Optional[int]


@dataclass(frozen=True, slots=True)
class MediaDetail:
    file: MediaFile
    referenced_by: List[int]


@dataclass(frozen=True, slots=True)
class MediaContent:
    content: bytes
    mime_type: str
    is_thumbnail: bool
    etag: str


@dataclass(frozen=True, slots=True)
class Post:
    id: int
    title: str
    slug: str
    body: str
    status: str
    author: Optional[int]
    cover_media: Optional[int]
    media_ids: List[int]
    created_at: _dt.datetime
    updated_at: _dt.datetime
    published_at: Optional[_dt.datetime]


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    timestamp: _dt.datetime
    actor_id: Optional[int]
    action: str
    target_type: str
    target_id: Optional[int]
    details: Dict[str, Any]
    ip: str
    request_id: str


@dataclass(frozen=True, slots=True)
class SystemSample:
    """One reading of a server; a measurement whose probe failed is None."""
    id: int
    timestamp: _dt.datetime
    hostname: str
    cpu_percent: Optional[float]
    memory_percent: Optional[float]
    memory_used_bytes: Optional[int]
    memory_total_bytes: Optional[int]
    disk_percent: Optional[float]
    disk_used_bytes: Optional[int]
    disk_total_bytes: Optional[int]
    load_avg_1: Optional[float]


@dataclass(frozen=True, slots=True)
class StatsBucket:
    """``values`` holds ``<field>_avg``, ``<field>_min`` and ``<field>_max``
    of every measurement (None when no sample of the bucket had it)."""
    bucket_start: _dt.datetime
    samples: int
    values: Dict[str, Optional[float]]


@dataclass(frozen=True, slots=True)
class StatsAggregate:
    interval: str  # "hour" or "day"
    start: _dt.datetime
    end: _dt.datetime
    buckets: List[StatsBucket]


@dataclass(frozen=True, slots=True)
class RetentionReport:
    samples_folded: int
    buckets_written: int
    aggregates_deleted: int


@dataclass(frozen=True, slots=True)
class CleanupReport:
    stats: RetentionReport
    events_pruned: int
    sessions_deleted: int
    reset_tokens_deleted: int


@dataclass(frozen=True, slots=True)
class Notification:
    type: str
    message: str
    task_id: int


@dataclass(frozen=True, slots=True)
class Event:
    """A realtime event as a subscriber receives it, through ``room``.

    ``type`` is ``task_created``, ``task_updated``, ``task_deleted``,
    ``user_joined``, ``user_left`` or ``notification``. ``sequence`` is the
    replay cursor of task events and notifications (0 for presence)."""

    type: str
    sequence: int
    room: str
    at: _dt.datetime
    task_id: int
    task: Optional[Task]
    actor_id: int
    user_id: int
    notification: Optional[Notification]


@dataclass(frozen=True, slots=True)
class EventBatch:
    """Events after a cursor; resume from ``cursor`` next time."""

    cursor: int
    events: List[Event]


@dataclass(frozen=True, slots=True)
class RealtimeStats:
    subscribers: int
    rooms: int
    events_delivered: int
    subscribers_dropped: int


# Builders from the native module's dicts.

def user_from(d: Mapping[str, Any]) -> User:
    return User(**d)


def task_from(d: Mapping[str, Any]) -> Task:
    return Task(**d)


def media_from(d: Mapping[str, Any]) -> MediaFile:
    return MediaFile(**d)


def post_from(d: Mapping[str, Any]) -> Post:
    return Post(**d)


def audit_from(d: Mapping[str, Any]) -> AuditEntry:
    return AuditEntry(**d)


def sample_from(d: Mapping[str, Any]) -> SystemSample:
    return SystemSample(**d)


def aggregate_from(d: Mapping[str, Any]) -> StatsAggregate:
    return StatsAggregate(d["interval"], d["start"], d["end"],
                          [StatsBucket(**b) for b in d["buckets"]])


def cleanup_from(d: Mapping[str, Any]) -> CleanupReport:
    return CleanupReport(RetentionReport(**d["stats"]), d["events_pruned"],
                         d["sessions_deleted"], d["reset_tokens_deleted"])


def actor_from(d: Mapping[str, Any]) -> Actor:
    return Actor(d["user_id"], d["role"], d["session_id"])


def tokens_from(d: Mapping[str, Any]) -> Tokens:
    return Tokens(d["access"], d["refresh"], d["expires_in"])


def bulk_from(d: Mapping[str, Any]) -> BulkResult:
    return BulkResult(d["succeeded"], [BulkFailure(**f) for f in d["failures"]])


def event_from(d: Mapping[str, Any]) -> Event:
    task = d["task"]
    note = d["notification"]
    return Event(
        type=d["type"], sequence=d["sequence"], room=d["room"], at=d["at"],
        task_id=d["task_id"], task=Task(**task) if task is not None else None,
        actor_id=d["actor_id"], user_id=d["user_id"],
        notification=Notification(**note) if note is not None else None,
    )


def batch_from(d: Mapping[str, Any]) -> EventBatch:
    return EventBatch(d["cursor"], [event_from(e) for e in d["events"]])
