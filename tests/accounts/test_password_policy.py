"""Common and guessable passwords are refused on every path that sets one (registration on
the web and the API, password change, ``user create``), with the reason in the user's
language; the demo accounts, created by the seed, keep the README's password."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coordination.accounts.models import User
from coordination.places.enums import PlaceKind
from coordination.places.models import Place
from tests.conftest import csrf_token
from tests.conftest import login

COMMON = ["P@ssw0rd", "passw0rd", "welcome1", "a1b2c3d4", "Ribbon-2026", "iloveyou1", "Qwerty123!",
          "football99", "1qaz2wsx", "woaini1314"]
STRONG = "Tide-Mango-Violin-58"
TOO_EASY = "这个密码太容易被猜到"


def community_id(db) -> int:
    return db.session.scalar(select(Place.id).where(Place.kind == PlaceKind.COMMUNITY).order_by(Place.id))


def register_api(client, db, password, username="lihua", display_name="李华"):
    return client.post("/api/v1/auth/register", headers={"Accept-Language": "zh-CN"}, json={
        "username": username, "password": password, "display_name": display_name, "role": "resident",
        "place_id": community_id(db)})


@pytest.mark.parametrize("password", COMMON)
def test_common_passwords_are_refused_by_the_api(client, db, password):
    response = register_api(client, db, password)
    assert response.status_code == 400, response.json
    assert response.json["error"]["code"] == "invalid"
    assert TOO_EASY in response.json["error"]["fields"]["password"]
    assert db.session.scalar(select(User).where(User.username == "lihua")) is None


def test_a_strong_password_registers(client, db):
    response = register_api(client, db, STRONG)
    assert response.status_code == 201, response.json


@pytest.mark.parametrize("password,username,display_name", [
    ("Lihua-Lihua-2026", "lihua", "李华"),
    ("Zhangxiaoming-1990", "xm2026", "zhangxiaoming"),
    ("GoldenRibbon2026", "lihua", "李华"),
])
def test_passwords_built_from_the_person_or_the_site_are_refused(client, db, password, username, display_name):
    response = register_api(client, db, password, username=username, display_name=display_name)
    assert response.status_code == 400, response.json
    assert "password" in response.json["error"]["fields"]


@pytest.mark.parametrize("password", ["P@ssw0rd", "Ribbon-2026"])
def test_common_passwords_are_refused_by_the_web_form(client, db, password):
    data = {"csrf_token": csrf_token(client, "/register"), "role": "resident", "username": "lihua",
            "display_name": "李华", "password": password, "confirm": password, "place_id": str(community_id(db))}
    response = client.post("/register", data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="password-error"' in html and TOO_EASY in html
    assert db.session.scalar(select(User).where(User.username == "lihua")) is None


@pytest.mark.parametrize("password", ["welcome1", "a1b2c3d4"])
def test_a_common_password_cannot_replace_the_current_one(client, db, password):
    assert login(client, "resident").status_code == 302
    response = client.post("/me/password", data={
        "csrf_token": csrf_token(client, "/me/password"), "current": "Ribbon-2026", "password": password,
        "confirm": password})
    assert response.status_code == 400
    assert TOO_EASY in response.get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/me")})
    assert login(client, "resident").status_code == 302  # the old password still works


@pytest.mark.parametrize("password", ["P@ssw0rd", "Ribbon-2026"])
def test_user_create_refuses_a_common_password(app, db, password):
    result = app.test_cli_runner().invoke(args=[
        "user", "create", "clerk", "--role", "staff", "--password", password])
    assert result.exit_code == 2, result.output
    assert "password" in result.output
    assert db.session.scalar(select(User).where(User.username == "clerk")) is None


def test_demo_accounts_keep_the_readme_password(client):
    for username in ("resident", "staff", "council5", "admin"):
        browser = client.application.test_client()
        assert login(browser, username, "Ribbon-2026").status_code == 302
