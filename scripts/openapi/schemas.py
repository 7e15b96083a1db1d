"""components.schemas of the API reference: every object the API sends or
takes, written as JSON Schema 2020-12 (OpenAPI 3.1's dialect).

Objects the server writes are closed (additionalProperties: false) and list
every field as required, because the server always writes every field (a
field without a value is null, never absent). Request bodies are open: the
server ignores fields it does not know."""


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema):
    return {"anyOf": [schema, {"type": "null"}]}


def closed(properties, description=None, optional=()):
    schema = {
        "type": "object",
        "required": [name for name in properties if name not in optional],
        "properties": properties,
        "additionalProperties": False,
    }
    if description:
        schema = {"description": description, **schema}
    return schema


def text(description=None, **extra):
    schema = {"type": "string", **extra}
    if description:
        schema["description"] = description
    return schema


def integer(description=None, **extra):
    schema = {"type": "integer", **extra}
    if description:
        schema["description"] = description
    return schema


TIMESTAMP = {
    "type": "string",
    "format": "date-time",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$",
    "description": "ISO-8601 UTC with milliseconds and Z.",
    "examples": ["2025-09-28T12:34:56.789Z"],
}
DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$",
        "examples": ["2025-10-03"]}
OBJECT_ID = {"type": "integer", "minimum": 1}

ERROR_CODES = [
    "parse_error", "validation_error", "not_authenticated", "authentication_failed",
    "permission_denied", "not_found", "method_not_allowed", "conflict", "payload_too_large",
    "unsupported_media_type", "throttled", "internal_error", "service_unavailable",
]
TASK_STATUSES = ["todo", "in_progress", "review", "done"]
TASK_PRIORITIES = ["low", "medium", "high", "urgent"]
ROLES = ["admin", "manager", "member", "viewer"]
FILE_TYPES = ["jpg", "png", "gif", "webp", "pdf", "doc", "docx"]
MIME_TYPES = [
    "image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
]
POST_STATUSES = ["draft", "published"]
AUDIT_TARGETS = ["user", "task", "media", "post"]
SAMPLE_FIELDS = [  # (name, is a byte count)
    ("cpu_percent", False), ("memory_percent", False), ("memory_used_bytes", True),
    ("memory_total_bytes", True), ("disk_percent", False), ("disk_used_bytes", True),
    ("disk_total_bytes", True), ("load_avg_1", False),
]

# An id in a request body: DRF's related fields take integers, integral
# floats and digit strings; "" means null where null is allowed.
ID_INPUT = {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": r"^(\d+)?$"},
                      {"type": "null"}]}


def error_schemas():
    details = {"type": "object", "additionalProperties": {"type": ["string", "number"]},
               "description": "Numbers and strings that qualify the error "
                              "(retry_after, max_bytes, reason, ...). Left out when empty."}
    field_errors = {"type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"},
                                             "minItems": 1},
                    "description": "Field or parameter name (nested ones with dots: "
                                   "updates.status) to its messages. Left out when empty."}
    error_object = closed({
        "code": {"type": "string", "enum": ERROR_CODES},
        "message": text("Safe to show to people."),
        "details": details,
        "field_errors": field_errors,
    }, optional=("details", "field_errors"))
    return {
        "ErrorObject": error_object,
        "Error": closed({
            "error": ref("ErrorObject"),
            "timestamp": TIMESTAMP,
            "request_id": text("Equals the X-Request-ID response header."),
        }, "Every non-2xx answer of the API."),
        "EngineIoError": closed({
            "code": integer("Engine.IO's error code: 0 transport unknown, 1 session id "
                            "unknown, 2 bad handshake method, 3 bad request, 5 unsupported "
                            "protocol version."),
            "message": text(),
        }, "The Socket.IO endpoint's own error answers, in Engine.IO's shape."),
    }


