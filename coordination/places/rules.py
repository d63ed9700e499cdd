"""The rules of the street's places and of the association, each held once."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from coordination.places.enums import PlaceKind


def parent_problem(kind: PlaceKind, area) -> str | None:
    """Why a place of ``kind`` may not sit under ``area`` (a place or None), or None if it may:
    an area stands alone; a residential community or an office building belongs to an area."""
    if kind == PlaceKind.AREA:
        return _("An area has no parent area.") if area is not None else None
    if area is None or area.kind != PlaceKind.AREA:
        return _("Choose the area this place belongs to.")
    return None


def term_problem(starts_on: date | None, ends_on: date | None) -> str | None:
    """Why a rotating president's term may not run from ``starts_on`` to ``ends_on``, or None."""
    if ends_on and starts_on and ends_on < starts_on:
        return _("The term cannot end before it starts.")
    return None
