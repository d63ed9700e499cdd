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
