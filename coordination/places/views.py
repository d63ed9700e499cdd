"""Public pages of the organisation: member units and the promotion association."""

from __future__ import annotations

from datetime import date

from flask import abort
from flask import render_template

from coordination.core import signals
from coordination.extensions import db
from coordination.places import queries
from coordination.places.blueprint import bp
from coordination.places.models import MemberUnit


@bp.get("/units")
def units():
    return render_template("places/units.html", areas=queries.areas_with_places(),
                           units=queries.units())


@bp.get("/units/<int:unit_id>")
def unit_detail(unit_id: int):
    unit = db.session.get(MemberUnit, unit_id)
    if unit is None:
        abort(404)
    later = signals.page_context(signals.unit_page, unit)  # its projects and what it gave to them
    return render_template("places/unit.html", unit=unit, **later)


@bp.get("/association")
def association():
    return render_template("places/association.html", associations=queries.associations(),
                           today=date.today())
