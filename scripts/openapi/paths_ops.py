"""Paths of the admin, operations and realtime routes."""

import examples as ex
from operations import (ADMIN, AUDIT_FILTERS, AUTHENTICATED, JSON, PAGINATION, PUBLIC,
                        STATS_FILTERS, USER_FILTERS, json_body, json_content, ok, operation,
                        parameter, query)
from schemas import ref

ID = [parameter("Id")]


def admin_paths():
    user_update = dict(
        responses=ok("The updated user.", ref("User"), {**ex.USER, "role": "manager"}),
        description="Any subset of email, role, is_active. Demoting or deactivating the "
                    "last active admin is 409.",
        parameters=ID, body=json_body(ref("UserUpdateRequest"), {"role": "manager"}),
        errors=("404", "409"))
    return {
        "/api/admin/users/": {"get": operation(
            "listUsers", "admin", "List users", ADMIN,
            ok("A page of users, by id.", ref("UserPage"),
               ex.page([ex.USER], {"role": ["member"],
                                   "date_range": {"start": "2025-09-01", "end": None}})),
            parameters=USER_FILTERS + PAGINATION, errors=("400", "404"))},
        "/api/admin/users/{id}/": {
            "get": operation("getUser", "admin", "One user", ADMIN,
                             ok("The user.", ref("User"), ex.USER), parameters=ID,
                             errors=("404",)),
            "put": operation("replaceUser", "admin", "Change email, role, activity", ADMIN,
                             **user_update),
            "patch": operation("updateUser", "admin",
                               "Change email, role, activity (a twin of PUT)", ADMIN,
                               **user_update),
        },
        "/api/admin/users/{id}/toggle-active/": {"patch": operation(
            "toggleUserActive", "admin", "Flip is_active", ADMIN,
            ok("The user.", ref("User"), {**ex.USER, "is_active": False}),
            parameters=ID, errors=("404", "409"))},
        "/api/admin/users/{id}/reset-password/": {"post": operation(
            "resetUserPassword", "admin", "Issue a one-time reset token", ADMIN,
            ok("The token; the user's password and sessions stopped working.",
               ref("ResetToken"),
               {"reset_token": "c0ffee5a41c3b8e6f1a2d3c4b5a69f0cc0ffee5a41c3b8e6f1a2d3c4b5a69f0c",
                "expires_at": "2025-09-29T12:34:56.789Z"}),
            parameters=ID, errors=("404",))},
        "/api/admin/audit-log/": {"get": operation(
            "listAuditLog", "admin", "List audit entries, newest first", ADMIN,
            ok("A page of audit entries.", ref("AuditPage"),
               ex.page([ex.AUDIT_ENTRY], {"action": ["user_update"],
                                          "date_range": {"start": "2025-09-28T00:00:00.000Z",
                                                         "end": None}})),
            parameters=AUDIT_FILTERS + PAGINATION, errors=("400", "404"))},
        "/api/admin/metrics/": {"get": operation(
            "getMetrics", "operations", "Request, database and realtime figures", ADMIN,
            ok("Figures since this server process started.", ref("Metrics"), ex.METRICS),
            database=False)},
    }


def stats_paths():
    return {
        "/api/system/stats/": {"get": operation(
            "listSystemStats", "operations", "List machine samples, newest first", ADMIN,
            ok("A page of samples.", ref("StatsPage"),
               ex.page([ex.SAMPLE], {"date_range": {"start": "2025-09-28T00:00:00.000Z",
                                                    "end": None}}, count=1440,
                       next_link=f"{ex.ORIGIN}/api/system/stats/?page=2&start=2025-09-28")),
            parameters=STATS_FILTERS + PAGINATION, errors=("400", "404"))},
        "/api/system/stats/latest/": {"get": operation(
            "getLatestSystemStats", "operations", "The newest sample", ADMIN,
            ok("The newest sample.", ref("StatsSample"), ex.SAMPLE),
            description="404 before the first sample.",
            parameters=[parameter("Hostname")], errors=("400", "404"))},
        "/api/system/stats/aggregated/": {"get": operation(
            "getAggregatedSystemStats", "operations", "Hourly or daily buckets", ADMIN,
            ok("Buckets oldest first; empty buckets are left out.", ref("StatsAggregated"),
               {"interval": "hour", "start": "2025-09-27T12:34:56.790Z",
                "end": "2025-09-28T12:34:56.789Z", "count": 1, "buckets": [ex.BUCKET]}),
            description="Without start: the last 24 hours (hour) or 30 days (day), ending at "
                        "end or now.",
            parameters=[query("interval", "Bucket size (default hour).",
                              {"enum": ["hour", "day"]}), *STATS_FILTERS],
            errors=("400",))},
        "/api/health/": {"get": operation(
            "health", "operations", "Database and storage checks", PUBLIC,
            {**ok("Every check passed.", ref("Health"), ex.HEALTH),
             "503": {"description": "A check failed: the error body and the health fields.",
                     "content": json_content(ref("HealthFailure"), ex.HEALTH_FAILURE)}},
            description="Never rate-limited.", counted=False)},
        "/api/schema/": {"get": operation(
            "getSchema", "operations", "This OpenAPI document", PUBLIC,
            {"200": {"description": "The OpenAPI 3.1 document of this build, with a strong "
                                    "ETag.",
                     "headers": {"ETag": {"schema": {"type": "string"}}},
                     "content": {JSON: {"schema": {"type": "object",
                                                   "required": ["openapi", "paths"]}}}},
             "304": {"description": "If-None-Match named the entity tag."}},
            database=False)},
    }


