"""Who may download and who may delete their own data."""

from __future__ import annotations

from coordination.core.enums import Role


def can_download_own_data(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def can_delete_own_account(user) -> bool:
    """Residents and office workers delete their own account. Anyone who also holds another
    role (unit contact, staff, council, committees, admin) acts for an organisation: an admin
    removes those roles first, so official decisions keep a named account behind them."""
    if not can_download_own_data(user) or getattr(user, "deleted_at", None) is not None:
        return False
    roles = user.roles
    return bool(roles) and roles <= set(Role.self_registered())


def password_confirmation_limit(view):
    """Guessing the password through the deletion form is throttled like logging in: failures
    count against the caller (their token or session) and their address."""
    import hashlib

    from flask import request
    from flask_login import current_user

    from coordination.accounts.throttle import _failed, _failure_limit
    from coordination.extensions import client_address, limiter

    def caller_key() -> str:
        bearer = request.headers.get("Authorization", "")
        if bearer:
            return "confirm:token:" + hashlib.sha256(bearer.encode("utf-8")).hexdigest()
        return "confirm:user:" + str(current_user.get_id() if current_user.is_authenticated else "-")

    view = limiter.limit(_failure_limit, key_func=client_address, methods=["POST", "DELETE"],
                         deduct_when=_failed, scope="password-confirm-address")(view)
    return limiter.limit(_failure_limit, key_func=caller_key, methods=["POST", "DELETE"],
                         deduct_when=_failed, scope="password-confirm-caller")(view)
