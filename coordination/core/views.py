"""The language and display switches, the audit log, the health check and the error pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from coordination.core import audit_labels
from coordination.core import display
from coordination.core.errors import NotFound
from coordination.core.forms import page_arg
from coordination.core.json_errors import api_error_response
from coordination.core.json_errors import wants_json
from coordination.core.models import AuditRecord
from coordination.core.permissions import can_view_audit_log
from coordination.core.permissions import permission_required
from coordination.core.transactions import writes_on_get
from coordination.extensions import db

bp = Blueprint("core", __name__, template_folder="templates")


def safe_next(target: str | None, fallback: str) -> str:
    """Only redirect to a path on this site."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


@bp.get("/lang/<code>")
@writes_on_get  # keeps the choice on the account too
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["locale"] = code
        if current_user.is_authenticated and current_user.locale != code:
            current_user.locale = code
            db.session.commit()
    return redirect(safe_next(request.args.get("next"), url_for("portal.home")))


@bp.get("/mode/elder", defaults={"mode": display.ELDER})
@bp.get("/mode/standard", defaults={"mode": display.STANDARD})
def set_display(mode: str):
    """The display for elders (长辈版) on or off, kept in a cookie; back to the page."""
    response = redirect(safe_next(request.args.get("next"), url_for("portal.home")))
    return display.remember(response, mode)


@bp.get("/audit")
@permission_required(can_view_audit_log)
def audit_log():
    page = page_arg()
    query = select(AuditRecord).order_by(AuditRecord.id.desc())
    object_type = request.args.get("object_type", "").strip()
    if object_type:
        query = query.where(AuditRecord.object_type == object_type)
    pagination = db.paginate(query, page=page, per_page=50, error_out=False)
    return render_template("core/audit.html", pagination=pagination, object_type=object_type,
                           labels=audit_labels)


@bp.get("/healthz")
def health():
    db.session.execute(select(1))
    return jsonify(status="ok")


def register_error_pages(app) -> None:
    from flask_limiter.errors import RateLimitExceeded
    from flask_wtf.csrf import CSRFError

    messages = {
        400: _l("The request could not be understood."),
        403: _l("You do not have permission to do this."),
        404: _l("The page you asked for does not exist."),
        405: _l("This action is not allowed here."),
        413: _l("What you sent is too large."),
        429: _l("Too many attempts. Please wait a few minutes and try again."),
        500: _l("Something went wrong on our side. Please try again later."),
        503: _l("The database cannot be reached for a moment. Please try again shortly."),
    }

    def render_error(code: int, message=None):
        if wants_json():
            return api_error_response(code)
        titles = {
            400: _("Bad request"), 403: _("Forbidden"), 404: _("Not found"),
            405: _("Not allowed"), 413: _("Too large"), 429: _("Too many requests"),
            500: _("Server error"), 503: _("Service unavailable"),
        }
        return (
            render_template(
                "core/error.html",
                code=code,
                title=titles.get(code, _("Error")),
                message=message or messages.get(code, _("Error")),
            ),
            code,
        )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        response = app.make_response(render_error(exc.code or 500))
        if exc.code == 405:  # RFC 9110: a 405 lists the methods the path takes
            response.headers.update({k: v for k, v in exc.get_headers() if k == "Allow"})
        return response

    @app.errorhandler(NotFound)
    def not_found(exc: NotFound):
        """An object that does not exist or is hidden from the reader (the domain's loaders)."""
        return render_error(404)

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return render_error(
            400,
            _("The form has expired or did not come from this site. "
              "Please go back, reload the page and try again."),
        )

    @app.errorhandler(RateLimitExceeded)
    def rate_limited(exc):
        return render_error(429)

    from sqlalchemy.exc import DataError

    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def out_of_range(exc):
        """A number too large for the database is bad input, not a server error."""
        db.session.rollback()
        if wants_json():
            return api_error_response(400, "invalid", _("A number is out of range."))
        return render_error(400, _("A number is out of range."))

    from sqlalchemy.exc import InterfaceError
    from sqlalchemy.exc import OperationalError

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(exc):
        """The database is down, restarting or locked past the busy timeout: a moment's outage
        (503 with Retry-After), not a server error. The log names the error class only: the
        statement's values may be personal data."""
        app.logger.warning("database unavailable: %s", type(getattr(exc, "orig", exc)).__name__)
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 - the connection is gone; nothing to roll back
            pass
        response = app.make_response(render_error(503))
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(Exception)
    def unexpected(exc):
        app.logger.exception("Unhandled error")
        db.session.rollback()
        return render_error(500)
