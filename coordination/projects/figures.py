"""Projects' maintained figures: the tally per status, category and area, and the search
column; how to read them, rebuild them and check them (see ``core/counters.py``)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select

from coordination.core import counters
from coordination.core import search
from coordination.extensions import db
from coordination.projects.enums import ProjectStatus
from coordination.projects.models import Project
from coordination.projects.models import ProjectTally

_CELL = (Project.status, Project.category_id, Project.area_id)
DIMENSIONS = {"status": ProjectTally.status, "category_id": ProjectTally.category_id,
              "area_id": ProjectTally.area_id}


def tally(by: str | None = None, *, statuses=None, category_id: int | None = None,
          area_id: int | None = None) -> dict:
    """How many projects match (``by=None``: {None: n}), or per value of one dimension."""
    column = DIMENSIONS[by] if by else None
    query = select(*(column,) if column is not None else (), func.coalesce(func.sum(ProjectTally.count), 0))
    if statuses is not None:
        query = query.where(ProjectTally.status.in_([ProjectStatus(s).value for s in statuses]))
    if category_id is not None:
        query = query.where(ProjectTally.category_id == category_id)
    if area_id is not None:
        query = query.where(ProjectTally.area_id == area_id)
    if column is None:
        return {None: int(db.session.scalar(query) or 0)}
    return {value: int(count) for value, count in db.session.execute(query.group_by(column)) if count}


def _key(row) -> tuple:
    return (getattr(row[0], "value", row[0]), int(row[1]), int(row[2]))


def rebuild() -> None:
    search.refresh(Project)
    db.session.execute(delete(ProjectTally))
    db.session.execute(insert(ProjectTally).from_select(
        ["status", "category_id", "area_id", "count"], select(*_CELL, func.count()).group_by(*_CELL)))


def differences() -> list[str]:
    stored = {_key(row): (row.count,) for row in db.session.execute(select(
        ProjectTally.status, ProjectTally.category_id, ProjectTally.area_id, ProjectTally.count))}
    fresh = {_key(row): (int(row[3]),) for row in db.session.execute(select(*_CELL, func.count()).group_by(*_CELL))}
    return counters.compare("project_tallies", stored, fresh) + search.differences(Project, "title", "description")


counters.register("projects", rebuild, differences)
