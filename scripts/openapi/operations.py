"""Building blocks of the operations: shared responses, parameters and the
`operation` helper that adds the refusals an access level can give."""

import examples as ex
from schemas import DATE, FILE_TYPES, POST_STATUSES, ROLES, TASK_PRIORITIES, TASK_STATUSES, ref

JSON = "application/json"

# Access levels as the router knows them (server/router.h, Access).
PUBLIC, OPTIONAL, AUTHENTICATED, ADMIN = "public", "optional", "authenticated", "admin"
SECURITY = {
    PUBLIC: [],
    OPTIONAL: [{}, {"bearerAuth": []}],
    AUTHENTICATED: [{"bearerAuth": []}],
    ADMIN: [{"bearerAuth": []}],
}


def json_content(schema, example):
    return {JSON: {"schema": schema, "example": example}}


def error_response(description, example, headers=None):
    response = {"description": description, "content": json_content(ref("Error"), example)}
    if headers:
        response["headers"] = headers
    return response


RETRY_AFTER = {"Retry-After": {"description": "Seconds until a retry can succeed.",
                               "schema": {"type": "integer", "minimum": 1}}}


def shared_responses():
    return {
        "BadRequest": error_response(
            "parse_error (the body is not JSON or multipart) or validation_error "
            "(field_errors names each bad field or parameter).",
            ex.error("validation_error", "Invalid input.",
                     {"title": ["This field is required."]})),
        "Unauthorized": error_response(
            "not_authenticated (no credentials) or authentication_failed (a bad, expired "
            "or revoked token; an inactive user).",
            ex.error("not_authenticated", "Authentication credentials were not provided."),
            {"WWW-Authenticate": {"schema": {"const": 'Bearer realm="api"'}}}),
        "Forbidden": error_response(
            "permission_denied: authenticated, but this role or user may not do this.",
            ex.error("permission_denied", "You do not have permission to perform this action.")),
        "NotFound": error_response(
            "not_found: no such object (or one the caller may not see), or a page past "
            "the end.", ex.error("not_found", "Not found.")),
        "Conflict": error_response(
            "conflict: a username or email already taken, or the last active admin.",
            ex.error("conflict", "A user with that username already exists.",
                     {"username": ["A user with that username already exists."]})),
        "PayloadTooLarge": error_response(
            "payload_too_large: the body is over its limit.",
            ex.error("payload_too_large", "Request body is too large.")),
        "UnsupportedMediaType": error_response(
            "unsupported_media_type: a compressed request body (Content-Encoding).",
            ex.error("unsupported_media_type",
                     "Unsupported Content-Encoding; send the body uncompressed.")),
        "Throttled": error_response(
            "throttled: a rate limit was hit.",
            ex.error("throttled", "Request was throttled. Expected available in 30 seconds.",
                     details={"retry_after": 30}), RETRY_AFTER),
        "InternalError": error_response(
            "internal_error: always \"Internal server error.\"; the cause is logged with "
            "the request id.", ex.error("internal_error", "Internal server error.")),
        "ServiceUnavailable": error_response(
            "service_unavailable: the database is unreachable, too many password checks "
            "or held polls at once, or the server is shutting down.",
            ex.error("service_unavailable", "Database unavailable.")),
    }


RESPONSE_OF_STATUS = {
    "400": "BadRequest", "401": "Unauthorized", "403": "Forbidden", "404": "NotFound",
    "409": "Conflict", "413": "PayloadTooLarge", "415": "UnsupportedMediaType",
    "429": "Throttled", "500": "InternalError", "503": "ServiceUnavailable",
}


def shared(status):
    return {"$ref": f"#/components/responses/{RESPONSE_OF_STATUS[status]}"}


def ok(description, schema, example, status="200"):
    return {status: {"description": description, "content": json_content(schema, example)}}


def no_content(description):
    return {"204": {"description": description}}


def query(name, description, schema=None, required=False, multi=False):
    if multi:
        description += (" Multi: repeat the parameter or give a comma list; values are "
                        "ORed.")
        schema = {"type": "array", "items": schema or {"type": "string"}}
        return {"name": name, "in": "query", "description": description, "required": required,
                "schema": schema, "style": "form", "explode": True}
    return {"name": name, "in": "query", "description": description, "required": required,
            "schema": schema or {"type": "string"}}