def user_schemas():
    return {
        "User": closed({
            "id": OBJECT_ID,
            "username": text("3-150 characters of [A-Za-z0-9_.@+-], unique.",
                             minLength=3, maxLength=150),
            "email": text(maxLength=254),
            "role": {"type": "string", "enum": ROLES},
            "is_active": {"type": "boolean"},
            "date_joined": TIMESTAMP,
            "last_login": nullable(TIMESTAMP),
        }),
        "RegisterRequest": {
            "type": "object", "required": ["username", "email", "password"],
            "properties": {
                "username": text(minLength=3, maxLength=150),
                "email": text(maxLength=254),
                "password": text("At least 8 characters, at most 1024 bytes, not all digits.",
                                 minLength=8),
            },
        },
        "LoginRequest": {
            "type": "object", "required": ["username", "password"],
            "properties": {"username": text(), "password": text()},
        },
        "RefreshRequest": {"type": "object", "required": ["refresh"],
                           "properties": {"refresh": text()}},
        "LogoutRequest": {"type": "object", "properties": {
            "refresh": text("The session's refresh token; without it the session of the "
                            "access token used ends.")}},
        "PasswordChangeRequest": {
            "type": "object", "required": ["old_password", "new_password"],
            "properties": {"old_password": text(), "new_password": text(minLength=8)},
        },
        "PasswordResetConfirmRequest": {
            "type": "object", "required": ["token", "new_password"],
            "properties": {"token": text(), "new_password": text(minLength=8)},
        },
        "TokenPair": closed({
            "access": text("A JWT (HS256) for Authorization: Bearer."),
            "refresh": text("64 hex characters; works once.", pattern="^[0-9a-f]{64}$"),
            "token_type": {"const": "Bearer"},
            "expires_in": integer("The access token's lifetime in seconds.", minimum=1),
        }),
        "LoginResponse": closed({
            "access": text(),
            "refresh": text(pattern="^[0-9a-f]{64}$"),
            "token_type": {"const": "Bearer"},
            "expires_in": integer(minimum=1),
            "user": ref("User"),
        }),
        "UserUpdateRequest": {"type": "object", "properties": {
            "email": text(maxLength=254),
            "role": {"type": "string", "enum": ROLES},
            "is_active": {"type": ["boolean", "integer", "string"],
                          "description": "true/false, 1/0 or DRF's spellings."},
        }},
        "ResetToken": closed({
            "reset_token": text("64 hex characters, for POST /api/auth/password/reset/confirm/.",
                                pattern="^[0-9a-f]{64}$"),
            "expires_at": TIMESTAMP,
        }),
    }


def task_schemas():
    task = closed({
        "id": OBJECT_ID,
        "title": text(minLength=1, maxLength=200),
        "description": text(maxLength=10000),
        "status": {"type": "string", "enum": TASK_STATUSES},
        "priority": {"type": "string", "enum": TASK_PRIORITIES},
        "category": nullable(text(maxLength=100)),
        "project": nullable(text(maxLength=100)),
        "due_date": nullable(DATE),
        "assigned_to": nullable(OBJECT_ID),
        "created_by": nullable(OBJECT_ID),
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
    })
    editable = {
        "status": {"type": "string", "enum": TASK_STATUSES},
        "priority": {"type": "string", "enum": TASK_PRIORITIES},
        "category": nullable(text(maxLength=100)),
        "project": nullable(text(maxLength=100)),
        "due_date": nullable(DATE),
        "assigned_to": ID_INPUT,
    }
    task_input = {"type": "object", "properties": {
        "title": text(minLength=1, maxLength=200),
        "description": text(maxLength=10000),
        **editable,
    }}
    failure = closed({
        "task_id": {"type": "integer"},
        "error": closed({"code": {"type": "string", "enum": ["permission_denied", "not_found"]},
                         "message": text()}),
    })
    ids = {"type": "array", "minItems": 1, "items": {"type": "integer"},
           "description": "1 to 10000 distinct ids; duplicates count once."}
    return {
        "Task": task,
        "TaskInput": task_input,
        "TaskCreateRequest": {"allOf": [ref("TaskInput"), {"required": ["title"]}]},
        "BulkUpdateRequest": {
            "type": "object", "required": ["task_ids", "updates"],
            "properties": {
                "task_ids": ids,
                "updates": {"type": "object", "minProperties": 1, "properties": editable,
                            "additionalProperties": False,
                            "description": "An unknown key is refused (updates.<key>)."},
            },
        },
        "BulkDeleteRequest": {"type": "object", "required": ["task_ids"],
                              "properties": {"task_ids": ids}},
        "BulkFailure": failure,
        "BulkUpdateResult": closed({
            "updated_count": integer(minimum=0),
            "failed_updates": {"type": "array", "items": ref("BulkFailure")},
        }),
        "BulkDeleteResult": closed({
            "deleted_count": integer(minimum=0),
            "failed_deletes": {"type": "array", "items": ref("BulkFailure")},
        }),
    }


