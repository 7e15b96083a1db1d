"""Example values of the API reference. The validator checks each against
its schema, so they stay true to the shapes."""

STAMP = "2025-09-28T12:34:56.789Z"
LATER = "2025-09-29T09:15:00.120Z"
ORIGIN = "http://127.0.0.1:8000"
REQUEST_ID = "9f0c2b7e4d5a41c3b8e6f1a2d3c4b5a6"

USER = {"id": 7, "username": "ada", "email": "ada@example.com", "role": "member",
        "is_active": True, "date_joined": STAMP, "last_login": "2025-09-29T08:01:02.345Z"}
NEW_USER = {"id": 8, "username": "grace", "email": "grace@example.com", "role": "member",
            "is_active": True, "date_joined": "2025-09-28T12:40:00.000Z", "last_login": None}

ACCESS = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3NTkxMzM3NjIsImlhdCI6MTc1OTEzMjg2"
          "MiwianRpIjoiNGQ1YTQxYzNiOGU2ZjFhMmQzYzRiNWE2OWYwYzJiN2UiLCJzaWQiOiI3YjJlNGQ1YTQx"
          "YzNiOGU2ZjFhMmQzYzRiNWE2OWYwYyIsInRva2VuX3R5cGUiOiJhY2Nlc3MiLCJ1c2VyX2lkIjo3fQ."
          "UNhY4JhezH9gQYqvDMWrWH9CwlcKiECVqejMrND2VFw")
REFRESH = "5f0c2b7e4d5a41c3b8e6f1a2d3c4b5a69f0c2b7e4d5a41c3b8e6f1a2d3c4b5a6"
TOKEN_PAIR = {"access": ACCESS, "refresh": REFRESH, "token_type": "Bearer", "expires_in": 900}
LOGIN = {**TOKEN_PAIR, "user": USER}

TASK = {"id": 42, "title": "Ship the release", "description": "Tag, build, announce.",
        "status": "in_progress", "priority": "high", "category": "web", "project": "apollo",
        "due_date": "2025-10-03", "assigned_to": 9, "created_by": 7,
        "created_at": STAMP, "updated_at": LATER}
TASK_BARE = {"id": 17, "title": "Ship notes for release 2", "description": "",
             "status": "todo", "priority": "urgent", "category": None, "project": None,
             "due_date": None, "assigned_to": None, "created_by": 7,
             "created_at": "2025-09-20T10:00:00.000Z", "updated_at": "2025-09-20T10:00:00.000Z"}
TASK_DONE = {**TASK, "status": "done", "updated_at": "2025-09-30T16:20:00.000Z"}
TASK_UPDATED = {"task_id": 42, "task": TASK_DONE, "updated_by": 7}


def _media(media_id, stem, ext, original, file_type, mime, size, width, height):
    name = f"{stem}.{ext}"
    thumb = f"{ORIGIN}/api/blog/media/files/{stem}_thumb.{ext}" if width else None
    return {"id": media_id, "filename": name, "original_filename": original,
            "file_type": file_type, "mime_type": mime, "file_size": size,
            "upload_date": STAMP, "uploaded_by": 7,
            "url": f"{ORIGIN}/api/blog/media/files/{name}", "thumbnail_url": thumb,
            "width": width, "height": height}


IMAGE = _media(31, "3f2a9c0e5b7d41e8a6c4b2d0f9e8a7b6", "jpg", "harbour at dawn.jpg", "jpg",
               "image/jpeg", 482113, 4032, 3024)
DOCUMENT = _media(32, "9b1d7e3c5a2f48d6b0e4c8a1f3d5b7e9", "pdf", "menu.pdf", "pdf",
                  "application/pdf", 91234, None, None)

POST = {"id": 12, "title": "Café Über Straße", "slug": "cafe-uber-strasse",
        "body": "Our first week on the harbour.", "status": "published", "author": 7,
        "cover_media": 31, "media_ids": [31, 32], "created_at": STAMP,
        "updated_at": "2025-09-28T13:00:00.000Z", "published_at": "2025-09-28T13:00:00.000Z"}

