"""Every step of a pledge, for every role and status, through the API (table-driven)."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlalchemy import select

from coordination.core.models import AuditRecord
from coordination.pledges.models import Pledge
from tests.pledges.conftest import IN_A_MONTH
from tests.pledges.conftest import keep
from tests.pledges.conftest import volunteer

ROLES = ["resident", "worker", "unit_rep", "staff", "council", "community_committee", "street_committee", "admin"]
STATUSES = ["made", "kept"]
VOLUNTEERS = {"resident", "worker"}

# step: (method, route, body); the pledge is the resident's, followed by every role before the step
STEPS = {
    "keep": ("POST", "fulfilment", {"note": "三个月来每月上门测量，记录齐全。"}),
    "follow": ("POST", "follow", None),
    "unfollow": ("DELETE", "follow", None),
    "rate": ("POST", "ratings", {"score": 5, "comment": "很贴心"}),
}


def expected(step: str, status: str, role: str) -> int:
    if step == "follow":
        return 200  # anyone logged in
    if step == "unfollow":
        return 204
    if role not in VOLUNTEERS:
        return 403  # the role first
    if step == "keep":
        if status != "made":
            return 409
        return 200 if role == "resident" else 403  # then the status, then "only its pledger"
    # rate: a follower of a kept pledge, never its own pledger
    if status != "kept":
        return 409
    return 201 if role == "worker" else 403


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("step", sorted(STEPS))
@pytest.mark.parametrize("role", ROLES)
def test_each_step_for_each_role_and_status(client, db, api_token, pledge, role, step, status):
    if status == "kept":
        keep(db, pledge)
    headers = api_token(role)
    assert client.post(f"/api/v1/pledges/{pledge.id}/follow", headers=headers).status_code == 200
    before = db.session.scalar(select(func.count()).select_from(AuditRecord))
    method, route, body = STEPS[step]
    response = client.open(f"/api/v1/pledges/{pledge.id}/{route}", method=method, json=body, headers=headers)
    want = expected(step, status, role)
    assert response.status_code == want, response.json
    db.session.expire_all()
    now = db.session.get(Pledge, pledge.id)
    after = db.session.scalar(select(func.count()).select_from(AuditRecord))
    if want == 200 and step == "keep":
        assert now.status.value == "kept" and now.fulfilment_note and now.fulfilled_at
        assert after == before + 1
    elif want == 201:
        assert (now.rating_count, now.rating_sum) == (1, 5) and after == before + 1
    elif want >= 400:
        assert now.status.value == status and now.rating_count == 0 and after == before
        assert response.json["error"]["code"] == {403: "forbidden", 409: "conflict"}[want]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("profile", ["none", "not_a_member", "party_member"])
def test_only_party_member_volunteers_make_pledges(client, db, api_token, role, profile):
    username = {"unit_rep": "unitrep", "community_committee": "community", "street_committee": "street"}.get(role, role)
    if profile != "none":
        volunteer(db, username, party_member=profile == "party_member")
    response = client.post("/api/v1/pledges", headers=api_token(role), json={
        "title": "每周义务修理小家电", "content": "每周三午休时间义务修理。", "due_on": IN_A_MONTH.isoformat()})
    allowed = role in VOLUNTEERS and profile == "party_member"
    assert response.status_code == (201 if allowed else 403), response.json
    if allowed:
        assert response.json["status"] == "made" and response.json["party_member"] is True
    elif role in VOLUNTEERS:
        message = response.json["error"]["message"]
        assert ("volunteer profile" in message) or ("志愿者档案" in message), message
    assert db.session.scalar(select(func.count()).select_from(Pledge)) == (1 if allowed else 0)
