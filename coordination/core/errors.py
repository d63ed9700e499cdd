"""Errors raised by domain operations; the web and API layers turn them into answers."""

from __future__ import annotations


class DomainError(Exception):
    code = "error"

    def __init__(self, message: str, *, fields: dict[str, str] | None = None, **extra):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.extra = extra


class InvalidInput(DomainError):
    """Input that breaks a rule (→ 400 with the fields named)."""

    code = "invalid"


class Forbidden(DomainError):
    """The person's roles do not allow this (→ 403)."""

    code = "forbidden"


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    """The object is not in a state that allows this step (→ 409)."""

    code = "conflict"
