"""Web pages: log in, log out, register, notifications, change password (my page: portal/)."""

from __future__ import annotations

import time

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required
from flask_login import login_user
from flask_login import logout_user
from sqlalchemy import select

from coordination.accounts import operations
from coordination.accounts import second_factor
from coordination.accounts import throttle
from coordination.accounts.blueprint import bp
from coordination.accounts.forms import LoginForm
from coordination.accounts.forms import OtpForm
from coordination.accounts.forms import PasswordForm
from coordination.accounts.forms import RegisterForm
from coordination.accounts.models import User
from coordination.accounts.passwords import verify_password
from coordination.accounts.throttle import login_limits
from coordination.accounts.throttle import registration_limit
from coordination.core.errors import InvalidInput
from coordination.core.forms import page_arg
from coordination.core.forms import show_errors
from coordination.core.models import Notification
from coordination.core.notifications import inbox
from coordination.core.notifications import mark_read
from coordination.core.transactions import committed
from coordination.core.transactions import writes_on_get
from coordination.core.views import safe_next
from coordination.extensions import db
from coordination.places.enums import PlaceKind
from coordination.places.models import Place

PENDING_LOGIN_SECONDS = 300  # time to type the code after the password


def _fresh_session() -> None:
    """A new Flask session at login (no fixation); only the chosen language survives."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def finish_login(user, *, remember: bool, next_url: str | None):
    """Every check passed: start the server-side session, commit, go on."""
    _fresh_session()
    operations.log_in(user, remember=remember)
    login_user(user, remember=remember)
    db.session.commit()
    flash(_("Welcome back, %(name)s.", name=user.display_name), "success")
    if second_factor.is_required(user) and not second_factor.is_enabled(user):
        flash(_("Your role must use a second factor: set it up now."), "warning")
        return redirect(url_for("accounts.two_factor"))
    return redirect(safe_next(next_url, url_for("portal.me")))


def throttled_page(template: str, form, exc: throttle.Throttled, **context):
    db.session.commit()  # keep the attempt records
    form.form_errors.append(exc.message)
    return render_template(template, form=form, **context), 429, exc.headers


@bp.route("/login", methods=["GET", "POST"])
@login_limits
def login():
    if current_user.is_authenticated:
        return redirect(url_for("portal.home"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form), 400 if request.method == "POST" else 200
    try:
        throttle.check(form.username.data)
    except throttle.Throttled as exc:
        return throttled_page("accounts/login.html", form, exc)
    user = operations.authenticate(form.username.data, form.password.data)
    if user is None:
        throttle.failed(form.username.data)
        db.session.commit()  # the failure counts although the answer is an error
        form.password.errors.append(_("The username or password is wrong."))
        return render_template("accounts/login.html", form=form), 401
    if second_factor.is_enabled(user):
        db.session.rollback()  # nothing is recorded until the code is right
        _fresh_session()
        session["pending_login"] = {"user_id": user.id, "username": user.username,
                                    "remember": bool(form.remember.data), "at": int(time.time()),
                                    "next": request.args.get("next")}
        return redirect(url_for("accounts.login_code"))
    throttle.succeeded(user.username)
    return finish_login(user, remember=bool(form.remember.data), next_url=request.args.get("next"))


@bp.route("/login/code", methods=["GET", "POST"])
@login_limits
def login_code():
    """The second step of logging in: a code from the app, or a recovery code."""
    if current_user.is_authenticated:
        return redirect(url_for("portal.home"))
    pending = session.get("pending_login")
    if not pending or int(time.time()) - int(pending.get("at", 0)) > PENDING_LOGIN_SECONDS:
        session.pop("pending_login", None)
        flash(_("Log in again: the code was not entered in time."), "warning")
        return redirect(url_for("accounts.login"))
    form = OtpForm()
    if not form.validate_on_submit():
        return render_template("accounts/login_code.html", form=form), 400 if request.method == "POST" else 200
    try:
        throttle.check(pending["username"])
    except throttle.Throttled as exc:
        return throttled_page("accounts/login_code.html", form, exc)
    user = db.session.get(User, pending["user_id"])
    if user is None or not user.active or not second_factor.verify(user, form.otp.data):
        throttle.failed(pending["username"])
        db.session.commit()
        form.otp.errors.append(_("The code is wrong or has already been used."))
        return render_template("accounts/login_code.html", form=form), 401
    throttle.succeeded(user.username)
    return finish_login(user, remember=bool(pending.get("remember")), next_url=pending.get("next"))


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        operations.log_out(current_user)
        db.session.commit()
        logout_user()
    _fresh_session()
    flash(_("You have logged out."), "info")
    return redirect(url_for("portal.home"))


def _place_choices() -> list:
    """Communities and buildings; ``data-kind`` lets the page offer the ones that fit the role."""
    places = db.session.scalars(
        select(Place)
        .where(Place.kind.in_([PlaceKind.COMMUNITY, PlaceKind.BUILDING]), Place.active)
        .order_by(Place.kind.desc(), Place.area_id, Place.name)
    ).all()
    choices = [("", _("— choose —"), {})]
    for place in places:
        prefix = _("Community") if place.kind == PlaceKind.COMMUNITY else _("Building")
        choices.append((str(place.id), f"{prefix} · {place.name}", {"data-kind": place.kind.value}))
    return choices


@bp.route("/register", methods=["GET", "POST"])
@registration_limit
def register():
    if current_user.is_authenticated:
        return redirect(url_for("portal.me"))
    form = RegisterForm()
    form.place_id.choices = _place_choices()
    status = 200
    if form.validate_on_submit():
        try:
            user = operations.register(
                username=form.username.data,
                password=form.password.data,
                display_name=form.display_name.data,
                role=form.role.data,
                place_id=form.place_id.data,
                phone=form.phone.data,
                email=form.email.data,
            )
        except InvalidInput as exc:
            db.session.rollback()
            show_errors(form, exc)
            status = 400
        else:
            _fresh_session()
            operations.log_in(user)
            db.session.commit()
            login_user(user)
            flash(_("Welcome, %(name)s. Your account is ready.", name=user.display_name), "success")
            return redirect(url_for("portal.me"))
    elif request.method == "POST":
        status = 400
    return render_template("accounts/register.html", form=form), status


@bp.get("/notifications")
@login_required
def notifications():
    page = page_arg()
    pagination = db.paginate(inbox(current_user), page=page, per_page=30, error_out=False)
    return render_template("accounts/notifications.html", pagination=pagination)


@bp.get("/notifications/<int:notification_id>")
@writes_on_get  # a notification's link marks it read
@login_required
def open_notification(notification_id: int):
    item = db.session.get(Notification, notification_id)
    if item is None or item.user_id != current_user.id:
        abort(404)
    mark_read(current_user, item.id)
    db.session.commit()
    return redirect(safe_next(item.link, url_for("accounts.notifications")))


@bp.post("/notifications/read")
@login_required
def read_all_notifications():
    mark_read(current_user)
    db.session.commit()
    flash(_("All notifications are marked as read."), "info")
    return redirect(url_for("accounts.notifications"))


@bp.route("/me/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current.data):
            form.current.errors.append(_("The current password is wrong."))
        else:
            try:
                with committed():
                    operations.set_password(current_user, current_user, form.password.data)
            except InvalidInput as exc:
                form.password.errors.append(exc.fields["password"])
            else:
                flash(_("Your password has been changed."), "success")
                return redirect(url_for("portal.me"))
    return render_template("accounts/password.html", form=form), 400 if form.errors else 200