def realtime_paths():
    engine_io_error = {"description": "Engine.IO's error answer (not the API's error body).",
                       "content": json_content(ref("EngineIoError"),
                                               {"code": 1, "message": "Session ID unknown"})}
    socket_query = [
        query("EIO", "Engine.IO protocol version; only 4.", {"const": "4"}, required=True),
        query("transport", "Only polling.", {"const": "polling"}, required=True),
        query("sid", "The Engine.IO session id of the handshake (absent on the handshake).",
              {"type": "string"}),
    ]
    text_plain = "text/plain"
    socket = dict(counted=False, database=False, parameters=socket_query)
    busy = {"description": "Too many held polls or sessions, or shutting down "
                           "(Retry-After: 1).",
            "content": json_content(ref("EngineIoError"),
                                    {"code": 3, "message": "Server is busy"})}
    return {
        "/api/realtime/poll/": {"get": operation(
            "pollEvents", "realtime", "JSON long-poll of realtime events", AUTHENTICATED,
            ok("Events after cursor (possibly none after the hold).", ref("PollAnswer"),
               ex.POLL),
            description="Held up to timeout seconds when nothing is there. An expired cursor "
                        "is 400 with details.reason cursor_expired and details.cursor.",
            parameters=[
                query("rooms", "Rooms to read (default tasks); at most 100.", multi=True),
                query("cursor", "The cursor of the previous answer; without it, from now on.",
                      {"type": "integer", "minimum": 0}),
                query("timeout", "Seconds to hold (default 25, at most 30, 0 answers at once).",
                      {"type": "number", "minimum": 0}),
            ], errors=("400", "403"), counted=False)},
        "/api/realtime/presence/": {"get": operation(
            "getPresence", "realtime", "Users present in a room", AUTHENTICATED,
            ok("Connected users, on every server.", ref("Presence"),
               {"room": "project_apollo", "users": [7, 9]}),
            parameters=[query("room", "The room.", required=True)], errors=("400", "403"))},
        "/socket.io/": {
            "get": operation(
                "socketIoPoll", "realtime", "Engine.IO handshake and long-poll", PUBLIC,
                {"200": {"description": "Engine.IO packets joined by \\x1e; the handshake "
                                        "is 0{\"sid\":...}.",
                         "content": {text_plain: {"schema": {"type": "string"},
                                                  "example": "0{\"sid\":\"3f2a9c0e5b7d41e8a6c4"
                                                             "b2d0f9e8a7b6\",\"upgrades\":[],"
                                                             "\"pingInterval\":25000,"
                                                             "\"pingTimeout\":20000,"
                                                             "\"maxPayload\":1000000}"}}},
                 "400": engine_io_error, "503": busy},
                description="Socket.IO v5 over Engine.IO v4 long-polling; the access token "
                            "goes in the CONNECT packet (auth: {token}). Events: see "
                            "x-realtime-events.", **socket),
            "post": operation(
                "socketIoSend", "realtime", "Engine.IO packets from the client", PUBLIC,
                {"200": {"description": "Accepted.",
                         "content": {"text/html": {"schema": {"const": "ok"},
                                                   "example": "ok"}}},
                 "400": engine_io_error,
                 "413": {"description": "Over maxPayload; the session is closed.",
                         "content": json_content(ref("EngineIoError"),
                                                 {"code": 3, "message": "Bad request"})},
                 "503": busy},
                body={"required": True, "content": {text_plain: {"schema": {"type": "string"},
                                                                 "example": "40{\"token\":\"...\"}"}}},
                **socket),
        },
    }


def metrics_listener_path():
    return {"/metrics": {
        "x-taskcore-listener": "metrics",
        "description": "Served only on the listener of --metrics-listen HOST:PORT (off by "
                       "default), never on the API port. No authentication: bind it where "
                       "only the scraper reaches.",
        "get": {
            "operationId": "prometheusMetrics", "tags": ["operations"],
            "summary": "Prometheus text exposition of the metrics",
            "security": [],
            "responses": {"200": {
                "description": "The figures of GET /api/admin/metrics/ with conventional "
                               "names (taskcore_http_requests_total, "
                               "taskcore_http_request_duration_seconds, ...).",
                "content": {"text/plain; version=0.0.4": {
                    "schema": {"type": "string"},
                    "example": "# TYPE taskcore_realtime_held_polls gauge\n"
                               "taskcore_realtime_held_polls 9\n"}}}},
        },
    }}
