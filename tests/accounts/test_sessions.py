"""Server-side sessions: logout, password changes and deactivation end them; idle and
absolute lifetimes; the remember-me cookie is revocable too."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy import update

from coordination.accounts.models import User
from tests.conftest import csrf_token
from tests.conftest import login


def saved_cookie(client, name="session") -> str:
    cookie = client.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    return cookie.value


def test_a_saved_session_cookie_no_longer_opens_me_after_logout(app, client, db):
    assert login(client, "resident").status_code == 302
    assert client.get("/me").status_code == 200
    stolen = saved_cookie(client)
    assert client.post("/logout", data={"csrf_token": csrf_token(client, "/me")}).status_code == 302

    replay = app.test_client()
    replay.set_cookie("session", stolen)
    response = replay.get("/me")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_saved_remember_me_cookie_no_longer_logs_in_after_logout(app, client, db):
    token = csrf_token(client, "/login")
    assert client.post("/login", data={"username": "worker", "password": "Ribbon-2026",
                                       "remember": "y", "csrf_token": token}).status_code == 302
    remembered = saved_cookie(client, "remember_token")
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remembered)
    assert fresh.get("/me").status_code == 200  # the cookie works while the session lives
    assert client.post("/logout", data={"csrf_token": csrf_token(client, "/me")}).status_code == 302
    replay = app.test_client()
    replay.set_cookie("remember_token", remembered)
    assert replay.get("/me").status_code == 302


def test_changing_the_password_ends_the_other_sessions_only(app, client, db):
    other = app.test_client()
    assert login(other, "resident").status_code == 302
    assert login(client, "resident").status_code == 302
    token = csrf_token(client, "/me/password")
    assert client.post("/me/password", data={"csrf_token": token, "current": "Ribbon-2026",
                                             "password": "Xin-Mima-2027", "confirm": "Xin-Mima-2027"}
                       ).status_code == 302
    assert other.get("/me").status_code == 302
    assert client.get("/me").status_code == 200


def test_deactivation_by_an_admin_ends_the_sessions(app, client, db):
    from coordination.accounts import operations
    from coordination.accounts.models import UserSession

    assert login(client, "unitrep").status_code == 302
    user = db.session.scalar(select(User).where(User.username == "unitrep"))
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    operations.update_user(admin, user, roles=[r.value for r in user.roles], unit_id=user.unit_id,
                           place_id=user.place_id, active=False, display_name=user.display_name,
                           phone=user.phone, email=user.email, real_name=user.real_name)
    db.session.commit()
    user.active = True  # even reactivated, the old session stays ended
    db.session.commit()
    assert client.get("/me").status_code == 302
    assert db.session.scalar(select(UserSession.revoked_at).where(UserSession.user_id == user.id)) is not None


def test_revoke_user_sessions_ends_every_session_of_a_person(app, client, db):
    from coordination.accounts.sessions import revoke_user_sessions

    second = app.test_client()
    assert login(client, "council").status_code == 302
    assert login(second, "council").status_code == 302
    user = db.session.scalar(select(User).where(User.username == "council"))
    assert revoke_user_sessions(user) == 2
    db.session.commit()
    assert client.get("/me").status_code == 302
    assert second.get("/me").status_code == 302


@pytest.mark.parametrize("column, age, alive", [
    ("last_seen_at", timedelta(minutes=119), True),
    ("last_seen_at", timedelta(minutes=121), False),   # idle for more than 2 hours
    ("created_at", timedelta(hours=13), False),        # older than 12 hours, however active
])
def test_idle_and_absolute_lifetimes(app, client, db, column, age, alive):
    from coordination.accounts.models import UserSession
    from coordination.core.models.base import utcnow

    assert login(client, "street").status_code == 302
    db.session.execute(update(UserSession).values({column: utcnow() - age}))
    db.session.commit()
    assert client.get("/me").status_code == (200 if alive else 302)


def test_last_seen_is_written_at_most_once_a_minute(app, client, db):
    from coordination.accounts.models import UserSession

    assert login(client, "staff").status_code == 302
    record = db.session.scalar(select(UserSession))
    first_seen = record.last_seen_at
    assert client.get("/me").status_code == 200
    db.session.refresh(record)
    assert record.last_seen_at == first_seen  # no write within the minute


def test_sign_out_other_sessions_from_my_page(app, client, db):
    other = app.test_client()
    assert login(other, "worker").status_code == 302
    assert login(client, "worker").status_code == 302
    page = client.get("/me").get_data(as_text=True)
    assert "退出其他设备上的登录" in page and "当前浏览器" in page
    response = client.post("/me/sessions/others", data={"csrf_token": csrf_token(client, "/me")})
    assert response.status_code == 302
    assert other.get("/me").status_code == 302
    assert client.get("/me").status_code == 200
