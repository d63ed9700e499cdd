"""Server-side sessions: logout, password changes and deactivation end them; idle and
absolute lifetimes; the remember-me cookie is revocable too."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from coordination.accounts.models import User
from tests.conftest import csrf_token, login


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