AUDIT_ENTRY = {"id": 981, "timestamp": STAMP, "actor_id": 1, "action": "user_update",
               "target_type": "user", "target_id": 7,
               "details": {"username": "ada",
                           "changes": {"role": {"from": "member", "to": "manager"}}},
               "ip": "203.0.113.9", "request_id": REQUEST_ID}

SAMPLE = {"id": 1201, "timestamp": "2025-09-28T12:34:00.012Z", "hostname": "app-1",
          "cpu_percent": 12.5, "memory_percent": 41.2, "memory_used_bytes": 3435973836,
          "memory_total_bytes": 8341053440, "disk_percent": 57.3,
          "disk_used_bytes": 28587302912, "disk_total_bytes": 53687091200, "load_avg_1": 0.42}

BUCKET = {"bucket_start": "2025-09-28T11:00:00.000Z", "samples": 60,
          "cpu_percent_avg": 11.8, "cpu_percent_min": 3.1, "cpu_percent_max": 47.0,
          "memory_percent_avg": 41.0, "memory_percent_min": 40.2, "memory_percent_max": 42.9,
          "memory_used_bytes_avg": 3419872562.5, "memory_used_bytes_min": 3353686016,
          "memory_used_bytes_max": 3578265600,
          "memory_total_bytes_avg": 8341053440.0, "memory_total_bytes_min": 8341053440,
          "memory_total_bytes_max": 8341053440,
          "disk_percent_avg": 57.3, "disk_percent_min": 57.2, "disk_percent_max": 57.3,
          "disk_used_bytes_avg": 28585000000.0, "disk_used_bytes_min": 28580000000,
          "disk_used_bytes_max": 28590000000,
          "disk_total_bytes_avg": 53687091200.0, "disk_total_bytes_min": 53687091200,
          "disk_total_bytes_max": 53687091200,
          "load_avg_1_avg": 0.38, "load_avg_1_min": 0.05, "load_avg_1_max": 1.2}

METRICS = {
    "uptime_s": 3600, "started_at": STAMP,
    "requests": {"total": 1200, "by_status": {"200": 1100, "404": 90, "500": 10},
                 "in_flight": 1},
    "routes": [{"method": "GET", "route": "/api/tasks/{id}", "count": 400, "errors": 10,
                "p50_ms": 0.61, "p95_ms": 1.9, "p99_ms": 4.2, "avg_db_queries": 2.0}],
    "database": {"backend": "sqlite", "size_bytes": 1048576, "wal_size_bytes": 65536,
                 "pool": None, "statements": 52000, "slow_queries": 3,
                 "slow_query_threshold_ms": 100},
    "realtime": {"connected_clients": 12, "held_polls": 9, "rooms": 4,
                 "events_delivered": 8000, "dropped_subscribers": 0},
}

HEALTH = {"status": "ok", "checks": {"database": "ok", "storage": "ok"},
          "version": "0.1.0", "uptime_s": 3600}
HEALTH_FAILURE = {
    "error": {"code": "service_unavailable", "message": "Service unavailable.",
              "details": {"database": "error", "storage": "ok"}},
    "timestamp": STAMP, "request_id": "0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a",
    "status": "error", "checks": {"database": "error", "storage": "ok"},
    "version": "0.1.0", "uptime_s": 3600,
}

POLL = {"cursor": 1042, "events": [
    {"id": 1042, "type": "task_updated", "room": "tasks", "data": TASK_UPDATED,
     "timestamp": "2025-09-30T16:20:00.000Z"},
    {"id": 1042, "type": "notification", "room": "user_9",
     "data": {"type": "task_assigned", "message": "You were assigned \"Ship the release\".",
              "data": {"task_id": 42}},
     "timestamp": "2025-09-30T16:20:00.000Z"}]}


def page(results, filters, count=None, next_link=None, previous=None):
    return {"count": len(results) if count is None else count, "next": next_link,
            "previous": previous, "results": results, "filters_applied": filters}


def error(code, message, field_errors=None, details=None):
    body = {"code": code, "message": message}
    if details:
        body["details"] = details
    if field_errors:
        body["field_errors"] = field_errors
    return {"error": body, "timestamp": STAMP, "request_id": REQUEST_ID}