def media_fields():
    return {
        "id": OBJECT_ID,
        "filename": text("The stored name: 32 random hex digits and the type's extension.",
                         pattern=r"^[0-9a-f]{32}\.[a-z]+$"),
        "original_filename": text(maxLength=255),
        "file_type": {"type": "string", "enum": FILE_TYPES},
        "mime_type": {"type": "string", "enum": MIME_TYPES},
        "file_size": integer(minimum=1),
        "upload_date": TIMESTAMP,
        "uploaded_by": nullable(OBJECT_ID),
        "url": text("Absolute URL of the bytes (public).", format="uri"),
        "thumbnail_url": nullable(text(format="uri")),
        "width": nullable(integer(minimum=1)),
        "height": nullable(integer(minimum=1)),
    }


def media_schemas():
    return {
        "MediaFile": closed(media_fields()),
        "MediaFileDetail": closed({
            **media_fields(),
            "referenced_by": {"type": "array", "items": {"type": "integer"},
                              "description": "Posts naming the file, ascending."},
        }),
        "MediaUploadRequest": {
            "type": "object", "required": ["file"],
            "properties": {"file": {"type": "array", "minItems": 1, "maxItems": 10,
                                    "items": {"type": "string",
                                              "contentMediaType": "application/octet-stream"},
                                    "description": "1 to 10 parts named file, each at most "
                                                   "10485760 bytes."}},
        },
        "MediaUploadResult": closed({
            "count": integer(minimum=1, maximum=10),
            "results": {"type": "array", "items": ref("MediaFile")},
        }),
    }


def post_schemas():
    return {
        "Post": closed({
            "id": OBJECT_ID,
            "title": text(minLength=1, maxLength=200),
            "slug": text(pattern="^[a-z0-9_-]+$", maxLength=90),
            "body": text(maxLength=100000),
            "status": {"type": "string", "enum": POST_STATUSES},
            "author": nullable(OBJECT_ID),
            "cover_media": nullable(OBJECT_ID),
            "media_ids": {"type": "array", "items": OBJECT_ID, "maxItems": 100},
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
            "published_at": nullable(TIMESTAMP),
        }),
        "PostInput": {"type": "object", "properties": {
            "title": text(minLength=1, maxLength=200),
            "body": text(maxLength=100000),
            "status": {"type": "string", "enum": POST_STATUSES},
            "cover_media": ID_INPUT,
            "media_ids": {"type": "array", "maxItems": 100,
                          "items": {"anyOf": [{"type": "integer"},
                                              {"type": "string", "pattern": r"^\d+$"}]}},
        }},
        "PostCreateRequest": {"allOf": [ref("PostInput"), {"required": ["title"]}]},
    }


