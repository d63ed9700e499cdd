"""Who may do what with people's accounts."""

from __future__ import annotations

from coordination.core.permissions import can_manage_platform


def can_manage_users(user) -> bool:
    """Create accounts, give and take roles, set a password, deactivate: the platform's administrators."""
    return can_manage_platform(user)
