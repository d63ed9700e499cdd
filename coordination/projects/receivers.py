"""What the projects domain adds to the pages of earlier domains (``core/signals.py``): the
project a need became, and the projects of a member unit with what the unit gave to them."""

from __future__ import annotations

from coordination.core import signals
from coordination.extensions import db
from coordination.projects import permissions
from coordination.projects import queries
from coordination.projects.models import Project

CONTRIBUTION_KEYS = ("volunteer_hours", "party_members", "volunteers", "beneficiaries", "spent")


@signals.need_page.connect
def need_project(need, viewer, **_kwargs) -> dict:
    """The newest project built on the need, when the viewer may see it."""
    project_id = queries.need_project_ids([need.id], internal=permissions.can_see_votes(viewer)).get(need.id)
    project = db.session.get(Project, project_id) if project_id else None
    if project is not None and not permissions.can_view(viewer, project):
        project = None
    return {"project": project}


@signals.unit_page.connect
def unit_projects(unit, **_kwargs) -> dict:
    """The unit's projects (as lead or partner) and the sums of their progress reports."""
    projects = queries.unit_projects(unit.id)
    sums = queries.totals([p.id for p in projects])
    contribution = {key: sum(sums.get(p.id, queries.EMPTY_TOTALS)[key] for p in projects)
                    for key in CONTRIBUTION_KEYS}
    return {"projects": projects, "contribution": contribution}
