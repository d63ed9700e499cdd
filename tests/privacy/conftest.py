"""A person with canary values in every kind of record, made through the real app."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from coordination.places.models import Place
from tests.conftest import csrf_token
from tests.conftest import login
from tests.factories import build

CANARY = {
    "username": "canary.kql7",
    "display_name": "柯琪莲测",
    "phone": "13987650123",
    "email": "kql7.canary@example.cn",
    "real_name": "柯琪莲真名",
    "need_text": "我家住3号楼502室柯琪莲电话13987650123",
    "answer_text": "联系我柯琪莲13987650123",
    "report_reason": "举报人柯琪莲13987650123",
}
PASSWORD = "Kql7-canary-pass"


def register(client, place_id, **overrides):
    body = {"username": CANARY["username"], "password": PASSWORD, "display_name": CANARY["display_name"],
            "role": "resident", "place_id": place_id, "phone": CANARY["phone"], "email": CANARY["email"]}
    body.update(overrides)
    return client.post("/api/v1/auth/register", json=body)


def token_for(client, username, password):
    response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['token']}"}


@pytest.fixture()
def person(client, client_as, api_token, db):
    """A resident who registered, submitted a need, supported and followed another, reported one,
    answered a survey with free text and voted in the annual selection."""
    from coordination.accounts import operations as accounts
    from coordination.accounts.models import User

    place_id = db.session.scalar(select(Place.id).where(Place.name == "福山居民区"))
    assert register(client, place_id).status_code == 201
    user = db.session.scalar(select(User).where(User.username == CANARY["username"]))
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    accounts.update_user(admin, user, roles=["resident"], unit_id=None, place_id=place_id, active=True,
                         display_name=CANARY["display_name"], phone=CANARY["phone"], email=CANARY["email"],
                         real_name=CANARY["real_name"])
    db.session.commit()
    headers = token_for(client, CANARY["username"], PASSWORD)

    own = client.post("/api/v1/needs", headers=headers, json={
        "kind": "wish", "title": "小区门口增设长椅", "description": CANARY["need_text"], "place_id": place_id})
    assert own.status_code == 201, own.json
    other = client.post("/api/v1/needs", headers=api_token("worker"), json={
        "kind": "idea", "title": "午间读书会", "description": "楼宇里办读书会。", "place_id": place_id})
    assert other.status_code == 201
    other_id = other.json["id"]
    assert client.post(f"/api/v1/needs/{other_id}/support", headers=headers).status_code == 200
    assert client.post(f"/api/v1/needs/{other_id}/follow", headers=headers).status_code == 200
    assert client.post(f"/api/v1/needs/{other_id}/report", headers=headers,
                       json={"reason": CANARY["report_reason"]}).status_code == 201

    project = build(db, "completed")
    second = build(db, "completed", title="楼宇读书角")
    opened = client.post(f"/api/v1/projects/{project.id}/evaluation/open", json={}, headers=api_token("staff"))
    survey_id = opened.json["survey_id"]
    survey = client.get(f"/api/v1/surveys/{survey_id}", headers=headers).json
    answers = [{"question_id": q["id"], "score": 5} if q["kind"] == "likert"
               else {"question_id": q["id"], "text": CANARY["answer_text"]} for q in survey["questions"]]
    answered = client.post(f"/api/v1/surveys/{survey_id}/responses", headers=headers, json={"answers": answers})
    assert answered.status_code == 201, answered.json

    street = client_as("street_committee")
    opened_selection = street.post("/selection/open", data={
        "csrf_token": csrf_token(street, "/selection"), "year": str(date.today().year),
        "max_choices": "1", "project_ids": [str(project.id), str(second.id)]})
    assert opened_selection.status_code == 302
    web = client.application.test_client()
    assert login(web, CANARY["username"], PASSWORD).status_code == 302
    from coordination.evaluation.models import Nominee

    nominee = db.session.scalar(select(Nominee).order_by(Nominee.id))
    voted = web.post(f"/selection/{nominee.selection_id}/ballot", data={
        "csrf_token": csrf_token(web, "/selection"), "nominee_ids": [str(nominee.id)]})
    assert voted.status_code == 302
    return {"user_id": user.id, "headers": headers, "web": web, "need_id": own.json["id"],
            "other_need_id": other_id, "project_id": project.id, "second_project_id": second.id, "survey_id": survey_id,
            "place_id": place_id}
