"""Web pages of account security: the second factor and the person's login sessions."""

from __future__ import annotations

from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_login import login_required

from coordination.accounts import operations
from coordination.accounts import second_factor
from coordination.accounts import sessions
from coordination.accounts.blueprint import bp
from coordination.accounts.forms import OtpForm
from coordination.accounts.forms import TwoFactorDisableForm
from coordination.core.errors import DomainError
from coordination.core.errors import InvalidInput
from coordination.core.forms import error_text
from coordination.core.forms import require_csrf
from coordination.core.forms import show_errors
from coordination.core.qr import qr_data_uri
from coordination.core.transactions import committed
from coordination.extensions import db

# Pages a person who must set up a second factor may still open before doing so.
ENROLMENT_ENDPOINTS = {"accounts.two_factor", "accounts.two_factor_start", "accounts.two_factor_confirm",
                       "accounts.logout", "core.set_language", "core.health", "static", "bootstrap.static"}


@bp.before_app_request
def require_second_factor():
    """Roles listed in ``REQUIRE_2FA_ROLES`` set up a second factor before anything else."""
    if request.blueprint == "api" or request.endpoint in ENROLMENT_ENDPOINTS or request.endpoint is None:
        return None
    if request.endpoint.endswith(".static") or request.endpoint.startswith("core.mode"):
        return None
    if not current_user.is_authenticated or not second_factor.is_required(current_user):
        return None
    if second_factor.is_enabled(current_user):
        return None
    flash(_("Your role must use a second factor: set it up now."), "warning")
    return redirect(url_for("accounts.two_factor"))


@bp.app_template_global("security_overview")
def security_overview(user) -> dict:
    """What the security part of /me shows."""
    return {
        "two_factor": second_factor.is_enabled(user),
        "required": second_factor.is_required(user),
        "recovery_left": second_factor.remaining_recovery_codes(user),
        "sessions": sessions.active_sessions(user),
        "current": sessions.current_session(),
    }


@bp.get("/me/2fa")
@login_required
def two_factor():
    enabled = second_factor.is_enabled(current_user)
    secret = None if enabled else second_factor.pending_secret(current_user)
    context = {"enabled": enabled, "secret": secret, "confirm_form": OtpForm(),
               "disable_form": TwoFactorDisableForm(),
               "recovery_left": second_factor.remaining_recovery_codes(current_user) if enabled else 0}
    if secret:
        uri = second_factor.provisioning_uri(current_user, secret)
        context.update(otpauth_uri=uri, qr=qr_data_uri(uri))
    return render_template("accounts/two_factor.html", **context)


@bp.post("/me/2fa/start")
@login_required
def two_factor_start():
    require_csrf()
    try:
        with committed():
            second_factor.begin_enrolment(current_user)
    except DomainError as exc:
        flash(error_text(exc), "danger")
    return redirect(url_for("accounts.two_factor"))


@bp.post("/me/2fa/confirm")
@login_required
def two_factor_confirm():
    form = OtpForm()
    if form.validate_on_submit():
        try:
            with committed():
                codes = second_factor.confirm_enrolment(current_user, form.otp.data)
        except DomainError as exc:
            flash(error_text(exc), "danger")
        else:
            flash(_("The second factor is on. From now on you log in with a code from your app."), "success")
            response = render_template("accounts/recovery_codes.html", codes=codes)
            return response, 200, {"Cache-Control": "no-store"}
    else:
        flash(_("Enter the code from your authenticator app."), "danger")
    return redirect(url_for("accounts.two_factor")), 303


@bp.post("/me/2fa/disable")
@login_required
def two_factor_disable():
    form = TwoFactorDisableForm()
    if form.validate_on_submit():
        try:
            with committed():
                second_factor.disable(current_user, form.password.data, form.otp.data)
        except InvalidInput as exc:
            show_errors(form, exc)
        else:
            flash(_("The second factor is off."), "info")
            return redirect(url_for("portal.me"))
    return render_template("accounts/two_factor.html", enabled=True, secret=None, confirm_form=OtpForm(),
                           disable_form=form,
                           recovery_left=second_factor.remaining_recovery_codes(current_user)), 400


@bp.post("/me/sessions/others")
@login_required
def end_other_sessions():
    require_csrf()
    ended = operations.end_other_sessions(current_user)
    db.session.commit()
    flash(ngettext("Signed out of %(num)d other session.", "Signed out of %(num)d other sessions.", ended), "info")
    return redirect(url_for("portal.me"))
