"""Settings, read from the environment.

``APP_ENV`` chooses the profile: ``development`` (the default for the ``flask`` command),
``production`` (the default for ``wsgi.py``) or ``testing``. Any Flask or extension setting
can also be given as ``FLASK_<NAME>`` through ``app.config.from_prefixed_env()``.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for every PostgreSQL URL, whatever scheme it was given with."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    """Production defaults: secure cookies, a secret key from the environment."""

    ENV_NAME = "production"
    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI: str | None = None  # filled in by load_config
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    # Sessions and cookies
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    # Request size: photos and spreadsheets are the largest bodies we accept.
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 1024 * 1024

    # Behind a reverse proxy: how many proxies set X-Forwarded-* headers (0 = none).
    PROXY_FIX_X_FOR = int(os.environ.get("PROXY_FIX_X_FOR", "0"))
    PROXY_FIX_X_PROTO = int(os.environ.get("PROXY_FIX_X_PROTO", "0"))
    FORCE_HTTPS = env_bool("FORCE_HTTPS", False)

    # Languages
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = {"zh_CN": "简体中文", "en": "English"}

    # Bootstrap assets come from the installed package, never a CDN.
    BOOTSTRAP_SERVE_LOCAL = True

    # Rate limits (Flask-Limiter). Use a shared store (e.g. redis://) with several workers.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_DEFAULT = "600 per minute"
    LOGIN_FAILURE_LIMIT = "10 per 10 minutes"
    LOGIN_ATTEMPT_LIMIT = "120 per minute"
    REGISTRATION_LIMIT = "20 per hour"

    # API bearer tokens
    API_TOKEN_TTL = timedelta(days=int(os.environ.get("API_TOKEN_TTL_DAYS", "30")))
    # A token's last use is written at most this often (a reading request must not write).
    API_TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)

    # Passwords
    PASSWORD_MIN_LENGTH = 8

    # E-mail notifications (sent only when MAIL_SERVER is set)
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "金色纽带 <noreply@localhost>")
    SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:5000")

    # Uploads (need photos): where they are kept, and how large one may be.
    UPLOAD_FOLDER: str | None = os.environ.get("UPLOAD_FOLDER")  # default: instance/uploads
    PHOTO_MAX_BYTES = 5 * 1024 * 1024
    PHOTO_MAX_COUNT = 6

    # Council resolution: share of the active council whose approvals resolve a project.
    COUNCIL_THRESHOLD = float(os.environ.get("COUNCIL_THRESHOLD", "0.5"))

    # Evaluation: composite score = SATISFACTION_WEIGHT × satisfaction (0–100)
    #                              + INDICATOR_WEIGHT × indicator score (0–100)
    SATISFACTION_WEIGHT = float(os.environ.get("SATISFACTION_WEIGHT", "0.6"))
    INDICATOR_WEIGHT = float(os.environ.get("INDICATOR_WEIGHT", "0.4"))
    SELECTION_MAX_CHOICES = int(os.environ.get("SELECTION_MAX_CHOICES", "3"))

    TESTING = False
    DEBUG = False


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = True
    RATELIMIT_ENABLED = False
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # Cheap argon2id parameters: the suite hashes hundreds of passwords.
    ARGON2_PARAMS = {"time_cost": 1, "memory_cost": 8192, "parallelism": 1}


PROFILES = {
    "production": Config,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}


def load_config(app, config=None) -> None:
    """Fill ``app.config`` from a profile, the environment and an optional mapping."""
    profile_name = os.environ.get("APP_ENV", "development")
    if isinstance(config, dict) and "APP_ENV" in config:
        profile_name = config["APP_ENV"]
    profile = PROFILES.get(profile_name)
    if profile is None:
        raise RuntimeError(f"APP_ENV must be one of {sorted(PROFILES)}, not {profile_name!r}")
    app.config.from_object(profile)
    app.config.from_prefixed_env()
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        db_file = Path(app.instance_path) / "golden-ribbon.sqlite3"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_file}"
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )

    if not app.config.get("SECRET_KEY"):
        if app.config["ENV_NAME"] == "production":
            raise RuntimeError(
                "SECRET_KEY must be set in production (APP_ENV=production); "
                "generate one with: python -c 'import secrets; print(secrets.token_hex(32))'"
            )
        app.config["SECRET_KEY"] = _development_secret(Path(app.instance_path))


def _development_secret(instance: Path) -> str:
    """A random key kept in the instance folder, so sessions survive a restart."""
    key_file = instance / "dev-secret-key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key