def shared_parameters():
    return {
        "Page": query("page", "1-based page number (default 1).",
                      {"type": "integer", "minimum": 1}),
        "PageSize": query("page_size", "Items per page (default 20; above 100 counts as 100).",
                          {"type": "integer", "minimum": 1}),
        "Search": query("search", "At most 200 characters, trimmed.", {"type": "string",
                                                                       "maxLength": 200}),
        "Id": {"name": "id", "in": "path", "required": True,
               "description": "Decimal digits only; anything else is an unknown path (404).",
               "schema": {"type": "integer", "minimum": 0}},
        "Start": query("start", "Inclusive: a date (the whole UTC day, from its first "
                                "millisecond) or an ISO-8601 UTC date-time.",
                       {"type": "string"}),
        "End": query("end", "Inclusive: a date (the whole UTC day, to its last millisecond) "
                            "or an ISO-8601 UTC date-time.", {"type": "string"}),
        "Hostname": query("hostname", "One server's samples (at most 255 bytes).",
                          {"type": "string", "maxLength": 255}),
    }


def parameter(name):
    return {"$ref": f"#/components/parameters/{name}"}


PAGINATION = [parameter("Page"), parameter("PageSize")]


def ordering(keys, default):
    return query("ordering", f"A comma list of {', '.join(keys)}, each optionally prefixed "
                             f"with - for descending; default {default}. Ties are broken by "
                             "id.", {"type": "string"})


def date_filter(prefix, what):
    return [query(f"{prefix}_start", f"Inclusive start of {what} (YYYY-MM-DD).", DATE),
            query(f"{prefix}_end", f"Inclusive end of {what} (YYYY-MM-DD).", DATE)]


TASK_FILTERS = [
    query("category", "Exact category (each value at most 100 characters).", multi=True),
    query("project", "Exact project (each value at most 100 characters).", multi=True),
    query("status", "Task status.", {"enum": TASK_STATUSES}, multi=True),
    query("priority", "Task priority.", {"enum": TASK_PRIORITIES}, multi=True),
    query("assigned_to", "Assignee user ids.", {"type": "integer"}, multi=True),
    query("created_by", "Creator user ids.", {"type": "integer"}, multi=True),
    *date_filter("due_date", "due_date"),
    {**parameter("Search"), "description": "Full text over title and description."},
    ordering(["due_date", "priority", "created_at", "updated_at", "title"], "-created_at"),
]
MEDIA_FILTERS = [
    query("file_type", "jpg, png, gif, webp, pdf, doc, docx; also image and document.",
          {"enum": FILE_TYPES + ["image", "document"]}, multi=True),
    query("user_id", "Uploader ids.", {"type": "integer"}, multi=True),
    *date_filter("upload_date", "the upload's UTC day"),
    parameter("Search"),
    ordering(["upload_date", "file_size"], "-upload_date"),
]
POST_FILTERS = [
    query("status", "Post status.", {"enum": POST_STATUSES}, multi=True),
    query("author", "Author user ids.", {"type": "integer"}, multi=True),
    parameter("Search"),
    query("slug", "Exact slug."),
    ordering(["created_at", "updated_at", "published_at", "title"], "-created_at"),
]
USER_FILTERS = [
    query("is_active", "true or false (also 1 / 0).", {"type": "boolean"}),
    query("role", "Role names.", {"enum": ROLES}, multi=True),
    *date_filter("registration_date", "date_joined's UTC day"),
    parameter("Search"),
]
AUDIT_FILTERS = [
    query("actor_id", "Positive user ids.", {"type": "integer", "minimum": 1}, multi=True),
    query("action", "Action names.", multi=True),
    query("target_type", "user, task, media or post."),
    parameter("Start"), parameter("End"),
]
STATS_FILTERS = [parameter("Start"), parameter("End"), parameter("Hostname")]


def operation(operation_id, tag, summary, access, responses, *, description=None,
              parameters=(), body=None, errors=(), counted=True, database=True):
    """One operation. `errors` are the statuses the route itself may answer;
    the refusals of its access level, its rate limit and the server's own
    failures are added here."""
    statuses = set(errors)
    if access in (OPTIONAL, AUTHENTICATED, ADMIN):
        statuses.add("401")
    if access == ADMIN:
        statuses.add("403")
    if body is not None:
        statuses.update({"400", "413", "415"})
    if counted:
        statuses.add("429")
    statuses.add("500")
    if database:
        statuses.add("503")
    result = {"operationId": operation_id, "tags": [tag], "summary": summary}
    if description:
        result["description"] = description
    result["x-taskcore-access"] = access
    result["security"] = SECURITY[access]
    if parameters:
        result["parameters"] = list(parameters)
    if body is not None:
        result["requestBody"] = body
    merged = dict(responses)
    for status in sorted(statuses):
        merged.setdefault(status, shared(status))
    result["responses"] = dict(sorted(merged.items()))
    return result


def json_body(schema, example, required=True, description=None):
    body = {"required": required, "content": json_content(schema, example)}
    if description:
        body["description"] = description
    return body
