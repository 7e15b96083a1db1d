"""The paths of the API reference: every route the router serves (method
and template), with what it takes and answers. tests/server/openapi_test.cc
checks this list against the router itself."""

import examples as ex
from operations import (AUTHENTICATED, MEDIA_FILTERS, OPTIONAL, PAGINATION, POST_FILTERS,
                        PUBLIC, TASK_FILTERS, json_body, json_content, no_content, ok,
                        operation, parameter)
from schemas import ref

ID = [parameter("Id")]


def auth_paths():
    password_rules = "The new password follows the registration rules."
    return {
        "/api/auth/register/": {"post": operation(
            "register", "auth", "Create an account (role member)", PUBLIC,
            ok("The new user.", ref("User"), ex.NEW_USER, "201"),
            description="403 when the server runs with --no-registration; 409 when the "
                        "username or email is taken.",
            body=json_body(ref("RegisterRequest"),
                           {"username": "grace", "email": "grace@example.com",
                            "password": "correct horse battery"}),
            errors=("403", "409"))},
        "/api/auth/login/": {"post": operation(
            "login", "auth", "Username and password to access and refresh tokens", PUBLIC,
            ok("The tokens and the user.", ref("LoginResponse"), ex.LOGIN),
            description="Any credential problem is the same 401 authentication_failed; "
                        "429 once the failed-login limits are hit.",
            body=json_body(ref("LoginRequest"), {"username": "ada", "password": "secret pass"}),
            errors=("401",))},
        "/api/auth/refresh/": {"post": operation(
            "refreshTokens", "auth", "Trade a refresh token for a new pair (rotation)", PUBLIC,
            ok("A new pair; the refresh token sent is dead.", ref("TokenPair"), ex.TOKEN_PAIR),
            description="A refresh token used twice ends its whole session.",
            body=json_body(ref("RefreshRequest"), {"refresh": ex.REFRESH}), errors=("401",))},
        "/api/auth/logout/": {"post": operation(
            "logout", "auth", "End a session", AUTHENTICATED,
            no_content("The session ended; its access tokens fail from the next request."),
            body=json_body(ref("LogoutRequest"), {"refresh": ex.REFRESH}, required=False))},
        "/api/auth/password/change/": {"post": operation(
            "changePassword", "auth", "Change one's own password", AUTHENTICATED,
            no_content("Changed; every other session of the user ended."),
            description=password_rules,
            body=json_body(ref("PasswordChangeRequest"),
                           {"old_password": "secret pass", "new_password": "a new secret"}))},
        "/api/auth/password/reset/confirm/": {"post": operation(
            "confirmPasswordReset", "auth", "Set a new password with a reset token", PUBLIC,
            no_content("Changed; every session of the user ended."),
            description=password_rules + " An unknown, used or expired token is 400 on "
                                         "field token.",
            body=json_body(ref("PasswordResetConfirmRequest"),
                           {"token": "c0ffee5a41c3b8e6f1a2d3c4b5a69f0cc0ffee5a41c3b8e6f1a2d3c4"
                                     "b5a69f0c", "new_password": "a new secret"}))},
        "/api/auth/me/": {"get": operation(
            "me", "auth", "The caller's user", AUTHENTICATED, ok("The caller.", ref("User"),
                                                                  ex.USER))},
    }


