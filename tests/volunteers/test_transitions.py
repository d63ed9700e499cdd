"""Every step of a sign-up, for every role, in every status of its project (table-driven, API)."""

import pytest
from sqlalchemy import func
from sqlalchemy import select

from coordination.core.models import AuditRecord
from coordination.projects import operations as projects
from coordination.volunteers.models import VolunteerSignup
from tests.factories import user
from tests.volunteers.conftest import check_in
from tests.volunteers.conftest import sign_up

ROLES = ["resident", "worker", "unit_rep", "staff", "council", "community_committee", "street_committee", "admin"]
STATUSES = ["draft", "published", "claimed", "completed"]
STEPS = ["sign_up", "withdraw", "check_in", "record_hours"]

# step → who may take it (the step table's roles)
ROLES_OF = {"sign_up": {"resident", "worker"}, "withdraw": {"resident", "worker"},
            "check_in": {"unit_rep"}, "record_hours": {"unit_rep"}}

# (step, project status) → (status code, the sign-up's status afterwards) for an allowed role. The
# resident's sign-up exists for the steps after signing up (checked in for recording hours); the
# worker signs up fresh. A published project with a sign-up was released by staff, so it has no lead.
ALLOWED = {
    ("sign_up", "published"): (201, "signed_up"), ("sign_up", "claimed"): (201, "signed_up"),
    ("sign_up", "completed"): (409, None),
    ("withdraw", "published"): (204, "withdrawn"), ("withdraw", "claimed"): (204, "withdrawn"),
    ("withdraw", "completed"): (409, "signed_up"),
    ("check_in", "published"): (403, "signed_up"), ("check_in", "claimed"): (200, "checked_in"),
    ("check_in", "completed"): (200, "checked_in"),
    ("record_hours", "published"): (403, "checked_in"), ("record_hours", "claimed"): (201, "checked_in"),
    ("record_hours", "completed"): (201, "checked_in"),
}


def expected(step: str, status: str, role: str) -> int:
    if role not in ROLES_OF[step]:
        return 403
    if status == "draft":
        return 404  # not visible to residents, office workers and unit contacts
    if step == "withdraw" and role == "worker":
        return 404  # the worker has not signed up
    return ALLOWED[(step, status)][0]


def _prepared(db, client, api_token, make_project, profile, step: str, status: str):
    """A project in ``status`` with 5 volunteer places and, for the later steps, the resident's sign-up."""
    profile("resident")
    profile("worker", party_member=False, party_org=None)
    if step == "sign_up" or status == "draft":
        return make_project(status, volunteer_places=5), None
    project = make_project("claimed", volunteer_places=5)
    signup_id = sign_up(client, api_token, project.id).json["id"]
    if step == "record_hours":
        assert check_in(client, api_token, project.id, signup_id).status_code == 200
    if status == "completed":
        projects.complete_project(user(db, "unitrep"), project.id, "项目完成。")
    elif status == "published":
        projects.release_project(user(db, "staff"), project.id, "认领单位无法实施")
    db.session.commit()
    return project, signup_id


def _request(client, headers, step: str, project_id: int, signup_id: int | None):
    base = f"/api/v1/projects/{project_id}/volunteers"
    if step == "sign_up":
        return client.post(base, json={"note": "周末可以"}, headers=headers)
    if step == "withdraw":
        return client.delete(f"{base}/me", headers=headers)
    if step == "check_in":
        return client.post(f"{base}/{signup_id or 1}/check-in", headers=headers)
    return client.post(f"{base}/{signup_id or 1}/hours", json={"hours": 2.5, "date": _today()}, headers=headers)


def _today() -> str:
    from coordination.volunteers.checkin import local_today

    return local_today().isoformat()


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("role", ROLES)
def test_each_step_for_each_role_and_project_status(client, db, api_token, make_project, profile, role, step,
                                                    status):
    project, signup_id = _prepared(db, client, api_token, make_project, profile, step, status)
    headers = api_token(role)
    audit_before = db.session.scalar(select(func.count()).select_from(AuditRecord))
    response = _request(client, headers, step, project.id, signup_id)
    want = expected(step, status, role)
    assert response.status_code == want, response.json
    db.session.expire_all()
    signup = db.session.get(VolunteerSignup, signup_id) if signup_id else None
    if want in (200, 201, 204):
        assert db.session.scalar(select(func.count()).select_from(AuditRecord)) > audit_before
        if step == "sign_up":
            assert response.json["status"] == "signed_up"
        else:
            assert signup.status.value == ALLOWED[(step, status)][1]
    else:
        assert db.session.scalar(select(func.count()).select_from(AuditRecord)) == audit_before
        if signup is not None:
            assert signup.status.value == ("checked_in" if step == "record_hours" else "signed_up")
        if want == 409:
            assert response.json["error"]["current_status"] == status
