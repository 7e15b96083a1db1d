"""The exceptions of taskcore: one base class, one subclass per stable code.

Every failure the core reports is a :class:`Error` whose ``code`` is the
same stable name the HTTP API puts in its error bodies.
"""

from __future__ import annotations

from typing import Dict, List, Mapping, Optional, Type, Union

DetailValue = Union[int, str]


class Error(Exception):
    """A failure of a taskcore operation.

    ``code`` is the stable error code (``"validation_error"``, ...),
    ``message`` a sentence safe to show to end users, ``field_errors`` maps
    field names to their messages, ``details`` holds extra facts (such as
    ``retry_after`` of :class:`Throttled`).
    """

    code: str = "internal_error"

    def __init__(
        self,
        message: str,
        field_errors: Optional[Mapping[str, List[str]]] = None,
        details: Optional[Mapping[str, DetailValue]] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors: Dict[str, List[str]] = dict(field_errors or {})
        self.details: Dict[str, DetailValue] = dict(details or {})

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, field_errors={self.field_errors!r})"

    def __str__(self) -> str:
        if not self.field_errors:
            return self.message
        fields = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in self.field_errors.items())
        return f"{self.message} ({fields})"


class ParseError(Error):
    """Input that could not be read at all."""

    code = "parse_error"


class ValidationError(Error, ValueError):
    """Input that breaks a rule; ``field_errors`` names each bad field."""

    code = "validation_error"


class NotAuthenticated(Error):
    """The operation needs a logged-in caller."""

    code = "not_authenticated"


class AuthenticationFailed(Error):
    """Wrong credentials, or a token that is invalid, expired or revoked."""

    code = "authentication_failed"


class PermissionDenied(Error, PermissionError):
    """The caller's role does not allow the operation."""

    code = "permission_denied"


class NotFound(Error, LookupError):
    """No such object (or one the caller may not see)."""

    code = "not_found"


class MethodNotAllowed(Error):
    code = "method_not_allowed"


class Conflict(Error):
    """The change collides with the current state (a taken username, the last admin)."""

    code = "conflict"


class PayloadTooLarge(Error):
    code = "payload_too_large"


class UnsupportedMediaType(Error):
    """Bytes of no accepted type, or an image that cannot be decoded."""

    code = "unsupported_media_type"


class Throttled(Error):
    """Over a rate limit; ``retry_after`` says how many seconds to wait."""

    code = "throttled"

    @property
    def retry_after(self) -> Optional[int]:
        value = self.details.get("retry_after")
        return value if isinstance(value, int) else None


class InternalError(Error):
    code = "internal_error"


class ServiceUnavailable(Error):
    """The store, media storage or the database handle is not available (closed)."""

    code = "service_unavailable"


_BY_CODE: Dict[str, Type[Error]] = {
    cls.code: cls
    for cls in (
        ParseError, ValidationError, NotAuthenticated, AuthenticationFailed,
        PermissionDenied, NotFound, MethodNotAllowed, Conflict, PayloadTooLarge,
        UnsupportedMediaType, Throttled, InternalError, ServiceUnavailable,
    )
}


# Shown as taskcore.ValidationError (the public name) in tracebacks.
for _cls in (Error, *_BY_CODE.values()):
    _cls.__module__ = "taskcore"


def from_core(
    code: str,
    message: str,
    field_errors: Mapping[str, List[str]],
    details: Mapping[str, DetailValue],
) -> Error:
    """The exception for an error of the native core (called by taskcore._core)."""
    cls = _BY_CODE.get(code, Error)
    error = cls(message, field_errors, details)
    if cls is Error:
        error.code = code
    return error