def task_paths():
    task_body = json_body(ref("TaskInput"), {"status": "review", "assigned_to": None})
    write_errors = ("403", "404")
    bulk_delete = dict(
        responses=ok("Deleted what could be; failures in the order given.",
                     ref("BulkDeleteResult"),
                     {"deleted_count": 2, "failed_deletes": [
                         {"task_id": 404, "error": {"code": "not_found",
                                                    "message": "Not found."}}]}),
        description="One transaction; ids the caller may not delete or that do not exist "
                    "fail one by one.",
        body=json_body(ref("BulkDeleteRequest"), {"task_ids": [42, 17, 404]}),
        errors=("403",))
    return {
        "/api/tasks/": {
            "get": operation(
                "listTasks", "tasks", "List tasks", AUTHENTICATED,
                ok("A page of tasks.", ref("TaskPage"),
                   ex.page([ex.TASK, ex.TASK_BARE],
                           {"status": ["todo", "in_progress"], "priority": ["high", "urgent"],
                            "search": "ship rel", "ordering": "priority,-due_date"})),
                parameters=TASK_FILTERS + PAGINATION, errors=("400", "404")),
            "post": operation(
                "createTask", "tasks", "Create a task", AUTHENTICATED,
                ok("The new task.", ref("Task"), ex.TASK, "201"),
                body=json_body(ref("TaskCreateRequest"),
                               {"title": "Write the changelog", "priority": "high",
                                "project": "apollo", "due_date": "2025-10-01",
                                "assigned_to": 9}),
                errors=("403",)),
        },
        "/api/tasks/{id}/": {
            "get": operation("getTask", "tasks", "One task", AUTHENTICATED,
                             ok("The task.", ref("Task"), ex.TASK), parameters=ID,
                             errors=("404",)),
            "put": operation(
                "replaceTask", "tasks", "Update a task (title required)", AUTHENTICATED,
                ok("The updated task.", ref("Task"), ex.TASK), parameters=ID,
                body=json_body({"allOf": [ref("TaskInput"), {"required": ["title"]}]},
                               {"title": "Ship the release", "status": "review"}),
                errors=write_errors),
            "patch": operation(
                "updateTask", "tasks", "Update some fields of a task", AUTHENTICATED,
                ok("The updated task.", ref("Task"), ex.TASK), parameters=ID, body=task_body,
                errors=write_errors),
            "delete": operation("deleteTask", "tasks", "Delete a task", AUTHENTICATED,
                                no_content("Deleted."), parameters=ID, errors=write_errors),
        },
        "/api/tasks/bulk-update/": {"post": operation(
            "bulkUpdateTasks", "tasks", "Change fields of up to 10000 tasks", AUTHENTICATED,
            ok("Updated what could be; failures in the order given.", ref("BulkUpdateResult"),
               {"updated_count": 2, "failed_updates": [
                   {"task_id": 9, "error": {"code": "permission_denied",
                                            "message": "You do not have permission to update "
                                                       "this task."}},
                   {"task_id": 404, "error": {"code": "not_found", "message": "Not found."}}]}),
            description="One transaction; a bad value in updates fails the whole request.",
            body=json_body(ref("BulkUpdateRequest"),
                           {"task_ids": [42, 17, 9, 404],
                            "updates": {"status": "done", "assigned_to": 9}}),
            errors=("403",))},
        "/api/tasks/bulk-delete/": {
            "delete": operation("bulkDeleteTasks", "tasks", "Delete up to 10000 tasks",
                                AUTHENTICATED, **bulk_delete),
            "post": operation("bulkDeleteTasksByPost", "tasks",
                              "Delete up to 10000 tasks (for clients that cannot send a "
                              "DELETE body)", AUTHENTICATED, **bulk_delete),
        },
    }


