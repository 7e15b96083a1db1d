"""taskcore: the business rules of the taskcore backend, in-process.

    import taskcore
    with taskcore.open("app.db") as db:
        ada = db.users.create("ada", "ada@example.com", "correct horse battery", role="manager")
        db.tasks.create(ada, "Ship it", priority="high")
        print(db.tasks.list(ada, priority=["high", "urgent"]).count)

Every operation applies the same rules (validation, permissions, audit,
events) as the HTTP server, which is built on the same C++ library. Errors
are subclasses of :class:`taskcore.Error`.
"""

from ._database import (ActorLike, Audit, Auth, Maintenance, Media, Posts, Stats, Tasks,
                        UploadSource, Users)
from ._errors import (AuthenticationFailed, Conflict, Error, InternalError, MethodNotAllowed,
                      NotAuthenticated, NotFound, ParseError, PayloadTooLarge, PermissionDenied,
                      ServiceUnavailable, Throttled, UnsupportedMediaType, ValidationError)
from ._handle import Database, open
from ._models import (Actor, AuditEntry, BulkFailure, BulkResult, CleanupReport, Event,
                      EventBatch, Login, MediaContent, MediaDetail, MediaFile, Notification,
                      Page, Post, RealtimeStats, ResetTicket, RetentionReport, StatsAggregate,
                      StatsBucket, SystemSample, Task, Tokens, User)
from ._realtime import Realtime, Subscription

__version__ = "0.1.0"

__all__ = [
    "open", "Database", "Users", "Auth", "Tasks", "Media", "Posts", "Audit", "Stats", "Maintenance",
    "Realtime",
    "Subscription", "ActorLike", "UploadSource",
    "Actor", "User", "Login", "Tokens", "ResetTicket", "Task", "Page", "BulkResult",
    "BulkFailure", "MediaFile", "MediaDetail", "MediaContent", "Post", "AuditEntry", "Event",
    "EventBatch", "Notification", "RealtimeStats", "SystemSample", "StatsBucket",
    "StatsAggregate", "RetentionReport", "CleanupReport",
    "Error", "ParseError", "ValidationError", "NotAuthenticated", "AuthenticationFailed",
    "PermissionDenied", "NotFound", "MethodNotAllowed", "Conflict", "PayloadTooLarge",
    "UnsupportedMediaType", "Throttled", "InternalError", "ServiceUnavailable",
]
