"""Every triage step of a need, for every role and every status, through the API (table-driven),
and the step table itself (``needs/rules.py``) against the design's status diagram."""

import pytest
from sqlalchemy import func
from sqlalchemy import select

from coordination.core.models import AuditRecord
from coordination.needs import operations
from coordination.needs.enums import NeedStatus
from coordination.needs.models import Category
from coordination.needs.models import Need
from coordination.needs.rules import NEED_WORKFLOW
from coordination.needs.rules import NeedStep
from coordination.projects.rules import PROJECT_WORKFLOW
from coordination.projects.rules import ProjectStep
from tests.factories import accepted_need
from tests.factories import build
from tests.factories import user

ROLES = ["resident", "worker", "unit_rep", "staff", "council", "community_committee", "street_committee", "admin"]
STATUSES = ["submitted", "accepted", "rejected", "merged", "in_project", "fulfilled"]
AFTER = {"accept": "accepted", "reject": "rejected", "merge": "merged"}


def need_in(db, status: str) -> Need:
    """A need in ``status``, built through the real operations."""
    if status == "in_project":
        return build(db, "published").needs[0]
    if status == "fulfilled":
        return build(db, "completed").needs[0]
    need = accepted_need(db) if status == "accepted" else None
    if need is None:
        need = operations.submit_need(user(db, "worker"), operations.NeedInput(
            kind="request", title="小区门口积水", description="下雨天门口积水。",
            place_id=accepted_need(db, title="另一个需求").place_id))
        staff = user(db, "staff")
        if status == "rejected":
            operations.reject_need(staff, need.id, "不属于本平台受理范围。")
        elif status == "merged":
            operations.merge_need(staff, need.id, accepted_need(db, title="合并目标").id)
    db.session.commit()
    assert need.status == NeedStatus(status)
    return need


def body(db, action: str, need: Need) -> dict:
    if action == "accept":
        return {"action": "accept", "category_id": db.session.scalar(select(Category.id).where(Category.code == 6))}
    if action == "reject":
        return {"action": "reject", "reason": "不属于本平台受理范围。"}
    target = accepted_need(db, title="另一条同样的需求")
    db.session.commit()
    return {"action": "merge", "merge_into": target.id}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", sorted(AFTER))
@pytest.mark.parametrize("role", ROLES)
def test_each_triage_step_for_each_role_and_status(client, db, api_token, role, action, status):
    need = need_in(db, status)
    payload, headers = body(db, action, need), api_token(role)
    before = db.session.scalar(select(func.count()).select_from(AuditRecord))
    response = client.post(f"/api/v1/needs/{need.id}/triage", json=payload, headers=headers)
    want = 403 if role != "staff" else 200 if status == "submitted" else 409
    assert response.status_code == want, response.json
    db.session.expire_all()
    now = db.session.get(Need, need.id).status.value
    if want == 200:
        assert now == AFTER[action] == response.json["status"]
        assert db.session.scalar(select(func.count()).select_from(AuditRecord)) > before
    else:
        assert now == status  # nothing changed
        assert db.session.scalar(select(func.count()).select_from(AuditRecord)) == before
        if want == 409:
            assert response.json["error"]["current_status"] == status


def test_the_step_table_is_the_design_diagram():
    """DESIGN.md §3.1: submitted → accepted | rejected | merged (staff); accepted → in_project →
    fulfilled (taken by the projects domain, never by a person)."""
    table = {(t.step, frozenset(s.value for s in t.source), t.target.value, frozenset(r.value for r in t.roles))
             for t in NEED_WORKFLOW}
    assert table == {
        (NeedStep.ACCEPT, frozenset({"submitted"}), "accepted", frozenset({"staff"})),
        (NeedStep.REJECT, frozenset({"submitted"}), "rejected", frozenset({"staff"})),
        (NeedStep.MERGE, frozenset({"submitted"}), "merged", frozenset({"staff"})),
        (NeedStep.ENTER_PROJECT, frozenset({"accepted"}), "in_project", frozenset()),
        (NeedStep.FULFIL, frozenset({"in_project"}), "fulfilled", frozenset()),
    }
    assert NEED_WORKFLOW[NeedStep.REJECT].needs_comment


def test_the_api_routes_accept_the_roles_of_the_table(app):
    """The roles each step's route declares are read from the tables, not restated."""
    from coordination.api import api

    declared = {op.rule: set(op.roles) for op in api.operations if op.roles}
    assert declared["/needs/<int:need_id>/triage"] == set(NEED_WORKFLOW.roles(NeedStep.ACCEPT))
    assert declared["/projects/<int:project_id>/claim"] == set(PROJECT_WORKFLOW.roles(ProjectStep.CLAIM))
    assert declared["/projects/<int:project_id>/decision"] == set(PROJECT_WORKFLOW.roles(ProjectStep.APPROVE))
