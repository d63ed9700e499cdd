"""Saving reference data (places, units, the association, categories, indicators) from its form,
with its audit record: the one way every administration section creates or changes a row.

``section`` describes what is saved (``admin/sections.py`` declares one per kind of row): its
``key`` (the audit codes ``<key>.create`` and ``<key>.update``), its ``model``, the ``unique``
fields checked before saving and the form ``fields`` the audit record describes."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from coordination.core import audit
from coordination.core.errors import InvalidInput
from coordination.extensions import db


def save_reference(actor, section, obj, form) -> object:
    """Create (``obj`` None) or update ``obj`` from ``form``: check unique fields, audit what changed.
    Flushes; the caller commits."""
    creating = obj is None
    model = section.model
    errors = {}
    for name in section.unique:
        value = getattr(form, name).data
        query = select(func.count()).select_from(model).where(getattr(model, name) == value)
        if not creating:
            query = query.where(model.id != obj.id)
        if db.session.scalar(query):
            errors[name] = _("This value is already used.")
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
