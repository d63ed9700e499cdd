"""The ``register_*`` steps of the application factory."""

from __future__ import annotations

from flask import Flask, has_request_context, request, session
from flask_login import current_user
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from coordination.core.transactions import SQLITE_BUSY_TIMEOUT_MS, request_writes
from coordination.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate, talisman


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
    writing = request_writes() or conn.get_execution_options().get("gr_writer", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def register_database(app: Flask) -> None:
    import coordination.models  # noqa: F401  (every model, for metadata and Alembic)

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
    from coordination.accounts.models import User

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"

    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Please log in to see this page.")

    @login_manager.user_loader
    def load_user(session_id: str):
        import hmac

        user_id, _sep, fingerprint = str(session_id).partition(".")
        if not user_id.isascii() or not user_id.isdigit() or len(user_id) > 10:
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.active or not hmac.compare_digest(fingerprint, user.session_fingerprint):
            return None
        return user

    csrf.init_app(app)
    bootstrap.init_app(app)
    limiter.init_app(app)


def select_locale() -> str:
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if request.path.startswith("/api/"):
        # The mobile app says which language it wants with Accept-Language.
        best = request.accept_languages.best_match(["zh-CN", "zh", "en"])
        return "en" if best == "en" else "zh_CN"
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def register_i18n(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories="translations",
    )


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


def register_security(app: Flask) -> None:
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
        if request.blueprint == "api" or request.path.startswith("/api/"):
            response.headers["Cache-Control"] = "no-store"
        elif current_user and getattr(current_user, "is_authenticated", False):
            response.headers.setdefault("Cache-Control", "private, no-cache")
        return response


class IdConverter(IntegerConverter):
    """``<int:…>`` in routes: ids beyond what the databases hold simply do not exist (404)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def register_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter
    from coordination.accounts.views import bp as accounts_bp
    from coordination.admin.views import bp as admin_bp
    from coordination.api import bp as api_bp
    from coordination.core.views import bp as core_bp
    from coordination.dashboards.views import bp as dashboards_bp
    import coordination.evaluation.notifications  # noqa: F401  (notification texts)
    import coordination.needs.notifications  # noqa: F401
    import coordination.needs.views  # noqa: F401  (routes of the needs blueprint)
    import coordination.projects.notifications  # noqa: F401
    import coordination.projects.views  # noqa: F401
    import coordination.evaluation.views  # noqa: F401
    from coordination.evaluation.blueprint import bp as evaluation_bp
    from coordination.needs.blueprint import bp as needs_bp
    from coordination.places.views import bp as places_bp
    from coordination.projects.blueprint import bp as projects_bp

    for blueprint in (core_bp, accounts_bp, places_bp, needs_bp, projects_bp, evaluation_bp, dashboards_bp,
                      admin_bp):
        app.register_blueprint(blueprint)
    csrf.exempt(api_bp)
    app.register_blueprint(api_bp)


def register_error_handlers(app: Flask) -> None:
    from coordination.core.views import register_error_pages

    register_error_pages(app)


def register_template_helpers(app: Flask) -> None:
    from coordination.core import template_helpers

    template_helpers.init_app(app)


def register_commands(app: Flask) -> None:
    from coordination.cli import register

    register(app)
