"""Who may do what with the street's places, the member units and the association."""

from __future__ import annotations

from coordination.core.permissions import can_manage_platform


def can_manage_places(user) -> bool:
    """Add and change the street, its areas, communities and buildings, the member units and their
    Party organisations, the associations, their councils, committees and president terms: the
    platform's administrators."""
    return can_manage_platform(user)
