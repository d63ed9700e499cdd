"""Bearer-token authentication of the API (no cookies, hence no CSRF)."""

from __future__ import annotations

from flask import g
from flask import request
from flask_babel import gettext as _

from coordination.accounts.tokens import user_for_token
from coordination.api.errors import ApiError


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def current_api_user(required: bool):
    """The user of the bearer token; ``ApiError(401)`` when required and missing or bad."""
    if "api_user" in g:
        return g.api_user
    raw = bearer_token()
    found = user_for_token(raw) if raw else None
    if found is None:
        if raw or required:
            if raw:
                raise ApiError(401, "invalid_token", _("The token is invalid, expired or revoked."))
            raise ApiError(401, "unauthorized", _("Log in first: send a valid bearer token."))
        g.api_user, g.api_token = None, None
        return None
    g.api_user, g.api_token = found
    return g.api_user