def media_paths():
    multipart = "multipart/form-data"
    upload_body = {"required": True, "content": {multipart: {
        "schema": ref("MediaUploadRequest"),
        "encoding": {"file": {"contentType": "image/jpeg, image/png, image/gif, image/webp, "
                                             "application/pdf, application/msword, "
                                             "application/octet-stream"}}}}}
    bytes_ok = {"description": "The stored bytes, with a strong ETag and an immutable "
                               "Cache-Control.",
                "headers": {"ETag": {"schema": {"type": "string"}},
                            "Accept-Ranges": {"schema": {"const": "bytes"}}},
                "content": {mime: {"schema": {"type": "string",
                                              "contentMediaType": mime}}
                            for mime in ("image/jpeg", "image/png", "image/gif", "image/webp",
                                         "application/pdf", "application/msword",
                                         "application/vnd.openxmlformats-officedocument."
                                         "wordprocessingml.document")}}
    upload_errors = {
        "413": {"description": "payload_too_large: one file over 10485760 bytes, or the body "
                               "over its limit.",
                "content": json_content(ref("Error"), ex.error(
                    "payload_too_large", "Each file may have at most 10485760 bytes.",
                    details={"max_bytes": 10485760}))},
        "415": {"description": "unsupported_media_type: not multipart/form-data, or a file of "
                               "a type not allowed (decided from its bytes).",
                "content": json_content(ref("Error"), ex.error(
                    "unsupported_media_type",
                    "Allowed files are JPEG, PNG, GIF, WebP, PDF, DOC and DOCX."))},
    }
    return {
        "/api/blog/media/upload/": {"post": operation(
            "uploadMedia", "media", "Upload 1 to 10 files", AUTHENTICATED,
            {**ok("The stored files, in the order of the parts.", ref("MediaUploadResult"),
                  {"count": 2, "results": [ex.IMAGE, ex.DOCUMENT]}, "201"), **upload_errors},
            description="All or nothing: if any part is refused, nothing is stored.",
            body=upload_body, errors=("403",))},
        "/api/blog/media/": {"get": operation(
            "listMedia", "media", "List media files", AUTHENTICATED,
            ok("A page of media files.", ref("MediaPage"),
               ex.page([ex.DOCUMENT], {"file_type": ["pdf", "doc", "docx"], "search": "menu"})),
            parameters=MEDIA_FILTERS + PAGINATION, errors=("400", "404"))},
        "/api/blog/media/{id}/": {
            "get": operation(
                "getMedia", "media", "One media file, with the posts using it", AUTHENTICATED,
                ok("The media file.", ref("MediaFileDetail"),
                   {**ex.IMAGE, "referenced_by": [12, 15]}),
                parameters=ID, errors=("404",)),
            "delete": operation(
                "deleteMedia", "media", "Delete a media file and its thumbnail", AUTHENTICATED,
                no_content("Deleted; posts dropped their references in the same "
                           "transaction."), parameters=ID, errors=("403", "404")),
        },
        "/api/blog/media/files/{name}": {"get": operation(
            "getMediaFile", "media", "The stored bytes of a file or thumbnail", PUBLIC,
            {"200": bytes_ok,
             "206": {"description": "One range of the bytes (Range: bytes=...).",
                     "headers": {"Content-Range": {"schema": {"type": "string"}}}},
             "304": {"description": "If-None-Match named the entity tag."},
             "416": {"description": "The range starts past the end.",
                     "headers": {"Content-Range": {"schema": {"type": "string"}}}}},
            parameters=[{"name": "name", "in": "path", "required": True,
                         "description": "A url or thumbnail_url's last segment.",
                         "schema": {"type": "string",
                                    "pattern": r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$"}}],
            errors=("404",))},
    }


def post_paths():
    write_errors = ("400", "403", "404")
    post_example = {"title": "What's new?", "body": "Release notes.", "status": "draft",
                    "media_ids": [32]}
    return {
        "/api/blog/posts/": {
            "get": operation(
                "listPosts", "posts", "List the posts the caller may see", OPTIONAL,
                ok("A page of posts.", ref("PostPage"),
                   ex.page([ex.POST], {"slug": "cafe-uber-strasse"})),
                description="Drafts appear only to their author, managers and admins.",
                parameters=POST_FILTERS + PAGINATION, errors=("400", "404")),
            "post": operation(
                "createPost", "posts", "Create a post", AUTHENTICATED,
                ok("The new post.", ref("Post"), ex.POST, "201"),
                body=json_body(ref("PostCreateRequest"), post_example), errors=("403",)),
        },
        "/api/blog/posts/{id}/": {
            "get": operation("getPost", "posts", "One post", OPTIONAL,
                             ok("The post.", ref("Post"), ex.POST), parameters=ID,
                             description="A draft the caller may not see is 404.",
                             errors=("404",)),
            "put": operation(
                "replacePost", "posts", "Update a post (title required)", AUTHENTICATED,
                ok("The updated post.", ref("Post"), ex.POST), parameters=ID,
                body=json_body({"allOf": [ref("PostInput"), {"required": ["title"]}]},
                               post_example), errors=write_errors),
            "patch": operation(
                "updatePost", "posts", "Update some fields of a post", AUTHENTICATED,
                ok("The updated post.", ref("Post"), ex.POST), parameters=ID,
                body=json_body(ref("PostInput"), {"status": "published"}),
                errors=write_errors),
            "delete": operation("deletePost", "posts", "Delete a post", AUTHENTICATED,
                                no_content("Deleted."), parameters=ID,
                                errors=("403", "404")),
        },
    }
