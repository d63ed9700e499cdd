"""Every allowed and every forbidden step, for every role, through the API (table-driven)."""

import pytest
from sqlalchemy import func
from sqlalchemy import select

from coordination.core.models import AuditRecord
from coordination.projects.models import Project

ROLES = ["resident", "worker", "unit_rep", "staff", "council", "community_committee", "street_committee", "admin"]
STATUSES = ["draft", "proposed", "resolved", "rejected", "published", "claimed", "completed"]
PUBLIC = {"published", "claimed", "completed"}
INTERNAL_READERS = {"staff", "council", "community_committee", "street_committee", "admin"}

# action: (route, body, the one role the route accepts)
ACTIONS = {
    "propose": ("propose", None, "staff"),
    "vote": ("votes", {"vote": "approve"}, "council"),
    "approve": ("decision", {"decision": "approve", "comment": "同意实施"}, "community_committee"),
    "return": ("decision", {"decision": "return", "comment": "预算需细化"}, "community_committee"),
    "reject": ("decision", {"decision": "reject", "comment": "不符合要求"}, "community_committee"),
    "claim": ("claim", {"note": "我单位认领"}, "unit_rep"),
    "join": ("join", None, "unit_rep"),
    "release": ("release", {"reason": "认领单位无法按期实施"}, "staff"),
    "progress": ("progress", {"percent": 40, "note": "已完成一半楼栋", "spent": 3000}, "unit_rep"),
    "complete": ("complete", {"report": "项目已完成。"}, "unit_rep"),
}

# (action, status) → (HTTP status, the project's status afterwards) for the role the route accepts.
ALLOWED = {
    ("propose", "draft"): (200, "proposed"),
    ("vote", "proposed"): (200, "proposed"),  # one vote of five does not resolve
    ("approve", "resolved"): (200, "published"),
    ("return", "resolved"): (200, "draft"),
    ("reject", "resolved"): (200, "rejected"),
    ("claim", "published"): (200, "claimed"),
    ("release", "claimed"): (200, "published"),
    ("progress", "claimed"): (201, "claimed"),
    ("complete", "claimed"): (200, "completed"),
}


def expected(action: str, status: str, role: str) -> int:
    route, body, allowed_role = ACTIONS[action]
    if role != allowed_role:
        return 403
    if status not in PUBLIC and role not in INTERNAL_READERS:
        return 404  # drafts and proposals are not visible to unit contacts
    if action == "join":
        return 409  # the demo unit_rep's own unit leads every claimed project below
    return ALLOWED.get((action, status), (409, None))[0]


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_each_step_for_each_role_and_status(client, db, api_token, make_project, role, action, status):
    project = make_project(status)
    route, body, _ = ACTIONS[action]
    headers = api_token(role)
    before = db.session.scalar(select(func.count()).select_from(AuditRecord))
    response = client.post(f"/api/v1/projects/{project.id}/{route}", json=body, headers=headers)
    want = expected(action, status, role)
    assert response.status_code == want, response.json
    db.session.expire_all()
    now = db.session.get(Project, project.id).status.value
    if want in (200, 201):
        assert now == ALLOWED[(action, status)][1]
        assert db.session.scalar(select(func.count()).select_from(AuditRecord)) > before
    else:
        assert now == status  # nothing changed
        assert db.session.scalar(select(func.count()).select_from(AuditRecord)) == before
        if want == 409:
            assert response.json["error"]["current_status"] == status


def test_a_partner_unit_joins_a_claimed_project(client, api_token, make_project):
    project = make_project("claimed")
    response = client.post(f"/api/v1/projects/{project.id}/join", headers=api_token("unitrep2"))
    assert response.status_code == 200
    assert [u["name"] for u in response.json["partner_units"]] == ["中交航道勘察设计学院"]
    again = client.post(f"/api/v1/projects/{project.id}/join", headers=api_token("unitrep2"))
    assert again.status_code == 200 and len(again.json["partner_units"]) == 1
    detail = client.get(f"/api/v1/projects/{project.id}").json
    assert detail["lead_unit"]["name"] == "上海建工集团股份有限公司"
    assert [u["name"] for u in detail["partner_units"]] == ["中交航道勘察设计学院"]


@pytest.mark.parametrize("action", ["progress", "complete"])
def test_only_the_lead_unit_reports_and_completes(client, api_token, make_project, action):
    project = make_project("claimed")
    route, body, _ = ACTIONS[action]
    response = client.post(f"/api/v1/projects/{project.id}/{route}", json=body, headers=api_token("unitrep2"))
    assert response.status_code == 403


@pytest.mark.parametrize("action, body, field", [
    ("return", {"decision": "return"}, "comment"),
    ("reject", {"decision": "reject", "comment": "  "}, "comment"),
])
def test_returning_or_rejecting_needs_a_comment(client, api_token, make_project, action, body, field):
    project = make_project("resolved")
    response = client.post(f"/api/v1/projects/{project.id}/decision", json=body,
                           headers=api_token("community_committee"))
    assert response.status_code == 400 and field in response.json["error"]["fields"]


def test_money_beyond_the_columns_is_refused(client, api_token, make_project):
    project = make_project("claimed")
    response = client.post(f"/api/v1/projects/{project.id}/progress", headers=api_token("unit_rep"),
                           json={"percent": 10, "note": "x", "spent": 1e12, "volunteer_hours": 1e12})
    assert response.status_code == 400
    assert {"spent", "volunteer_hours"} <= set(response.json["error"]["fields"])
