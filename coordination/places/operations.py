"""Changing the street's places and the association's organs from the administration pages.

Every section saves through ``core.reference.save_reference`` (unique fields, audit record); the
places and the president terms first keep their rule (``rules.py``). Operations flush; the caller
commits."""

from __future__ import annotations

from flask_babel import gettext as _

from coordination.core.errors import InvalidInput
from coordination.core.reference import save_reference
from coordination.extensions import db
from coordination.places import rules
from coordination.places.enums import PlaceKind
from coordination.places.models import Place
from coordination.places.models import PresidentTerm


def _refuse(field: str, problem: str | None) -> None:
    if problem:
        raise InvalidInput(_("Please correct the marked fields."), fields={field: problem})


def save_place(actor, section, place: Place | None, form) -> Place:
    """Add or change an area, a residential community or an office building (audit ``places.*``)."""
    area = db.session.get(Place, form.area_id.data) if form.area_id.data else None
    _refuse("area_id", rules.parent_problem(PlaceKind(form.kind.data), area))
    return save_reference(actor, section, place, form)


def save_president_term(actor, section, term: PresidentTerm | None, form) -> PresidentTerm:
    """Add or change a rotating president's term (audit ``president-terms.*``)."""
    _refuse("ends_on", rules.term_problem(form.starts_on.data, form.ends_on.data))
    return save_reference(actor, section, term, form)
