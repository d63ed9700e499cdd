"""Production (APP_ENV=production) refuses to start with settings that give the site away:
a weak or well-known SECRET_KEY, debug mode, or CSRF protection switched off."""

from __future__ import annotations

import secrets

import pytest

from coordination.config import TestingConfig
from tests.conftest import make_app

STRONG = secrets.token_hex(32)


def start(app, **settings):
    config = {"APP_ENV": "production", "SECRET_KEY": STRONG, "RATELIMIT_ENABLED": False}
    config.update(settings)
    return make_app(app.config["SQLALCHEMY_DATABASE_URI"], **config)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in ("SECRET_KEY", "FLASK_DEBUG", "FLASK_SECRET_KEY", "FLASK_WTF_CSRF_ENABLED"):
        monkeypatch.delenv(name, raising=False)


def test_a_strong_key_starts(app):
    production = start(app)
    assert production.config["ENV_NAME"] == "production"
    assert production.test_client().get("/healthz").status_code == 200


@pytest.mark.parametrize("key", [
    "x", "changeme", "change-me", "CHANGEME", "secret", "password", "dev", "development",
    "your-secret-key", "replace-me-with-a-real-secret", "please-change-this-secret-key",
    TestingConfig.SECRET_KEY, "a" * 64, "abab" * 16, "0123456789abcdef0123", "Sh0rt-but-mixed!",
])
def test_a_weak_secret_key_is_refused(app, key):
    with pytest.raises(RuntimeError) as error:
        start(app, SECRET_KEY=key)
    assert "SECRET_KEY" in str(error.value)
    assert "secrets.token_hex(32)" in str(error.value)


def test_a_weak_secret_key_from_the_environment_is_refused(app, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "changeme")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        make_app(app.config["SQLALCHEMY_DATABASE_URI"], APP_ENV="production")


def test_the_development_key_is_refused_in_production(app, monkeypatch):
    development = make_app(app.config["SQLALCHEMY_DATABASE_URI"], APP_ENV="development", SECRET_KEY=None)
    monkeypatch.setenv("SECRET_KEY", development.config["SECRET_KEY"])
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        make_app(app.config["SQLALCHEMY_DATABASE_URI"], APP_ENV="production")


@pytest.mark.parametrize("value", ["1", "true"])
def test_debug_from_the_environment_is_refused(app, monkeypatch, value):
    monkeypatch.setenv("FLASK_DEBUG", value)
    with pytest.raises(RuntimeError, match="FLASK_DEBUG"):
        start(app)


def test_debug_setting_is_refused(app):
    with pytest.raises(RuntimeError, match="DEBUG"):
        start(app, DEBUG=True)


def test_csrf_switched_off_is_refused(app):
    with pytest.raises(RuntimeError, match="WTF_CSRF_ENABLED"):
        start(app, WTF_CSRF_ENABLED=False)


def test_csrf_switched_off_from_the_environment_is_refused(app, monkeypatch):
    monkeypatch.setenv("FLASK_WTF_CSRF_ENABLED", "false")
    with pytest.raises(RuntimeError, match="WTF_CSRF_ENABLED"):
        start(app)


def test_development_and_testing_keep_their_own_keys(app):
    development = make_app(app.config["SQLALCHEMY_DATABASE_URI"], APP_ENV="development", SECRET_KEY=None)
    assert len(development.config["SECRET_KEY"]) == 64
    assert app.config["SECRET_KEY"] == TestingConfig.SECRET_KEY
