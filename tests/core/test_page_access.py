"""Every web page, dashboard download and export, fetched as anonymous and as every role
on the whole demo street: the roles that may see it get exactly 200, the others exactly the
status they must get (403, 404 for what is not visible to them, or 302 to the login page
for anonymous visitors of pages that need an account)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import DEMO_USERS

ROLES = [None, *DEMO_USERS]  # None: anonymous
EVERYONE = frozenset(ROLES)
USERS = frozenset(DEMO_USERS)
STAFF = frozenset({"staff"})
ADMIN = frozenset({"admin"})
EXPORTERS = frozenset({"staff", "community_committee", "street_committee", "admin"})
OFFICIALS = frozenset({"staff", "council", "community_committee", "street_committee", "admin"})
LOGIN = "login"  # 302 to the login page with ?next=


def pages(ids: dict) -> list[tuple[str, frozenset, object]]:
    """(url, who gets 200, what everybody else gets: 403, 404 or LOGIN for anonymous + 403)."""
    p = ids["projects"]
    table = [
        ("/", EVERYONE, None),
        ("/needs", EVERYONE, None),
        ("/needs?q=楼道&sort=newest", EVERYONE, None),
        ("/needs?status=accepted&kind=wish", EVERYONE, None),
        (f"/needs/{ids['need']}", EVERYONE, None),
        (f"/needs/{ids['submitted_need']}", EVERYONE, None),
        ("/needs/new", frozenset({"resident", "worker", "staff"}), 403),
        ("/needs/triage", STAFF, 403),
        ("/needs/import", STAFF, 403),
        ("/needs/import/template.xlsx", STAFF, 403),
        ("/needs/posters", STAFF, 403),
        (f"/needs/poster/{ids['place']}", STAFF, 403),
        (f"/needs/new?place_id={ids['place']}", frozenset({"resident", "worker", "staff"}), 403),
        ("/projects", EVERYONE, None),
        (f"/projects/{p['claimed']}", EVERYONE, None),
        (f"/projects/{p['evaluated']}", EVERYONE, None),
        (f"/projects/{p['proposed']}", OFFICIALS, 404),
        (f"/projects/{p['draft']}", OFFICIALS, 404),
        (f"/projects/{p['draft']}/edit", STAFF, 403),
        ("/projects/new", STAFF, 403),
        (f"/projects/{p['evaluated']}/evaluation", EVERYONE, None),
        (f"/projects/{p['claimed']}/evaluation", EVERYONE, None),
        (f"/projects/{p['evaluated']}/evaluation/report", EVERYONE, None),
        (f"/projects/{p['evaluated']}/evaluation/open", STAFF, 403),
        ("/projects/tasks", frozenset({"unit_rep", "staff", "council", "community_committee", "street_committee"}),
         403),
        (f"/surveys/{ids['survey']}", frozenset({"resident", "worker", "staff", "street_committee", "admin"}), 403),
        ("/surveys/code", EVERYONE, None),
        ("/selection", EVERYONE, None),
        ("/pledges", EVERYONE, None),
        (f"/pledges?community_id={ids['unit']}&status=kept", EVERYONE, None),
        (f"/pledges/{ids['pledge']}", EVERYONE, None),
        ("/pledges/new", frozenset({"resident", "worker"}), 403),
        ("/units", EVERYONE, None),
        (f"/units/{ids['unit']}", EVERYONE, None),
        ("/association", EVERYONE, None),
        ("/me", USERS, 403),
        ("/me/password", USERS, 403),
        ("/notifications", USERS, 403),
        ("/audit", frozenset({"community_committee", "street_committee", "admin"}), 403),
        ("/admin/", ADMIN, 403),
        ("/admin/users/", ADMIN, 403),
        ("/admin/users/new", ADMIN, 403),
        (f"/admin/users/{ids['user']}/edit", ADMIN, 403),
        ("/dashboard", EVERYONE, None),
        ("/dashboard?split=area&by=unit", EVERYONE, None),
        ("/exports", EXPORTERS, 403),
        ("/healthz", EVERYONE, None),
        ("/login", frozenset({None}), ("redirect", "/")),
        ("/register", frozenset({None}), ("redirect", "/me")),
        ("/api/v1/needs", EVERYONE, None),
        (f"/api/v1/projects/{p['claimed']}", EVERYONE, None),
        ("/api/v1/openapi.json", EVERYONE, None),
        ("/vendor/plotly.css", EVERYONE, None),
        ("/vendor/plotly.min.js", EVERYONE, None),
        ("/me/volunteer", frozenset({"resident", "worker"}), 403),
        ("/volunteers", frozenset({"staff", "unit_rep"}), 403),
        ("/volunteers?skill=elderly&party_member=1&place_id=1", frozenset({"staff", "unit_rep"}), 403),
        ("/teams", EVERYONE, None),
        (f"/teams/{ids['team']}", EVERYONE, None),
        (f"/projects/{p['claimed']}/volunteers/check-in-code", frozenset({"unit_rep"}), 403),
        (f"/projects/{p['claimed']}/check-in?code=stale", frozenset({"resident", "worker"}), 403),
    ]
    from coordination.admin.sections import SECTIONS

    for key in SECTIONS:
        table += [(f"/admin/{key}/", ADMIN, 403), (f"/admin/{key}/new", ADMIN, 403)]
    table.append((f"/admin/units/{ids['unit']}/edit", ADMIN, 403))
    for name in ("needs", "funnel", "steps", "satisfaction", "units"):
        table.append((f"/dashboard/{name}.csv", EVERYONE, None))
    from coordination.dashboards.exports import FORMATS
    from coordination.dashboards.exports import KINDS

    for kind in KINDS:
        for fmt in FORMATS:
            table.append((f"/exports/{kind}.{fmt}", EXPORTERS, 403))
    return table


def demo_ids(db) -> dict:
    from coordination.accounts.models import User
    from coordination.demo import load_demo_needs
    from coordination.demo import load_demo_projects
    from coordination.demo import load_demo_volunteers
    from coordination.demo.pledges import load_demo_pledges
    from coordination.evaluation.models import Survey
    from coordination.needs.models import Need
    from coordination.places.models import MemberUnit
    from coordination.pledges.models import Pledge
    from coordination.projects.models import Project
    from coordination.volunteers.models import VolunteerTeam

    load_demo_needs(out=lambda *_: None)
    load_demo_projects(out=lambda *_: None)
    load_demo_volunteers(out=lambda *_: None)
    load_demo_pledges(out=lambda *_: None)
    db.session.commit()
    projects = {p.status.value: p.id for p in db.session.scalars(select(Project))}
    assert set(projects) == {"claimed", "evaluated", "proposed", "draft"}
    return {
        "projects": projects,
        "need": db.session.scalar(select(Need.id).where(Need.status == "accepted").order_by(Need.id)),
        "submitted_need": db.session.scalar(select(Need.id).where(Need.status == "submitted").order_by(Need.id)),
        "survey": db.session.scalar(select(Survey.id)),
        "unit": db.session.scalar(select(MemberUnit.id).order_by(MemberUnit.id)),
        "place": db.session.scalar(select(Need.place_id).order_by(Need.id)),
        "user": db.session.scalar(select(User.id).where(User.username == "resident")),
        "team": db.session.scalar(select(VolunteerTeam.id).order_by(VolunteerTeam.id)),
        "pledge": db.session.scalar(select(Pledge.id).order_by(Pledge.id)),
    }


def expected(role, allowed: frozenset, denied) -> object:
    if role in allowed:
        return 200
    if role is None and denied in (403, LOGIN):
        return LOGIN
    return denied


def outcome(response) -> object:
    if response.status_code == 302 and response.headers["Location"].startswith("/login?next="):
        return LOGIN
    if response.status_code == 302:
        return ("redirect", response.headers["Location"])
    return response.status_code


@pytest.mark.parametrize("role", ROLES, ids=[r or "anonymous" for r in ROLES])
def test_every_page_and_export_answers_each_role_exactly(app, db, client_as, role):
    ids = demo_ids(db)
    browser = client_as(role) if role else app.test_client()
    wrong = []
    for url, allowed, denied in pages(ids):
        response = browser.get(url)
        want = expected(role, allowed, denied)
        if outcome(response) != want:
            wrong.append((url, want, response.status_code, response.headers.get("Location")))
    assert wrong == []


@pytest.mark.parametrize("role", ROLES, ids=[r or "anonymous" for r in ROLES])
def test_language_switch_returns_home(app, db, client_as, role):
    browser = client_as(role) if role else app.test_client()
    response = browser.get("/lang/en")
    assert (response.status_code, response.headers["Location"]) == (302, "/")
    assert browser.get("/").status_code == 200


@pytest.mark.parametrize("role", sorted(EXPORTERS))
@pytest.mark.parametrize("kind", ["needs", "projects", "responses", "evaluations"])
def test_exports_are_real_files_with_every_row(app, db, client_as, role, kind):
    """The export opens as a spreadsheet and holds every demo row, names masked but for staff and admins."""
    import csv
    import io

    from openpyxl import load_workbook

    demo_ids(db)
    browser = client_as(role)
    csv_response = browser.get(f"/exports/{kind}.csv")
    assert csv_response.status_code == 200
    assert csv_response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(csv_response.get_data().decode("utf-8-sig"))))
    xlsx_response = browser.get(f"/exports/{kind}.xlsx")
    assert xlsx_response.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx_response.get_data())).active
    assert [[("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)][0] == rows[0]
    assert sheet.max_row == len(rows)
    counts = {"needs": 7, "projects": 4, "evaluations": 1}
    if kind in counts:
        assert len(rows) - 1 == counts[kind]
    if kind == "needs":
        header = rows[0]
        names = {row[header.index("提出人")] for row in rows[1:]}
        if role in ("staff", "admin"):
            assert "" not in names and not any("*" in n for n in names)
        else:
            assert all(n == "" or "*" in n for n in names) and any("*" in n for n in names), names
