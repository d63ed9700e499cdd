"""Who may do what, asked in one place by views, templates and the API alike.

Domain modules add their own ``can_<action>(user, obj)`` functions in their
``permissions.py``; the role helpers here are what those functions build on.
"""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from coordination.core.enums import Role
from coordination.extensions import login_manager


def has_role(user, *roles: Role) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.has_role(*roles))


def can_manage_platform(user) -> bool:
    """Open the administration (places, units, the association, users and roles, categories,
    indicator weights); each section asks its domain's question too (``places.permissions``,
    ``accounts.permissions``)."""
    return has_role(user, Role.ADMIN)


def can_view_audit_log(user) -> bool:
    return has_role(user, Role.ADMIN, Role.STREET_COMMITTEE, Role.COMMUNITY_COMMITTEE)


def can_see_personal_data(user) -> bool:
    """Phone numbers, real names and e-mail addresses of other people."""
    return has_role(user, Role.STAFF, Role.ADMIN)


def permission_required(check):
    """Web views: log in first, then pass ``check(current_user)`` (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not check(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def roles_required(*roles: Role):
    """Web views: log in first, then hold one of ``roles`` (403 otherwise)."""
    return permission_required(lambda user: user.has_role(*roles))
