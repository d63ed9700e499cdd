"""Administration pages: reference data (generic) and users with their roles."""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.accounts import operations as accounts
from coordination.accounts import permissions as account_permissions
from coordination.accounts.forms import UserForm
from coordination.accounts.models import User
from coordination.accounts.models import UserRole
from coordination.admin.sections import SECTIONS
from coordination.core.enums import Role
from coordination.core.errors import InvalidInput
from coordination.core.forms import page_arg
from coordination.core.forms import show_errors
from coordination.core.permissions import can_manage_platform
from coordination.core.permissions import permission_required
from coordination.core.transactions import committed
from coordination.evaluation.models import Indicator
from coordination.extensions import db
from coordination.extensions import login_manager

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


@bp.before_request
def only_admins():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not can_manage_platform(current_user):
        abort(403)


@bp.get("/")
def index():
    sections = {key: s for key, s in SECTIONS.items() if s.may_manage(current_user)}
    counts = {key: db.session.scalar(select(func.count()).select_from(s.model)) for key, s in sections.items()}
    counts["users"] = db.session.scalar(select(func.count()).select_from(User))
    return render_template("admin/index.html", sections=sections, counts=counts,
                           permissions=account_permissions)


def _section(key: str):
    """The section named ``key`` (404) that the administrator may manage (403)."""
    section = SECTIONS.get(key)
    if section is None:
        abort(404)
    if not section.may_manage(current_user):
        abort(403)
    return section


@bp.get("/<key>/")
def list_items(key: str):
    section = _section(key)
    items = db.session.scalars(section.query()).all()
    weights = None
    if section.model is Indicator:
        weights = dict(db.session.execute(
            select(Indicator.dimension, func.sum(Indicator.weight)).where(Indicator.active)
            .group_by(Indicator.dimension)).all())
    return render_template("admin/list.html", section=section, items=items, weights=weights)


@bp.route("/<key>/new", methods=["GET", "POST"])
@bp.route("/<key>/<int:item_id>/edit", methods=["GET", "POST"])
def edit_item(key: str, item_id: int | None = None):
    section = _section(key)
    obj = None
    if item_id is not None:
        obj = db.session.get(section.model, item_id)
        if obj is None:
            abort(404)
    form = section.form(obj=obj)
    form.prepare()
    status = 200
    if form.validate_on_submit():
        try:
            with committed():
                saved = section.save(current_user, section, obj, form)
        except InvalidInput as exc:
            show_errors(form, exc)
            status = 400
        else:
            flash(_("Saved: %(name)s", name=str(saved)), "success")
            return redirect(url_for("admin.list_items", key=key))
    elif request.method == "POST":
        status = 400
    return render_template("admin/form.html", section=section, form=form, obj=obj), status


# ------------------------------------------------------------------------------ users

@bp.get("/users/")
@permission_required(account_permissions.can_manage_users)
def users():
    q = request.args.get("q", "").strip()
    role = request.args.get("role", "")
    page = page_arg()
    query = select(User).options(selectinload(User.unit), selectinload(User.place)).order_by(User.id)
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(User.username.like(like), func.lower(User.display_name).like(like)))
    if role in {r.value for r in Role}:
        query = query.where(User.role_links.any(UserRole.role == Role(role)))
    pagination = db.paginate(query, page=page, per_page=50, error_out=False)
    return render_template("admin/users.html", pagination=pagination, q=q, role=role, roles=Role)


@bp.route("/users/new", methods=["GET", "POST"])
@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@permission_required(account_permissions.can_manage_users)
def edit_user(user_id: int | None = None):
    user = db.session.get(User, user_id) if user_id is not None else None
    if user_id is not None and user is None:
        abort(404)
    form = UserForm(obj=user)
    form.prepare()
    if user is not None:
        del form.username  # usernames never change
    if user is not None and request.method == "GET":
        form.roles.data = [role.value for role in user.sorted_roles]
    status = 200
    if form.validate_on_submit():
        try:
            with committed():
                if user is None:
                    if not form.password.data:
                        raise InvalidInput(_("Please correct the marked fields."),
                                           fields={"password": _("This field is required.")})
                    user = accounts.create_user(
                        current_user, username=form.username.data, password=form.password.data,
                        roles=form.roles.data, display_name=form.display_name.data,
                        unit_id=form.unit_id.data, place_id=form.place_id.data, phone=form.phone.data or None,
                        email=form.email.data or None, real_name=form.real_name.data or None,
                    )
                    if not form.active.data:
                        user.active = False
                else:
                    accounts.update_user(
                        current_user, user, roles=form.roles.data, unit_id=form.unit_id.data,
                        place_id=form.place_id.data, active=form.active.data,
                        display_name=form.display_name.data, phone=form.phone.data,
                        email=form.email.data, real_name=form.real_name.data,
                    )
                    if form.password.data:
                        accounts.set_password(current_user, user, form.password.data)
        except InvalidInput as exc:
            show_errors(form, exc)
            status = 400
        else:
            flash(_("Saved: %(name)s", name=user.display_name), "success")
            return redirect(url_for("admin.users"))
    elif request.method == "POST":
        status = 400
    return render_template("admin/user_form.html", form=form, user=user), status
