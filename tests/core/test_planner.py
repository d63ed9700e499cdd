"""The query planner's statistics (core/planner.py): without them SQLite read every project
through the status index and sorted them all for one page of the list (19 ms on the 5,000
projects of a street); with them it walks the (updated_at, id) index and stops at the page."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import text

from coordination.core import planner
from coordination.extensions import db as _db
from coordination.needs.models import Category
from coordination.places.enums import PlaceKind
from coordination.places.models import MemberUnit
from coordination.places.models import Place
from coordination.projects.enums import ProjectStatus
from coordination.projects.models import Project


def plan_of_project_list(app, client) -> str:
    """SQLite's plan for the statement that fetches the page of ``/projects``."""
    found: list[tuple[str, object]] = []

    def keep(_conn, _cursor, statement, parameters, *_args):
        if statement.lstrip().startswith("SELECT projects.id") and "ORDER BY projects.updated_at DESC" in statement:
            found.append((statement, parameters))

    event.listen(_db.engine, "before_cursor_execute", keep)
    try:
        assert client.get("/projects").status_code == 200
    finally:
        event.remove(_db.engine, "before_cursor_execute", keep)
    assert found, "the project list ran no paged query"
    statement, parameters = found[0]
    with app.app_context():
        rows = _db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                        tuple(parameters)).all()
    return " | ".join(row[-1] for row in rows)


def test_the_project_list_walks_its_index_once_the_planner_has_statistics(app, db, client_as, database_kind):
    if database_kind != "sqlite":
        pytest.skip("PostgreSQL's autovacuum gathers the statistics itself")
    committee = client_as("street_committee")  # sees every status: the IN (…) lists all nine
    with app.app_context():
        _db.session.execute(text("DROP TABLE IF EXISTS sqlite_stat1"))
        # A street's worth of projects, spread over the statuses and three years of changes.
        category = _db.session.scalar(select(Category.id).limit(1))
        area = _db.session.scalar(select(Place.id).where(Place.kind == PlaceKind.AREA).limit(1))
        unit = _db.session.scalar(select(MemberUnit.id).limit(1))
        start = datetime(2024, 1, 1, tzinfo=UTC)
        statuses = list(ProjectStatus)
        rows = []
        for number in range(2000):
            status = statuses[number % len(statuses)]
            claimed = status in (ProjectStatus.CLAIMED, ProjectStatus.COMPLETED, ProjectStatus.EVALUATING,
                                 ProjectStatus.EVALUATED)
            rows.append({"title": f"项目{number}", "description": "……", "category_id": category, "area_id": area,
                         "budget": 1000, "planned_start": date(2025, 1, 1), "planned_end": date(2025, 6, 1),
                         "status": status, "lead_unit_id": unit if claimed else None,
                         "completion_report": "完成" if claimed and status != ProjectStatus.CLAIMED else None,
                         "created_at": start, "updated_at": start + timedelta(hours=13 * number)})
        _db.session.execute(insert(Project), rows)
        _db.session.commit()
    before = plan_of_project_list(app, committee)
    assert "USE TEMP B-TREE FOR ORDER BY" in before, before
    with app.app_context():
        assert planner.optimize() == "analyze"
        _db.session.commit()
    after = plan_of_project_list(app, committee)
    assert "ix_projects_by_updated" in after and "TEMP B-TREE" not in after, after
