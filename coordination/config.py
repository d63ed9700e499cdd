"""Settings, read from the environment.

``APP_ENV`` chooses the profile: ``development`` (the default for the ``flask`` command),
``production`` (the default for ``wsgi.py``) or ``testing``. Any Flask or extension setting
can also be given as ``FLASK_<NAME>`` through ``app.config.from_prefixed_env()``.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from datetime import timedelta
from pathlib import Path

from coordination.core.enums import Role


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
    # hide_parameters: database errors (and the tracebacks logged for them) never quote the
    # values of a statement, which may be personal data (PIPL).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}

    # Sessions and cookies
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=int(os.environ.get("REMEMBER_DAYS", "14")))
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    # Server-side login sessions (table user_sessions): a session ends after this long without
    # a request, and this long after logging in whatever happens; "keep me logged in" sessions
    # last REMEMBER_COOKIE_DURATION instead. last_seen is written at most once per interval.
    SESSION_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "120")))
    SESSION_ABSOLUTE_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12")))
    SESSION_TOUCH_INTERVAL = timedelta(seconds=60)
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
    LOGIN_ATTEMPT_LIMIT = "120 per minute"
    # Login throttling, kept in the database (table login_attempts) so every worker shares it.
    # Per (account, address): LOGIN_FREE_FAILURES failures, then each further failure doubles
    # the wait from LOGIN_FIRST_DELAY up to LOGIN_MAX_DELAY. Per account across addresses:
    # beyond LOGIN_ACCOUNT_FAILURES failures in LOGIN_FAILURE_WINDOW every attempt waits a
    # growing delay of at most LOGIN_ACCOUNT_MAX_DELAY (slowed, never locked). Per address:
    # failures on more than LOGIN_ADDRESS_ACCOUNTS distinct accounts in the window stop
    # attempts on further accounts from it.
    LOGIN_THROTTLE_ENABLED = env_bool("LOGIN_THROTTLE_ENABLED", True)
    LOGIN_FREE_FAILURES = int(os.environ.get("LOGIN_FREE_FAILURES", "5"))
    LOGIN_FIRST_DELAY = timedelta(seconds=1)
    LOGIN_MAX_DELAY = timedelta(minutes=15)
    LOGIN_FAILURE_WINDOW = timedelta(hours=1)
    LOGIN_ACCOUNT_FAILURES = int(os.environ.get("LOGIN_ACCOUNT_FAILURES", "50"))
    LOGIN_ACCOUNT_MAX_DELAY = timedelta(seconds=30)
    LOGIN_ADDRESS_ACCOUNTS = int(os.environ.get("LOGIN_ADDRESS_ACCOUNTS", "20"))
    REGISTRATION_LIMIT = "20 per hour"

    # Cache of computed figures (the dashboards): a folder in the instance path shared by the
    # workers of one machine by default; Redis when REDIS_URL is set (several app servers).
    CACHE_TYPE = "RedisCache" if os.environ.get("REDIS_URL") else "FileSystemCache"
    CACHE_REDIS_URL = os.environ.get("REDIS_URL")
    CACHE_DIR: str | None = os.environ.get("CACHE_DIR")  # default: instance/cache
    CACHE_DEFAULT_TIMEOUT = 600
    CACHE_THRESHOLD = 2000
    DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "600"))
    # After a change the worker computes the dashboard's default charts again (refresh_jobs.py).
    DASHBOARD_REFRESH_JOBS = env_bool("DASHBOARD_REFRESH_JOBS", True)
    # Public pages and API lists for anonymous visitors, kept until the next committed write
    # (core/page_cache.py) and at most this long.
    PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))

    # Compression of text responses (static files compressed once and kept) for browsers that ask.
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_MIN_SIZE = 1024
    COMPRESS_MIMETYPES = ["text/html", "text/css", "text/javascript", "application/javascript",
                          "application/json", "image/svg+xml", "text/csv", "text/plain"]
    # Static files are served with their content hash in the URL and cached for a year.
    STATIC_MAX_AGE = 365 * 24 * 3600

    # API bearer tokens
    API_TOKEN_TTL = timedelta(days=int(os.environ.get("API_TOKEN_TTL_DAYS", "30")))
    # A token's last use is written at most this often (a reading request must not write).
    API_TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)

    # Passwords
    PASSWORD_MIN_LENGTH = 8

    # Second factor (TOTP). Roles that must use one (comma-separated role codes); the
    # secrets are encrypted with TOTP_ENCRYPTION_KEY (default: derived from SECRET_KEY).
    REQUIRE_2FA_ROLES = os.environ.get("REQUIRE_2FA_ROLES", "admin,staff")
    TOTP_ENCRYPTION_KEY = os.environ.get("TOTP_ENCRYPTION_KEY")
    TOTP_ISSUER = "金色纽带 Golden Ribbon"

    # E-mail notifications (sent only when MAIL_SERVER is set)
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "金色纽带 <noreply@localhost>")
    SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:5000")
    # A failed SMTP server delays mail, it does not drop it: the e-mail job is retried
    # MAIL_RETRIES times, the first after MAIL_RETRY_DELAY seconds, each wait twice the last.
    MAIL_RETRIES = int(os.environ.get("MAIL_RETRIES", "5"))
    MAIL_RETRY_DELAY = float(os.environ.get("MAIL_RETRY_DELAY", "30"))

    # Background jobs (Huey): Redis when REDIS_URL is set (production), otherwise an SQLite
    # file (JOBS_QUEUE_FILE, default instance/jobs.sqlite3). `flask worker` runs them.
    REDIS_URL = os.environ.get("REDIS_URL")
    JOBS_QUEUE_FILE = os.environ.get("JOBS_QUEUE_FILE")
    WORKER_THREADS = int(os.environ.get("WORKER_THREADS", "3"))
    WORKER_SHUTDOWN_TIMEOUT = float(os.environ.get("WORKER_SHUTDOWN_TIMEOUT", "30"))

    # Exports: up to EXPORT_DIRECT_MAX_ROWS rows are sent at once; larger ones are prepared
    # by the worker and kept EXPORT_KEEP_HOURS hours for the person who asked.
    EXPORT_DIRECT_MAX_ROWS = int(os.environ.get("EXPORT_DIRECT_MAX_ROWS", "5000"))
    EXPORT_KEEP_HOURS = float(os.environ.get("EXPORT_KEEP_HOURS", "24"))
    EXPORT_FOLDER: str | None = os.environ.get("EXPORT_FOLDER")  # default: instance/exports

    # Imports of offline needs: at most this many rows per file.
    IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "50000"))

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
    REQUIRE_2FA_ROLES = os.environ.get("REQUIRE_2FA_ROLES", "")  # the demo logs in without one
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"
    REQUIRE_2FA_ROLES = ""
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = True
    RATELIMIT_ENABLED = False
    PAGE_CACHE_ENABLED = False  # tests of the page cache switch it on (tests/core/test_page_cache.py)
    DASHBOARD_REFRESH_JOBS = False  # tests/dashboards/test_refresh_job.py switches it on
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"hide_parameters": True}
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
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A file has no connection to lose: pinging it costs a statement on every request.
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options.pop("pool_pre_ping", None)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options

    if app.config.get("CACHE_TYPE") == "FileSystemCache" and not app.config.get("CACHE_DIR"):
        app.config["CACHE_DIR"] = str(Path(app.instance_path) / "cache")
    if not app.config.get("CACHE_KEY_PREFIX"):
        # Two instances (or the test suite's two databases) on one machine never share entries.
        digest = hashlib.sha256(app.config["SQLALCHEMY_DATABASE_URI"].encode()).hexdigest()[:12]
        app.config["CACHE_KEY_PREFIX"] = f"gr-{digest}:"

    if not app.config.get("SECRET_KEY"):
        if app.config["ENV_NAME"] == "production":
            raise RuntimeError(
                "SECRET_KEY must be set in production (APP_ENV=production); "
                "generate one with: python -c 'import secrets; print(secrets.token_hex(32))'"
            )
        app.config["SECRET_KEY"] = _development_secret(Path(app.instance_path))
    _check_security_settings(app.config)
    if app.config["ENV_NAME"] == "production":
        check_production_settings(app.config, Path(app.instance_path))


def _check_security_settings(config) -> None:
    """Refuse to start with a second-factor setting that would fail at the first login."""
    roles = config.get("REQUIRE_2FA_ROLES") or ""
    if isinstance(roles, str):
        roles = [code.strip() for code in roles.split(",") if code.strip()]
    unknown = sorted(set(roles) - {role.value for role in Role})
    if unknown:
        raise RuntimeError(f"REQUIRE_2FA_ROLES names unknown roles: {', '.join(unknown)}")
    if config.get("TOTP_ENCRYPTION_KEY"):
        from cryptography.fernet import Fernet

        try:
            Fernet(config["TOTP_ENCRYPTION_KEY"])
        except ValueError as exc:
            raise RuntimeError("TOTP_ENCRYPTION_KEY must be a Fernet key (32 url-safe base64 bytes)") from exc


KEY_ADVICE = "generate one with: python -c 'import secrets; print(secrets.token_hex(32))'"
SECRET_KEY_MIN_LENGTH = 32
# Keys copied from examples, tutorials and our own profiles (compared lower-case, letters and
# digits only), and words that mark a placeholder wherever they appear in a key.
KNOWN_KEYS = {"changeme", "secret", "secretkey", "password", "dev", "development", "test", "testing",
              "default", "yoursecretkey", "mysecretkey", "supersecret", "supersecretkey", "flask",
              "x", "xxx", "key", "replaceme", TestingConfig.SECRET_KEY.replace("-", "")}
PLACEHOLDER_WORDS = ("changeme", "changethis", "replaceme", "replacethis", "yoursecret", "mysecret",
                     "notforproduction", "example", "placeholder", "insecure", "secretkey")


def weak_secret_key(key: str, instance: Path) -> str | None:
    """Why ``key`` may not sign production sessions, or None when it is strong enough."""
    plain = "".join(ch for ch in key.lower() if ch.isalnum())
    if plain in KNOWN_KEYS or any(word in plain for word in PLACEHOLDER_WORDS):
        return "it is a well-known placeholder"
    dev_key = instance / "dev-secret-key"
    if dev_key.exists() and dev_key.read_text().strip() == key:
        return "it is the development key kept in the instance folder"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"it is shorter than {SECRET_KEY_MIN_LENGTH} characters"
    if len(set(key)) < 10:
        return "it repeats too few different characters"
    return None


def check_production_settings(config, instance: Path) -> None:
    """Refuse to start production with a setting that gives the site away."""
    why = weak_secret_key(str(config["SECRET_KEY"]), instance)
    if why:
        raise RuntimeError(f"SECRET_KEY is too weak for production (APP_ENV=production): {why}; {KEY_ADVICE}")
    if env_bool("FLASK_DEBUG", False):
        raise RuntimeError("FLASK_DEBUG must be off in production (APP_ENV=production): "
                           "the debugger runs any code a visitor sends")
    if config.get("DEBUG"):
        raise RuntimeError("DEBUG must be off in production (APP_ENV=production): "
                           "the debugger runs any code a visitor sends")
    if not config.get("WTF_CSRF_ENABLED", True):
        raise RuntimeError("WTF_CSRF_ENABLED must stay on in production (APP_ENV=production): "
                           "without it any site can post forms in a logged-in user's name")


def _development_secret(instance: Path) -> str:
    """A random key kept in the instance folder, so sessions survive a restart."""
    key_file = instance / "dev-secret-key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key
