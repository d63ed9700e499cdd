"""Who may export, and whose prepared exports they may download."""

from __future__ import annotations

from coordination.core.enums import Role
from coordination.core.permissions import has_role


def can_export(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and has_role(
        user, Role.STAFF, Role.COMMUNITY_COMMITTEE, Role.STREET_COMMITTEE, Role.ADMIN)


def can_see_export_job(user, job) -> bool:
    """A prepared export is only ever for the person who asked for it."""
    return can_export(user) and job is not None and job.user_id == user.id