def operations_schemas():
    sample = {"id": OBJECT_ID, "timestamp": TIMESTAMP, "hostname": text(maxLength=255)}
    bucket = {"bucket_start": TIMESTAMP, "samples": integer(minimum=1)}
    for name, is_bytes in SAMPLE_FIELDS:
        kind = "integer" if is_bytes else "number"
        sample[name] = {"type": [kind, "null"], "minimum": 0}
        bucket[f"{name}_avg"] = {"type": ["number", "null"], "minimum": 0}
        bucket[f"{name}_min"] = {"type": [kind, "null"], "minimum": 0}
        bucket[f"{name}_max"] = {"type": [kind, "null"], "minimum": 0}
    checks = closed({"database": {"type": "string", "enum": ["ok", "error"]},
                     "storage": {"type": "string", "enum": ["ok", "error"]}})
    counter = integer(minimum=0)
    return {
        "AuditEntry": closed({
            "id": OBJECT_ID,
            "timestamp": TIMESTAMP,
            "actor_id": nullable(OBJECT_ID),
            "action": text(),
            "target_type": {"type": "string", "enum": AUDIT_TARGETS},
            "target_id": nullable({"type": "integer"}),
            "details": {"type": "object"},
            "ip": text('The client address, "" when there is none.'),
            "request_id": text('The X-Request-ID of the request, "" when there is none.'),
        }),
        "StatsSample": closed(sample),
        "StatsBucket": closed(bucket),
        "StatsAggregated": closed({
            "interval": {"type": "string", "enum": ["hour", "day"]},
            "start": TIMESTAMP,
            "end": TIMESTAMP,
            "count": counter,
            "buckets": {"type": "array", "items": ref("StatsBucket")},
        }),
        "HealthChecks": checks,
        "Health": closed({
            "status": {"const": "ok"},
            "checks": ref("HealthChecks"),
            "version": text(),
            "uptime_s": counter,
        }),
        "HealthFailure": closed({
            "error": ref("ErrorObject"),
            "timestamp": TIMESTAMP,
            "request_id": text(),
            "status": {"const": "error"},
            "checks": ref("HealthChecks"),
            "version": text(),
            "uptime_s": counter,
        }, "The error body and the health fields at once."),
        "RouteMetrics": closed({
            "method": text('The HTTP method, or "*" for methods the route has no handler for.'),
            "route": text('The route template (/api/tasks/{id}), or "unmatched".'),
            "count": counter,
            "errors": integer("Responses with status >= 500.", minimum=0),
            "p50_ms": {"type": "number", "minimum": 0},
            "p95_ms": {"type": "number", "minimum": 0},
            "p99_ms": {"type": "number", "minimum": 0},
            "avg_db_queries": {"type": "number", "minimum": 0,
                               "description": "Store transactions per request."},
        }),
        "Metrics": closed({
            "uptime_s": counter,
            "started_at": TIMESTAMP,
            "requests": closed({
                "total": counter,
                "by_status": {"type": "object", "additionalProperties": counter,
                              "propertyNames": {"pattern": "^([1-5][0-9]{2}|other)$"}},
                "in_flight": counter,
            }),
            "routes": {"type": "array", "items": ref("RouteMetrics")},
            "database": closed({
                "backend": {"type": "string", "enum": ["sqlite", "postgresql"]},
                "size_bytes": {"type": ["integer", "null"], "minimum": 0},
                "wal_size_bytes": {"type": ["integer", "null"], "minimum": 0},
                "pool": nullable(closed({"size": counter, "in_use": counter})),
                "statements": counter,
                "slow_queries": counter,
                "slow_query_threshold_ms": {"type": "number", "minimum": 0},
            }),
            "realtime": closed({
                "connected_clients": counter, "held_polls": counter, "rooms": counter,
                "events_delivered": counter, "dropped_subscribers": counter,
            }),
        }),
    }


def page_schema(item, filters):
    return closed({
        "count": integer("Matches over all pages.", minimum=0),
        "next": nullable(text(format="uri")),
        "previous": nullable(text(format="uri")),
        "results": {"type": "array", "items": ref(item)},
        "filters_applied": closed(filters, "Only the filters given, as parsed.",
                                  optional=tuple(filters)),
    })


def date_range(kind):
    return closed({"start": nullable(kind), "end": nullable(kind)})


def page_schemas():
    strings = {"type": "array", "items": {"type": "string"}}
    ids = {"type": "array", "items": {"type": "integer"}}
    return {
        "TaskPage": page_schema("Task", {
            "categories": strings, "projects": strings,
            "status": {"type": "array", "items": {"enum": TASK_STATUSES}},
            "priority": {"type": "array", "items": {"enum": TASK_PRIORITIES}},
            "assigned_to": ids, "created_by": ids,
            "date_range": date_range(DATE), "search": text(), "ordering": text(),
        }),
        "MediaPage": page_schema("MediaFile", {
            "file_type": {"type": "array", "items": {"enum": FILE_TYPES}},
            "user_id": ids, "date_range": date_range(DATE), "search": text(),
            "ordering": text(),
        }),
        "PostPage": page_schema("Post", {
            "status": {"type": "array", "items": {"enum": POST_STATUSES}},
            "author": ids, "search": text(), "slug": text(), "ordering": text(),
        }),
        "UserPage": page_schema("User", {
            "is_active": {"type": "boolean"},
            "role": {"type": "array", "items": {"enum": ROLES}},
            "date_range": date_range(DATE), "search": text(),
        }),
        "AuditPage": page_schema("AuditEntry", {
            "actor_id": ids, "action": strings, "target_type": text(),
            "date_range": date_range(TIMESTAMP),
        }),
        "StatsPage": page_schema("StatsSample", {
            "date_range": date_range(TIMESTAMP), "hostname": text(),
        }),
    }


def all_schemas(realtime_schemas):
    schemas = {}
    for part in (error_schemas(), user_schemas(), task_schemas(), media_schemas(),
                 post_schemas(), operations_schemas(), page_schemas(), realtime_schemas):
        overlap = set(schemas) & set(part)
        assert not overlap, f"schema defined twice: {overlap}"
        schemas.update(part)
    return schemas
