"""Every step of an evaluation (through the API) and of the annual selection (through its pages),
for every role and every status, table-driven like tests/projects/test_transitions.py."""

from datetime import date

import pytest
from sqlalchemy import func
from sqlalchemy import select

from coordination.core.models import AuditRecord
from coordination.evaluation.enums import SelectionStatus
from coordination.evaluation.models import Ballot
from coordination.evaluation.models import Selection
from coordination.evaluation.rules import EVALUATION_WORKFLOW
from coordination.evaluation.rules import SELECTION_WORKFLOW
from coordination.evaluation.rules import EvaluationStep
from coordination.evaluation.rules import SelectionStep
from coordination.projects.models import Project
from tests.conftest import csrf_token
from tests.factories import answer
from tests.factories import build
from tests.factories import open_evaluation
from tests.factories import ready_for_review

ROLES = ["resident", "worker", "unit_rep", "staff", "council", "community_committee", "street_committee", "admin"]
# "ready": being evaluated with an answer, an indicator score and the survey closed
STATUSES = ["claimed", "completed", "evaluating", "ready", "evaluated"]

# step: (route, body, the one role the route accepts)
STEPS = {
    "open_evaluation": ("evaluation/open", {}, "staff"),
    "score": ("indicator-scores", None, "staff"),
    "accept": ("evaluation/review", {"decision": "accept", "comment": "同意"}, "street_committee"),
    "rework": ("evaluation/review", {"decision": "rework", "comment": "请补充入户访问"}, "street_committee"),
}
# (step, status) → the project's status afterwards, for the role the route accepts
ALLOWED = {
    ("open_evaluation", "completed"): "evaluating",
    ("score", "evaluating"): "evaluating", ("score", "ready"): "evaluating",
    ("accept", "ready"): "evaluated",
    ("rework", "evaluating"): "evaluating", ("rework", "ready"): "evaluating",
}


def project_in(db, client, api_token, status: str) -> Project:
    project = build(db, "claimed" if status == "claimed" else "completed")
    if status in ("evaluating", "ready", "evaluated"):
        survey = open_evaluation(client, api_token, project.id)
        if status != "evaluating":
            assert answer(client, survey, 5, api_token("resident")).status_code == 201
            ready_for_review(client, api_token, project.id, survey["id"])
        if status == "evaluated":
            accepted = client.post(f"/api/v1/projects/{project.id}/evaluation/review", headers=api_token(
                "street_committee"), json={"decision": "accept"})
            assert accepted.status_code == 200, accepted.json
    return project


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("step", sorted(STEPS))
@pytest.mark.parametrize("role", ROLES)
def test_each_evaluation_step_for_each_role_and_status(client, db, api_token, role, step, status):
    project = project_in(db, client, api_token, status)
    route, payload, allowed_role = STEPS[step]
    if payload is None:
        first = client.get("/api/v1/indicators", headers=api_token("staff")).json["items"][0]["id"]
        payload = {"scores": [{"indicator_id": first, "score": 90}]}
    db.session.expire_all()
    was, headers = db.session.get(Project, project.id).status.value, api_token(role)
    before = db.session.scalar(select(func.count()).select_from(AuditRecord))
    response = client.post(f"/api/v1/projects/{project.id}/{route}", json=payload, headers=headers)
    want = 403 if role != allowed_role else 200 if (step, status) in ALLOWED else 409
    assert response.status_code == want, response.json
    db.session.expire_all()
    now = db.session.get(Project, project.id).status.value
    if want == 200:
        assert now == ALLOWED[(step, status)]
        assert db.session.scalar(select(func.count()).select_from(AuditRecord)) > before
    else:
        assert now == was
        assert db.session.scalar(select(func.count()).select_from(AuditRecord)) == before
        if want == 409:
            assert response.json["error"]["current_status"] == was


