"""Registering, logging in and out on the web pages."""

import pytest
from sqlalchemy import select

from coordination.accounts.models import User
from coordination.core.enums import Role
from coordination.core.models import AuditRecord
from coordination.places.enums import PlaceKind
from coordination.places.models import Place
from tests.conftest import csrf_token
from tests.conftest import login


def place_id(db, kind: PlaceKind) -> int:
    return db.session.scalar(select(Place.id).where(Place.kind == kind).order_by(Place.id))


def register_form(client, **fields):
    data = {"csrf_token": csrf_token(client, "/register"), "role": "resident", "username": "lihua",
            "display_name": "李华", "password": "Jinse-Niudai-7", "confirm": "Jinse-Niudai-7"}
    data.update(fields)
    return client.post("/register", data=data)


@pytest.mark.parametrize("role, kind", [("resident", PlaceKind.COMMUNITY), ("worker", PlaceKind.BUILDING)])
def test_residents_and_workers_register_with_their_place_and_are_logged_in(client, db, role, kind):
    response = register_form(client, role=role, place_id=place_id(db, kind))
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "lihua"))
    assert user.roles == {Role(role)}
    assert user.place.kind == kind
    assert user.password_hash.startswith("$argon2id$")
    me = client.get("/me")
    assert me.status_code == 200 and "李华" in me.get_data(as_text=True)
    assert db.session.scalar(select(AuditRecord).where(AuditRecord.action == "user.register",
                                                        AuditRecord.object_id == user.id))


def test_a_resident_cannot_register_with_an_office_building(client, db):
    response = register_form(client, role="resident", place_id=place_id(db, PlaceKind.BUILDING))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="place_id-error"' in html
    assert db.session.scalar(select(User).where(User.username == "lihua")) is None


@pytest.mark.parametrize("password", ["short", "12345678", "88888888", "lihua-lihua-1"])
def test_weak_passwords_are_refused_and_the_form_keeps_what_was_typed(client, db, password):
    response = register_form(client, place_id=place_id(db, PlaceKind.COMMUNITY),
                             password=password, confirm=password)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="password-error"' in html
    assert 'value="李华"' in html  # the display name is kept
    assert db.session.scalar(select(User).where(User.username == "lihua")) is None


def test_nobody_can_register_as_staff(client, db):
    response = register_form(client, role="staff", place_id=place_id(db, PlaceKind.COMMUNITY))
    assert response.status_code == 400
    assert db.session.scalar(select(User).where(User.username == "lihua")) is None


def test_a_taken_username_is_refused(client, db):
    response = register_form(client, username="resident", place_id=place_id(db, PlaceKind.COMMUNITY))
    assert response.status_code == 400
    assert 'id="username-error"' in response.get_data(as_text=True)


def test_login_and_logout(client, db):
    response = login(client, "staff")
    assert response.status_code == 302
    assert client.get("/me").status_code == 200
    assert client.post("/logout", data={"csrf_token": csrf_token(client, "/me")}).status_code == 302
    assert client.get("/me").status_code == 302  # back to the login page


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, db):
    wrong_password = login(client, "staff", "not-the-password")
    unknown_user = login(client, "nobody-here", "not-the-password")
    assert wrong_password.status_code == unknown_user.status_code == 401
    assert client.get("/me").status_code == 302


def test_a_deactivated_user_cannot_log_in(client, db):
    user = db.session.scalar(select(User).where(User.username == "worker"))
    user.active = False
    db.session.commit()
    assert login(client, "worker").status_code == 401


def test_login_only_redirects_within_the_site(client, db):
    token = csrf_token(client, "/login")
    response = client.post("/login?next=https://evil.example/steal",
                           data={"username": "staff", "password": "Ribbon-2026", "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] in ("/me", "http://localhost/me")
