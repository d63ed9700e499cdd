"""JSON error answers: ``{"error": {"code", "message", "fields"}}``, the API's shape, which the
error pages (``core/views.py``) also answer for a path under ``/api/``."""

from __future__ import annotations

from flask import jsonify
from flask import request
from flask_babel import gettext as _


def error_body(code: str, message: str, fields: dict | None = None, **extra) -> dict:
    body = {"code": code, "message": message, "fields": fields or {}}
    body.update(extra)
    return {"error": body}


def api_error_response(status: int, code: str | None = None, message: str | None = None,
                       fields: dict | None = None, **extra):
    defaults = {
        400: ("bad_request", _("The request could not be understood.")),
        401: ("unauthorized", _("Log in first: send a valid bearer token.")),
        403: ("forbidden", _("Your role may not do this.")),
        404: ("not_found", _("There is no such object, or it is not visible to you.")),
        405: ("method_not_allowed", _("This method is not allowed here.")),
        409: ("conflict", _("This conflicts with the current state.")),
        413: ("too_large", _("What you sent is too large.")),
        415: ("unsupported_media_type", _("Send JSON with Content-Type: application/json.")),
        429: ("rate_limited", _("Too many requests. Please wait and try again.")),
        500: ("server_error", _("Something went wrong on our side.")),
        503: ("unavailable", _("The database cannot be reached for a moment. Please try again shortly.")),
    }
    default_code, default_message = defaults.get(status, ("error", _("Error")))
    response = jsonify(error_body(code or default_code, message or default_message, fields, **extra))
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="golden-ribbon"'
    return response


def wants_json() -> bool:
    return request.path.startswith("/api/")
