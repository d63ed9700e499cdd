"""Saving reference data (places, units, the association, categories, indicators) from its form,
with its audit record: the one way every administration section creates or changes a row.

``section`` describes what is saved (``admin/sections.py`` declares one per kind of row): its
``key`` (the audit codes ``<key>.create`` and ``<key>.update``), its ``model``, the ``unique``
fields checked before saving (a field name, or a ``UniqueWithin`` for a value used once within
its scope) and the form ``fields`` the audit record describes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy import select

from coordination.core import audit
from coordination.core.errors import InvalidInput
from coordination.extensions import db


@dataclass(frozen=True)
class UniqueWithin:
    """A value used once within a scope, as the table's unique constraint says (a place's name
    within its area): the first field is checked and carries ``message``."""

    fields: tuple[str, ...]
    message: Any


def _taken(model, obj, form, fields) -> bool:
    query = select(func.count()).select_from(model)
    for name in fields:
        query = query.where(getattr(model, name) == getattr(form, name).data)
    if obj is not None:
        query = query.where(model.id != obj.id)
    return bool(db.session.scalar(query))


def save_reference(actor, section, obj, form) -> object:
    """Create (``obj`` None) or update ``obj`` from ``form``: check unique fields, audit what changed.
    Flushes; the caller commits."""
    creating = obj is None
    model = section.model
    errors = {}
    for rule in section.unique:
        if isinstance(rule, UniqueWithin):
            if _taken(model, obj, form, rule.fields):
                errors.setdefault(rule.fields[0], str(rule.message))
        elif _taken(model, obj, form, (rule,)):
            errors[rule] = _("This value is already used.")
    if errors:
        raise InvalidInput(_("Please correct the marked fields."), fields=errors)

    fields = section.fields
    if creating:
        obj = model()
        db.session.add(obj)
    before = {} if creating else audit.snapshot(obj, fields)
    form.populate_obj(obj)
    db.session.flush()
    if creating:
        audit.record(actor, f"{section.key}.create", obj,
                     details=audit.described_fields(obj, fields))
    else:
        changes = audit.changed_fields(obj, fields, before)
        if changes:
            audit.record(actor, f"{section.key}.update", obj, details=changes)
    return obj
