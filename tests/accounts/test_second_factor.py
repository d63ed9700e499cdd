"""The second factor (TOTP): enrolment on the web and the API, login in two steps, reused
codes refused, recovery codes, switching off, roles that must use it."""

from __future__ import annotations

import re
import time

import pyotp
from sqlalchemy import select

from coordination.accounts.models import TotpFactor
from coordination.accounts.models import User
from coordination.core.models import AuditRecord
from tests.conftest import csrf_token
from tests.conftest import login


def code_at(secret: str, steps_ahead: int) -> str:
    return pyotp.TOTP(secret).at(int(time.time()) + 30 * steps_ahead)


def token_request(client, username, otp=None, password="Ribbon-2026"):
    body = {"username": username, "password": password}
    if otp is not None:
        body["otp"] = otp
    return client.post("/api/v1/auth/token", json=body)


def enrol_by_api(client, api_token, role="council"):
    headers = api_token(role)
    started = client.post("/api/v1/me/2fa", headers=headers)
    assert started.status_code == 200, started.json
    secret = started.json["secret"]
    assert started.json["otpauth_uri"].startswith("otpauth://totp/")
    confirmed = client.post("/api/v1/me/2fa/confirm", json={"otp": code_at(secret, 0)}, headers=headers)
    assert confirmed.status_code == 200, confirmed.json
    return secret, confirmed.json["recovery_codes"], headers


def test_api_enrolment_and_login_with_a_code(client, db, api_token):
    secret, recovery, headers = enrol_by_api(client, api_token)
    assert len(recovery) == 10 and len(set(recovery)) == 10
    missing = token_request(client, "council")
    assert missing.status_code == 401
    assert missing.json["error"]["code"] == "otp_required"
    wrong = token_request(client, "council", otp="000000" if code_at(secret, 1) != "000000" else "111111")
    assert wrong.status_code == 401
    assert wrong.json["error"]["code"] == "otp_invalid"
    # the code used to confirm is spent; the next one works once
    assert token_request(client, "council", otp=code_at(secret, 0)).status_code == 401
    assert token_request(client, "council", otp=code_at(secret, 1)).status_code == 200
    assert token_request(client, "council", otp=code_at(secret, 1)).status_code == 401
    # a recovery code works once
    assert token_request(client, "council", otp=recovery[0]).status_code == 200
    assert token_request(client, "council", otp=recovery[0]).status_code == 401
    # enrolling again while it is on is a conflict
    assert client.post("/api/v1/me/2fa", headers=headers).status_code == 409


def test_the_secret_is_stored_encrypted_and_never_audited(client, db, api_token):
    secret, recovery, headers = enrol_by_api(client, api_token, "street_committee")
    user = db.session.scalar(select(User).where(User.username == "street"))
    stored = db.session.scalar(select(TotpFactor).where(TotpFactor.user_id == user.id))
    assert stored.confirmed_at is not None
    assert secret not in stored.secret_encrypted
    actions = db.session.scalars(select(AuditRecord.action).where(
        AuditRecord.object_type == "User", AuditRecord.object_id == user.id)).all()
    assert "user.2fa_enrolment" in actions and "user.2fa_enabled" in actions
    for record in db.session.scalars(select(AuditRecord)).all():
        text = f"{record.details} {record.comment}"
        assert secret not in text and recovery[0] not in text


def test_api_switching_off_needs_the_password_and_a_code(client, db, api_token):
    secret, recovery, headers = enrol_by_api(client, api_token, "community_committee")
    refused = client.post("/api/v1/me/2fa/disable", json={"password": "wrong-one", "otp": code_at(secret, 1)},
                          headers=headers)
    assert refused.status_code == 400
    assert refused.json["error"]["fields"]["password"] == "当前密码错误。"
    done = client.post("/api/v1/me/2fa/disable", json={"password": "Ribbon-2026", "otp": recovery[3]},
                       headers=headers)
    assert done.status_code == 200 and done.json["enabled"] is False
    assert token_request(client, "community").status_code == 200


def test_wrong_codes_count_as_failed_logins(client, db, api_token):
    secret, _recovery, _headers = enrol_by_api(client, api_token, "unit_rep")
    statuses = [token_request(client, "unitrep", otp="12345x").status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]