def test_the_evaluation_table_is_the_design_diagram():
    """DESIGN.md §3.2–3.3: completed →(staff)→ evaluating →(street committee)→ evaluated, or back to
    evaluating with a rework request (which needs a comment); staff score while it is evaluated."""
    table = {(t.step, frozenset(s.value for s in t.source), t.target and t.target.value,
              frozenset(r.value for r in t.roles), t.needs_comment) for t in EVALUATION_WORKFLOW}
    assert table == {
        (EvaluationStep.OPEN_EVALUATION, frozenset({"completed"}), "evaluating", frozenset({"staff"}), False),
        (EvaluationStep.SCORE_INDICATORS, frozenset({"evaluating"}), None, frozenset({"staff"}), False),
        (EvaluationStep.ACCEPT_EVALUATION, frozenset({"evaluating"}), "evaluated", frozenset({"street_committee"}),
         False),
        (EvaluationStep.SEND_BACK_EVALUATION, frozenset({"evaluating"}), "evaluating",
         frozenset({"street_committee"}), True),
    }


# ----------------------------------------------------------------------------- the annual selection

SELECTION_STATUSES = ["none", "open", "closed"]
SELECTION_ALLOWED = {  # (step, status) → the selection's status afterwards
    ("open", "none"): "open",
    ("ballot", "open"): "open",
    ("close", "open"): "closed",
}
SELECTION_ROLES = {"open": {"street_committee"}, "ballot": {"resident", "worker"}, "close": {"street_committee"}}


def selection_in(db, status: str):
    """This year's selection in ``status`` (none: not opened yet), with two completed projects."""
    from coordination.evaluation import operations
    from tests.factories import user

    projects = [build(db, "completed", title=f"评选项目{i}") for i in range(2)]
    if status == "none":
        return None, projects
    selection = operations.open_selection(user(db, "street"), date.today().year,
                                          [p.id for p in projects], 1)
    if status == "closed":
        operations.close_selection(user(db, "street"), selection.id)
    db.session.commit()
    return selection, projects


@pytest.mark.parametrize("status", SELECTION_STATUSES)
@pytest.mark.parametrize("step", ["ballot", "close", "open"])
@pytest.mark.parametrize("role", ROLES)
def test_each_selection_step_for_each_role_and_status(client_as, db, role, step, status):
    selection, projects = selection_in(db, status)
    web = client_as(role)  # logging in writes its own audit record: before counting
    token = csrf_token(web, "/selection")
    if step == "open":
        path, data = "/selection/open", {"year": str(date.today().year), "max_choices": "1",
                                         "project_ids": [str(p.id) for p in projects]}
    else:
        sid = selection.id if selection else 999_999
        nominee = selection.nominees[0].id if selection else 1
        path, data = f"/selection/{sid}/{step}", {"nominee_ids": [str(nominee)]}
    before = (db.session.scalar(select(func.count()).select_from(AuditRecord)),
              db.session.scalar(select(func.count()).select_from(Ballot)))
    response = web.post(path, data={"csrf_token": token, **data})
    if role not in SELECTION_ROLES[step]:
        assert response.status_code == 403
    else:
        assert response.status_code == 302 and response.headers["Location"].endswith("/selection")
    db.session.expire_all()
    now = db.session.scalar(select(Selection).where(Selection.year == date.today().year))
    now_status = now.status.value if now else "none"
    after = (db.session.scalar(select(func.count()).select_from(AuditRecord)),
             db.session.scalar(select(func.count()).select_from(Ballot)))
    if role in SELECTION_ROLES[step] and (step, status) in SELECTION_ALLOWED:
        assert now_status == SELECTION_ALLOWED[(step, status)]
        assert after[0] > before[0]
        assert after[1] == before[1] + (1 if step == "ballot" else 0)
    else:
        assert now_status == status and after == before  # nothing changed


def test_the_selection_table_is_the_design_diagram():
    assert {(t.step, frozenset(s.value for s in t.source), t.target and t.target.value,
             frozenset(r.value for r in t.roles)) for t in SELECTION_WORKFLOW} == {
        (SelectionStep.OPEN, frozenset(), SelectionStatus.OPEN.value, frozenset({"street_committee"})),
        (SelectionStep.VOTE, frozenset({"open"}), None, frozenset({"resident", "worker"})),
        (SelectionStep.CLOSE, frozenset({"open"}), "closed", frozenset({"street_committee"})),
    }
