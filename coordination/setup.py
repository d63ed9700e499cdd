"""The ``register_*`` steps of the application factory."""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import re
from functools import lru_cache

import brotli
from flask import Flask
from flask import request
from flask_login import current_user
from sqlalchemy import event
from werkzeug.exceptions import NotFound
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter
from werkzeug.routing import ValidationError
from werkzeug.security import safe_join

# Modules imported for what they declare when they load:
import coordination.accounts.security_views  # noqa: F401  (routes of the domains' blueprints)
import coordination.accounts.views  # noqa: F401
import coordination.core.mail  # noqa: F401  (background tasks: notification e-mail)
import coordination.core.planner  # noqa: F401  (the planner's statistics kept current)
import coordination.dashboards.export_jobs  # noqa: F401  (large exports)
import coordination.dashboards.refresh_jobs  # noqa: F401  (the dashboard recomputed after changes)
import coordination.evaluation.figures  # noqa: F401  (the maintained figures: core/counters.py)
import coordination.evaluation.integrity  # noqa: F401  (what 'audit verify' checks besides the chains)
import coordination.evaluation.notifications  # noqa: F401  (notification texts)
import coordination.evaluation.views  # noqa: F401
import coordination.models  # noqa: F401  (every model, for metadata and Alembic)
import coordination.needs.figures  # noqa: F401
import coordination.needs.notifications  # noqa: F401
import coordination.needs.views  # noqa: F401
import coordination.places.views  # noqa: F401
import coordination.pledges.figures  # noqa: F401
import coordination.pledges.notifications  # noqa: F401
import coordination.pledges.views  # noqa: F401
import coordination.portal.posters  # noqa: F401
import coordination.portal.views  # noqa: F401
import coordination.privacy.sections  # noqa: F401  (the sections of the personal-data export)
import coordination.projects.figures  # noqa: F401
import coordination.projects.integrity  # noqa: F401
import coordination.projects.notifications  # noqa: F401
import coordination.projects.receivers  # noqa: F401  (what the need and unit pages show of projects)
import coordination.projects.views  # noqa: F401
import coordination.volunteers.figures  # noqa: F401
import coordination.volunteers.notifications  # noqa: F401
import coordination.volunteers.receivers  # noqa: F401  (the project's volunteer panel, the unit's hours)
import coordination.volunteers.views  # noqa: F401
from coordination import cli
from coordination.accounts.blueprint import bp as accounts_bp
from coordination.accounts.sessions import load_session_user
from coordination.admin.views import bp as admin_bp
from coordination.api import bp as api_bp
from coordination.core import i18n
from coordination.core import page_cache
from coordination.core import template_helpers
from coordination.core.jobs import jobs
from coordination.core.jobs import writing_job
from coordination.core.json import SafeJSONProvider
from coordination.core.json import SafeRequest
from coordination.core.transactions import SQLITE_BUSY_TIMEOUT_MS
from coordination.core.transactions import request_writes
from coordination.core.views import bp as core_bp
from coordination.core.views import register_error_pages
from coordination.dashboards import cache as dashboard_cache
from coordination.dashboards.views import bp as dashboards_bp
from coordination.evaluation.blueprint import bp as evaluation_bp
from coordination.extensions import babel
from coordination.extensions import bootstrap
from coordination.extensions import cache
from coordination.extensions import compress
from coordination.extensions import csrf
from coordination.extensions import db
from coordination.extensions import limiter
from coordination.extensions import login_manager
from coordination.extensions import migrate
from coordination.extensions import talisman
from coordination.needs.blueprint import bp as needs_bp
from coordination.places.blueprint import bp as places_bp
from coordination.pledges.blueprint import bp as pledges_bp
from coordination.portal.blueprint import bp as portal_bp
from coordination.privacy.views import bp as privacy_bp
from coordination.projects.blueprint import bp as projects_bp
from coordination.volunteers.blueprint import bp as volunteers_bp


def register_json(app: Flask) -> None:
    """Every JSON body is read with a depth limit, without NUL characters or infinite numbers."""
    app.json_provider_class = SafeJSONProvider
    app.json = SafeJSONProvider(app)
    app.request_class = SafeRequest


def register_proxy_fix(app: Flask) -> None:
    x_for, x_proto = app.config["PROXY_FIX_X_FOR"], app.config["PROXY_FIX_X_PROTO"]
    if x_for or x_proto:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=x_for, x_proto=x_proto)


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so that
    # savepoints and transactional DDL work (SQLAlchemy's documented pysqlite recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn) -> None:
    """Requests that change data take SQLite's write lock at the start of their transaction
    (BEGIN IMMEDIATE), so concurrent writers queue up instead of failing on a stale snapshot;
    reads run side by side and never write (see ``core/transactions.py``)."""
    writing = (request_writes() or conn.get_execution_options().get("gr_writer", False)
               or writing_job.get())
    conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def register_database(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True,
                     compare_type=True)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite" and not getattr(engine, "_gr_pragmas", False):
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
            engine._gr_pragmas = True


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"


def register_extensions(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"

    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Please log in to see this page.")

    @login_manager.user_loader
    def load_user(session_id: str):
        return load_session_user(session_id)

    csrf.init_app(app)
    bootstrap.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)
    compress.init_app(app)

    dashboard_cache.init_app(app)


def register_i18n(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories="translations",
    )
    # The templates' gettext looks the request's catalogue up once (core/i18n.py).
    i18n.install(app.jinja_env)


CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": ["'self'", "data:"],
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


