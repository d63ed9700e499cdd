"""The security baseline: CSRF, headers, cookies, body size, no inline scripts, numbers beyond
the id columns in URLs."""

import re
import secrets

import pytest
from sqlalchemy import select
from sqlalchemy import text

from coordination.accounts.models import User
from tests.conftest import csrf_token
from tests.conftest import make_app


@pytest.mark.parametrize("url, data", [
    ("/login", {"username": "staff", "password": "Ribbon-2026"}),
    ("/register", {"username": "someone", "password": "Jinse-Niudai-7"}),
    ("/logout", {}),
    ("/admin/places/new", {"name": "x"}),
])
def test_every_form_post_needs_a_csrf_token(client, url, data):
    response = client.post(url, data=data)
    assert response.status_code == 400


def test_a_logged_in_session_still_needs_csrf_for_admin_changes(client_as, db):
    admin = client_as("admin")
    before = db.session.scalar(select(text("count(*)")).select_from(text("places")))
    response = admin.post("/admin/places/new", data={"kind": "area", "name": "伪造片区", "street_id": 1})
    assert response.status_code == 400
    assert db.session.scalar(select(text("count(*)")).select_from(text("places"))) == before


def test_security_headers_on_pages(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize("url", ["/", "/login", "/register", "/units", "/association"])
def test_pages_have_no_inline_scripts_or_styles_the_policy_would_block(client, url):
    html = client.get(url).get_data(as_text=True)
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert scripts == []
    assert re.search(r"\sstyle=\"", html) is None
    assert re.search(r"\son[a-z]+=\"", html) is None  # no inline event handlers


def test_session_cookie_flags_in_production(app, db):
    production = make_app(app.config["SQLALCHEMY_DATABASE_URI"], APP_ENV="production",
                          SECRET_KEY=secrets.token_hex(32), ARGON2_PARAMS=app.config["ARGON2_PARAMS"],
                          RATELIMIT_ENABLED=False)
    client = production.test_client()
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"username": "staff", "password": "Ribbon-2026",
                                           "csrf_token": token})
    cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    secure = client.get("/", base_url="https://localhost")
    assert "max-age=" in secure.headers["Strict-Transport-Security"]


def test_production_refuses_to_start_without_a_secret_key(app, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        make_app(app.config["SQLALCHEMY_DATABASE_URI"], APP_ENV="production", SECRET_KEY=None)


def test_too_large_bodies_are_refused(client):
    big = "x" * (11 * 1024 * 1024)
    response = client.post("/api/v1/auth/token", data=big, content_type="application/json")
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"


def test_the_audit_log_cannot_be_changed_or_deleted(db):
    from coordination.core import audit

    audit.record(None, "test.event", object_type="Test", object_id=1)
    db.session.flush()
    for statement in ("UPDATE audit_records SET comment = 'changed'", "DELETE FROM audit_records"):
        nested = db.session.begin_nested()
        with pytest.raises(Exception, match="append-only"):
            db.session.execute(text(statement))
        nested.rollback()
    assert db.session.scalar(select(text("count(*)")).select_from(text("audit_records"))) > 0


def test_passwords_are_stored_as_argon2_hashes(db):
    hashes = db.session.scalars(select(User.password_hash)).all()
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)


@pytest.mark.parametrize("url, status", [
    ("/api/v1/needs/99999999999999999999", 404), ("/needs/3000000000", 404), ("/units/99999999999999", 404),
    ("/api/v1/surveys/99999999999999999999", 404), ("/needs/photos/99999999999999999999", 404),
    ("/needs?category_id=99999999999999999999&page=99999999999999999999", 200),
    ("/projects?unit_id=99999999999999999999", 200), ("/dashboard?area_id=99999999999999999999", 200),
    ("/api/v1/needs?place_id=99999999999999999999", 400),
])
def test_numbers_beyond_the_id_columns_in_urls_are_not_found_or_ignored(client, url, status):
    """An id too large for its column is an unknown object (404); a page filter is ignored (the
    page answers 200), the API's names the field (400). Never a server error."""
    assert client.get(url).status_code == status
