"""Public pages of the organisation: member units and the promotion association."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template

from coordination.extensions import db
from coordination.places import queries
from coordination.places.models import MemberUnit

bp = Blueprint("places", __name__, template_folder="templates")


@bp.get("/units")
def units():
    return render_template("places/units.html", areas=queries.areas_with_places(),
                           units=queries.units())


@bp.get("/units/<int:unit_id>")
def unit_detail(unit_id: int):
    from coordination.projects import queries as project_queries

    unit = db.session.get(MemberUnit, unit_id)
    if unit is None:
        abort(404)
    projects = project_queries.unit_projects(unit.id)
    sums = project_queries.totals([p.id for p in projects])
    contribution = {key: sum(sums.get(p.id, project_queries.EMPTY_TOTALS)[key] for p in projects)
                    for key in ("volunteer_hours", "party_members", "volunteers", "beneficiaries", "spent")}
    return render_template("places/unit.html", unit=unit, projects=projects, contribution=contribution)


@bp.get("/association")
def association():
    return render_template("places/association.html", associations=queries.associations(),
                           today=date.today())
