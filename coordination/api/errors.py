"""JSON errors of the API: ``{"error": {"code", "message", "fields"}}``; the body is built in
``core/json_errors.py`` (the error pages answer it too), named here for the routes."""

from __future__ import annotations

from coordination.core.json_errors import api_error_response
from coordination.core.json_errors import error_body
from coordination.core.json_errors import wants_json

__all__ = ["ApiError", "api_error_response", "error_body", "wants_json"]


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: dict | None = None, **extra):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.fields = fields or {}
        self.extra = extra
