"""Rate limits on logging in, registering and getting tokens (shared by web and API).

Failed attempts count against both the account and the address (about ten in ten minutes
each, ``LOGIN_FAILURE_LIMIT``); successful logins only count against a generous
per-address limit, so an office behind one address is never locked out by its own use.
"""

from __future__ import annotations

from flask import current_app, g, request

from coordination.extensions import client_address, limiter


def _submitted_username() -> str:
    if request.is_json:
        data = request.get_json(silent=True)
        value = data.get("username") if isinstance(data, dict) else None
    else:
        value = request.form.get("username")
    return str(value or "").strip().lower()[:80]


def _account_key() -> str:
    return "account:" + _submitted_username()


def _failed(response) -> bool:
    return bool(g.get("login_failed"))


def mark_failed_login() -> None:
    g.login_failed = True


def _failure_limit() -> str:
    return current_app.config["LOGIN_FAILURE_LIMIT"]


def _attempt_limit() -> str:
    return current_app.config["LOGIN_ATTEMPT_LIMIT"]


def _registration_limit() -> str:
    return current_app.config["REGISTRATION_LIMIT"]


def login_limits(view):
    """Decorate a login or token view with the three limits."""
    view = limiter.limit(_attempt_limit, key_func=client_address, methods=["POST"],
                         scope="login-attempts")(view)
    view = limiter.limit(_failure_limit, key_func=client_address, methods=["POST"],
                         deduct_when=_failed, scope="login-failures-address")(view)
    view = limiter.limit(_failure_limit, key_func=_account_key, methods=["POST"],
                         deduct_when=_failed, scope="login-failures-account")(view)
    return view


def registration_limit(view):
    return limiter.limit(_registration_limit, key_func=client_address, methods=["POST"],
                         scope="registration")(view)