def test_web_enrolment_and_two_step_login(app, client, db):
    assert login(client, "admin").status_code == 302
    assert "设置双重验证" in client.get("/me").get_data(as_text=True)
    assert client.post("/me/2fa/start", data={"csrf_token": csrf_token(client, "/me/2fa")}).status_code == 302
    page = client.get("/me/2fa").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    assert 'src="data:image/svg+xml;base64,' in page
    wrong = client.post("/me/2fa/confirm", data={"csrf_token": csrf_token(client, "/me/2fa"), "otp": "12"})
    assert wrong.status_code == 303
    shown = client.post("/me/2fa/confirm", data={"csrf_token": csrf_token(client, "/me/2fa"),
                                                 "otp": code_at(secret, 0)})
    assert shown.status_code == 200
    assert shown.headers["Cache-Control"] == "no-store"
    assert len(re.findall(r"<li>[a-z2-9]{5}-[a-z2-9]{5}</li>", shown.get_data(as_text=True))) == 10
    client.post("/logout", data={"csrf_token": csrf_token(client, "/me")})

    first = login(client, "admin")
    assert first.status_code == 302 and first.headers["Location"] == "/login/code"
    assert client.get("/me").status_code == 302  # not logged in before the code
    token = csrf_token(client, "/login/code")
    reused = client.post("/login/code", data={"csrf_token": token, "otp": code_at(secret, 0)})
    assert reused.status_code == 401
    assert "动态码错误或已被使用。" in reused.get_data(as_text=True)
    done = client.post("/login/code", data={"csrf_token": csrf_token(client, "/login/code"),
                                            "otp": code_at(secret, 1)})
    assert done.status_code == 302
    assert client.get("/me").status_code == 200


def test_roles_that_must_use_a_second_factor_set_it_up_first(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "REQUIRE_2FA_ROLES", "admin,staff")
    response = login(client, "staff")
    assert response.status_code == 302 and response.headers["Location"] == "/me/2fa"
    blocked = client.get("/needs")
    assert blocked.status_code == 302 and blocked.headers["Location"] == "/me/2fa"
    assert client.get("/me/2fa").status_code == 200
    api = token_request(client, "staff")
    assert api.status_code == 403
    assert api.json["error"]["code"] == "otp_setup_required"
    # other roles are not asked
    assert token_request(client, "resident").status_code == 200


def test_the_openapi_document_declares_the_second_factor_routes(client, db):
    spec = client.get("/api/v1/openapi.json").json
    assert set(spec["paths"]["/me/2fa"]["post"]["responses"]) >= {"200", "401", "409"}
    assert set(spec["paths"]["/me/2fa/confirm"]["post"]["responses"]) >= {"200", "400", "401", "409"}
    assert "otp" in spec["components"]["schemas"]["TokenBody"]["properties"]


def test_second_factor_settings_are_checked_at_start(tmp_path):
    import secrets

    import pytest

    from coordination import create_app

    base = {"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite3"}
    production = create_app({**base, "APP_ENV": "production", "SECRET_KEY": secrets.token_hex(32)})
    development = create_app({**base, "APP_ENV": "development"})
    assert production.config["REQUIRE_2FA_ROLES"] == "admin,staff"
    assert development.config["REQUIRE_2FA_ROLES"] == ""
    with pytest.raises(RuntimeError, match="unknown roles: boss"):
        create_app({**base, "REQUIRE_2FA_ROLES": "admin,boss"})
    with pytest.raises(RuntimeError, match="TOTP_ENCRYPTION_KEY"):
        create_app({**base, "TOTP_ENCRYPTION_KEY": "not-a-key"})


def test_the_code_step_expires_after_five_minutes(app, client, db, api_token):
    secret, _recovery, _headers = enrol_by_api(client, api_token, "staff")
    assert login(client, "staff").headers["Location"] == "/login/code"
    with client.session_transaction() as browser_session:
        pending = dict(browser_session["pending_login"])
        pending["at"] -= 301
        browser_session["pending_login"] = pending
    response = client.get("/login/code")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.get("/me").status_code == 302