class _NoQueryStrings(logging.Filter):
    """The development server's access log keeps the path, not the query string, which may
    carry personal data (a search for a name or a phone number)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and isinstance(record.args, tuple) and isinstance(record.args[0], str):
            record.args = (_QUERY_RE.sub(r"\1", record.args[0]),) + record.args[1:]
        return True


_QUERY_RE = re.compile(r"^(\S+ [^?\s]*)\?\S*")


def register_security(app: Flask) -> None:
    werkzeug_log = logging.getLogger("werkzeug")
    if not any(isinstance(f, _NoQueryStrings) for f in werkzeug_log.filters):
        werkzeug_log.addFilter(_NoQueryStrings())
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
        content_security_policy=CSP,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        permissions_policy={"geolocation": "()", "microphone": "()", "camera": "()"},
    )

    @app.after_request
    def extra_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if may_hold_personal_data(response):
            response.headers["Cache-Control"] = "no-store"
        return response


FINGERPRINTED = {"static", "bootstrap.static"}


def _static_folder(app: Flask, endpoint: str) -> str | None:
    if endpoint == "static":
        return app.static_folder
    blueprint = app.blueprints.get(endpoint.rpartition(".")[0])
    return blueprint.static_folder if blueprint else None


@lru_cache(maxsize=512)
def _fingerprint(folder: str, filename: str) -> str | None:
    path = safe_join(folder, filename)
    if path is None or not os.path.isfile(path):
        return None
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:12]


def register_static(app: Flask) -> None:
    """Static files are addressed by their content (``?v=<hash>``) and cached for a year, so a
    browser downloads each version once; text responses are compressed for browsers that ask."""

    @app.url_defaults
    def add_fingerprint(endpoint: str, values: dict) -> None:
        if endpoint in FINGERPRINTED and "filename" in values and "v" not in values:
            folder = _static_folder(app, endpoint)
            version = _fingerprint(folder, values["filename"]) if folder else None
            if version:
                values["v"] = version

    @app.after_request
    def cache_fingerprinted(response):
        if request.endpoint in FINGERPRINTED and request.args.get("v") and response.status_code == 200:
            response.headers["Cache-Control"] = f"public, max-age={app.config['STATIC_MAX_AGE']}, immutable"
            _compress_static(response, _static_folder(app, request.endpoint), request.view_args["filename"])
        return response


def _compress_static(response, folder: str | None, filename: str) -> None:
    """Send a text file compressed (brotli or gzip, as the browser accepts), compressing each file
    once per worker rather than on every request."""
    accepted = request.accept_encodings
    algorithm = "br" if accepted["br"] else "gzip" if accepted["gzip"] else None
    if algorithm is None or folder is None or response.mimetype not in COMPRESSIBLE:
        return
    response.headers.add("Vary", "Accept-Encoding")
    body = _compressed_file(folder, filename, _fingerprint(folder, filename), algorithm)
    response.direct_passthrough = False
    response.set_data(body)
    response.headers["Content-Encoding"] = algorithm


COMPRESSIBLE = {"text/css", "text/javascript", "application/javascript", "image/svg+xml", "application/json"}


@lru_cache(maxsize=64)
def _compressed_file(folder: str, filename: str, version: str | None, algorithm: str) -> bytes:
    with open(safe_join(folder, filename), "rb") as handle:
        data = handle.read()
    if algorithm == "br":
        return brotli.compress(data, quality=9)
    return gzip.compress(data, compresslevel=9, mtime=0)


def may_hold_personal_data(response) -> bool:
    """The one rule for ``Cache-Control: no-store`` (PIPL): nothing personal is kept by a
    browser's cache or a proxy. That is every API answer, every page for a logged-in person
    (``/me``, ``/me/data``, staff pages with contact data, exports, need pages for staff…), and
    every answer to a form submission (it may echo what was typed). Static assets and files
    that declare themselves public are cached as usual."""
    endpoint = request.endpoint or ""
    if endpoint == "static" or endpoint.endswith(".static"):
        return False
    if "public" in response.headers.get("Cache-Control", ""):
        return False
    if request.blueprint == "api" or request.path.startswith("/api/"):
        return True
    if request.method not in ("GET", "HEAD"):
        return True
    return bool(current_user and getattr(current_user, "is_authenticated", False))


class IdConverter(IntegerConverter):
    """``<int:…>`` in routes: ids beyond what the databases hold simply do not exist (404).

    The converter answers 404 itself: a plain ``ValidationError`` would make the router try the
    path's other rules and answer 405 when another method is declared on the same path.
    """

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str):
        try:
            return super().to_python(value)
        except ValidationError:
            raise NotFound() from None


def register_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter
    for blueprint in (core_bp, accounts_bp, places_bp, needs_bp, projects_bp, volunteers_bp, pledges_bp,
                      evaluation_bp, dashboards_bp, portal_bp, admin_bp, privacy_bp):
        app.register_blueprint(blueprint)
    csrf.exempt(api_bp)
    app.register_blueprint(api_bp)


def register_jobs(app: Flask) -> None:
    """Bind every background task to this app's queue (Huey; see core/jobs.py)."""
    jobs.init_app(app)


def register_error_handlers(app: Flask) -> None:
    register_error_pages(app)


def register_template_helpers(app: Flask) -> None:
    template_helpers.init_app(app)


def register_page_cache(app: Flask) -> None:
    """Anonymous GETs of public pages and API lists served from the cache (core/page_cache.py);
    registered last so that it stores the view's own answer, before the per-request headers."""
    page_cache.init_app(app)


def register_commands(app: Flask) -> None:
    cli.register(app)
