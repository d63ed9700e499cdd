"""Web pages: log in, log out, register, my page, change password."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from coordination.accounts import operations
from coordination.accounts.forms import LoginForm, PasswordForm, RegisterForm
from coordination.accounts.passwords import verify_password
from coordination.accounts.throttle import login_limits, mark_failed_login, registration_limit
from coordination.core import audit
from coordination.core.enums import PlaceKind
from coordination.core.forms import page_arg, show_errors
from coordination.core.errors import InvalidInput
from coordination.core.transactions import writes_on_get
from coordination.core.views import safe_next
from coordination.extensions import db
from coordination.places.models import Place

bp = Blueprint("accounts", __name__, template_folder="templates")


@bp.route("/login", methods=["GET", "POST"])
@login_limits
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = operations.authenticate(form.username.data, form.password.data)
        if user is None:
            mark_failed_login()
            form.password.errors.append(_("The username or password is wrong."))
        else:
            locale = session.get("locale")
            session.clear()
            if locale:
                session["locale"] = locale
            login_user(user, remember=form.remember.data)
            audit.record(user, "user.login", user)
            db.session.commit()
            flash(_("Welcome back, %(name)s.", name=user.display_name), "success")
            return redirect(safe_next(request.args.get("next"), url_for("accounts.me")))
    status = 200
    if request.method == "POST":
        status = 401 if g.get("login_failed") else 400
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        logout_user()
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    flash(_("You have logged out."), "info")
    return redirect(url_for("core.home"))


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
        return redirect(url_for("accounts.me"))
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
            db.session.commit()
            login_user(user)
            flash(_("Welcome, %(name)s. Your account is ready.", name=user.display_name), "success")
            return redirect(url_for("accounts.me"))
    elif request.method == "POST":
        status = 400
    return render_template("accounts/register.html", form=form), status


@bp.get("/me")
@login_required
def me():
    from coordination.core.models import Notification
    from coordination.core.notifications import unread_count
    from coordination.needs import queries as need_queries

    notifications = db.session.scalars(
        select(Notification).where(Notification.user_id == current_user.id)
        .order_by(Notification.id.desc()).limit(10)).all()
    return render_template(
        "accounts/me.html", user=current_user, my_needs=need_queries.my_needs(current_user),
        my_supported=need_queries.my_supported(current_user), notifications=notifications,
        unread=unread_count(current_user))


@bp.get("/notifications")
@login_required
def notifications():
    from coordination.core.models import Notification

    page = page_arg()
    pagination = db.paginate(select(Notification).where(Notification.user_id == current_user.id)
                             .order_by(Notification.id.desc()), page=page, per_page=30, error_out=False)
    return render_template("accounts/notifications.html", pagination=pagination)


@bp.get("/notifications/<int:notification_id>")
@writes_on_get  # a notification's link marks it read
@login_required
def open_notification(notification_id: int):
    from coordination.core.models import Notification
    from coordination.core.notifications import mark_read

    item = db.session.get(Notification, notification_id)
    if item is None or item.user_id != current_user.id:
        abort(404)
    mark_read(current_user, item.id)
    db.session.commit()
    return redirect(safe_next(item.link, url_for("accounts.notifications")))


@bp.post("/notifications/read")
@login_required
def read_all_notifications():
    from coordination.core.notifications import mark_read

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
                operations.set_password(current_user, current_user, form.password.data)
            except InvalidInput as exc:
                db.session.rollback()
                form.password.errors.append(exc.fields["password"])
            else:
                db.session.commit()
                flash(_("Your password has been changed."), "success")
                return redirect(url_for("accounts.me"))
    return render_template("accounts/password.html", form=form)
