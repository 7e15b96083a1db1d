"""Keyword arguments as the query parameters the core parses.

The Python API takes filters as keyword arguments; the core reads them
exactly as it reads an HTTP query string (parse_*_list_query), so every
rule and message is the same. Here they are only spelled as text.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

Params = List[Tuple[str, str]]


def as_text(value: Any) -> str:
    """A filter or field value as the HTTP API writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        return value.isoformat(timespec="milliseconds") + "Z"
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value
    ident = getattr(value, "id", None)  # a User or Task stands for its id
    if isinstance(ident, int):
        return str(ident)
    raise TypeError(f"cannot use {type(value).__name__} as a filter value")


def _values(value: Any) -> Iterable[Any]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return (value,)
    return value


def build_params(
    kwargs: Mapping[str, Any],
    names: Mapping[str, str],
    *,
    multi: Sequence[str] = (),
    comma_lists: Sequence[str] = ("ordering",),
) -> Params:
    """[(parameter, text), ...] for `kwargs`.

    `names` maps each accepted keyword to its query parameter. A keyword in
    `multi` may be one value or an iterable (each value ORed); a keyword in
    `comma_lists` (ordering) may be an iterable joined by commas. None means
    "not filtered". An unknown keyword is a TypeError, as for any function.
    """
    params: Params = []
    for key, value in kwargs.items():
        if key not in names:
            raise TypeError(
                f"unexpected keyword argument {key!r} (accepted: {', '.join(sorted(names))})")
        if value is None:
            continue
        name = names[key]
        if key in comma_lists and not isinstance(value, str):
            params.append((name, ",".join(as_text(v) for v in value)))
        elif key in multi:
            params.extend((name, as_text(v)) for v in _values(value))
        else:
            params.append((name, as_text(value)))
    return params


PAGE_NAMES = {"page": "page", "page_size": "page_size"}

TASK_FILTERS: Dict[str, str] = {
    "category": "category", "project": "project", "status": "status",
    "priority": "priority", "assigned_to": "assigned_to", "created_by": "created_by",
    "due_after": "due_date_start", "due_before": "due_date_end",
    "search": "search", "ordering": "ordering",
}
TASK_MULTI = ("category", "project", "status", "priority", "assigned_to", "created_by")

USER_FILTERS: Dict[str, str] = {
    "is_active": "is_active", "role": "role", "search": "search",
    "joined_after": "registration_date_start", "joined_before": "registration_date_end",
}
USER_MULTI = ("role",)

MEDIA_FILTERS: Dict[str, str] = {
    "file_type": "file_type", "uploaded_by": "user_id",
    "uploaded_after": "upload_date_start", "uploaded_before": "upload_date_end",
    "search": "search", "ordering": "ordering",
}
MEDIA_MULTI = ("file_type", "uploaded_by")

POST_FILTERS: Dict[str, str] = {
    "status": "status", "author": "author", "search": "search", "slug": "slug",
    "ordering": "ordering",
}
POST_MULTI = ("status", "author")

AUDIT_FILTERS: Dict[str, str] = {
    "actor_id": "actor_id", "action": "action", "target_type": "target_type",
    "start": "start", "end": "end",
}
AUDIT_MULTI = ("actor_id", "action")

STATS_FILTERS: Dict[str, str] = {"start": "start", "end": "end", "hostname": "hostname"}

TASK_FIELDS = ("title", "description", "status", "priority", "category", "project",
               "due_date", "assigned_to")
POST_FIELDS = ("title", "body", "status", "cover_media", "media_ids")


def fields(kwargs: Mapping[str, Any], accepted: Optional[Sequence[str]]) -> Dict[str, Any]:
    """Input fields for a create or update: dates as text, objects as ids.

    Values keep their Python type otherwise, so the core can report a wrong
    type as a field error; None is an explicit null, an absent key absent.
    `accepted` None lets every key through (bulk updates: the core names
    each key it refuses).
    """
    out: Dict[str, Any] = {}
    for key, value in kwargs.items():
        if accepted is not None and key not in accepted:
            raise TypeError(
                f"unexpected keyword argument {key!r} (accepted: {', '.join(accepted)})")
        if isinstance(value, _dt.date):
            value = value.isoformat()
        elif key in ("assigned_to", "cover_media") and isinstance(getattr(value, "id", None), int):
            value = value.id
        out[key] = value
    return out
