"""API: registration, tokens (hashed, expiring, revocable), /me, errors."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from coordination.accounts.models import ApiToken
from coordination.accounts.models import User
from coordination.core.models.base import utcnow
from coordination.places.enums import PlaceKind
from coordination.places.models import Place


def test_token_then_me(client, db):
    response = client.post("/api/v1/auth/token", json={"username": "unitrep", "password": "Ribbon-2026"})
    assert response.status_code == 200
    body = response.json
    assert set(body["user"]) >= {"id", "username", "display_name", "roles"}
    assert body["user"]["roles"] == ["unit_rep"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json["username"] == "unitrep"
    assert me.json["unit"]["name"] == "上海建工集团股份有限公司"


def test_tokens_are_stored_only_as_digests(client, db):
    raw = client.post("/api/v1/auth/token", json={"username": "staff", "password": "Ribbon-2026"}).json["token"]
    stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert raw not in stored
    assert all(len(h) == 64 for h in stored)


def test_wrong_credentials_give_401(client):
    response = client.post("/api/v1/auth/token", json={"username": "staff", "password": "wrong-password"})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "invalid_credentials"


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer gr_not-a-token", "Basic abc", "Bearer " + "x" * 500])
def test_missing_or_bad_tokens_give_401(client, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert set(response.json["error"]) == {"code", "message", "fields"}


def test_an_expired_token_is_refused(client, db, api_token):
    headers = api_token("resident")
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    for token in db.session.scalars(select(ApiToken)):
        token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.json["error"]["code"] == "invalid_token"


def test_a_revoked_token_is_refused(client, api_token):
    headers = api_token("worker")
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_deactivating_a_user_ends_their_tokens(client, db, api_token):
    headers = api_token("worker")
    user = db.session.scalar(select(User).where(User.username == "worker"))
    user.active = False
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_the_api_ignores_session_cookies(client_as):
    browser = client_as("admin")
    assert browser.get("/api/v1/me").status_code == 401


def test_register_through_the_api(client, db):
    community = db.session.scalar(select(Place).where(Place.kind == PlaceKind.COMMUNITY))
    response = client.post("/api/v1/auth/register", json={
        "username": "wangwu", "password": "Jinse-Niudai-7", "display_name": "王五",
        "role": "resident", "place_id": community.id})
    assert response.status_code == 201
    assert response.json["roles"] == ["resident"]
    assert response.json["place"]["id"] == community.id
    again = client.post("/api/v1/auth/register", json={
        "username": "wangwu", "password": "Jinse-Niudai-7", "display_name": "王五",
        "role": "resident", "place_id": community.id})
    assert again.status_code == 400
    assert "username" in again.json["error"]["fields"]


@pytest.mark.parametrize("body, field", [
    ({"username": "a1b2c", "password": "Jinse-Niudai-7", "display_name": "甲", "role": "staff", "place_id": 2}, "role"),
    ({"username": "a1b2c", "password": "Jinse-Niudai-7", "display_name": "甲", "role": "resident"}, "place_id"),
    ({"username": "a1b2c", "password": "Jinse-Niudai-7", "display_name": "甲", "role": "resident", "place_id": "two"}, "place_id"),
    ({"username": "a1b2c", "password": "Jinse-Niudai-7", "display_name": "", "role": "resident", "place_id": 2}, "display_name"),
    ({"username": "a1b2c", "password": "Jinse-Niudai-7", "display_name": "甲", "role": "resident", "place_id": 99999}, "place_id"),
    ({"username": "A B", "password": "Jinse-Niudai-7", "display_name": "甲", "role": "resident", "place_id": 2}, "username"),
    ({"username": "a1b2c", "password": "1234", "display_name": "甲", "role": "resident", "place_id": 2}, "password"),
    ({"username": "a1b2c", "password": "Jinse-Niudai-7", "display_name": "甲", "role": "resident", "place_id": 2, "admin": True}, "admin"),
])
def test_bad_registrations_name_the_field(client, body, field):
    response = client.post("/api/v1/auth/register", json=body)
    assert response.status_code == 400
    assert field in response.json["error"]["fields"]


def test_choice_errors_list_the_codes_in_the_users_language(client):
    body = {"username": "a1b2c", "password": "Jinse-Niudai-7", "display_name": "甲", "role": "staff", "place_id": 2}
    message = client.post("/api/v1/auth/register", json=body).json["error"]["fields"]["role"]
    assert "resident" in message and "worker" in message and " or " not in message


@pytest.mark.parametrize("data, content_type, status", [
    ("{not json", "application/json", 400), ("[1, 2]", "application/json", 400),
    ("username=x", "application/x-www-form-urlencoded", 415)])
def test_malformed_bodies_are_4xx_never_500(client, data, content_type, status):
    response = client.post("/api/v1/auth/token", data=data, content_type=content_type)
    assert response.status_code == status
    assert "error" in response.json


def test_error_messages_follow_accept_language(client):
    zh = client.get("/api/v1/me", headers={"Accept-Language": "zh-CN"}).json["error"]["message"]
    en = client.get("/api/v1/me", headers={"Accept-Language": "en"}).json["error"]["message"]
    assert en == "Log in first: send a valid bearer token."
    assert zh != en
