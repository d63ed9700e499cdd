"""Web pages of the needs: the menu, submitting, a need's page, triage, import, moderation."""

from __future__ import annotations

import re
import secrets

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import send_file
from flask import session
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_login import login_required
from markupsafe import Markup
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm import selectinload

from coordination.core import page_cache
from coordination.core import signals
from coordination.core.enums import Role
from coordination.core.errors import DomainError
from coordination.core.errors import InvalidInput
from coordination.core.forms import error_text
from coordination.core.forms import page_arg
from coordination.core.forms import perform
from coordination.core.forms import positive_int_arg
from coordination.core.forms import post_routes
from coordination.core.forms import query_args
from coordination.core.forms import require_csrf
from coordination.core.forms import show_errors
from coordination.core.forms import to_int
from coordination.core.paging import BadCursor
from coordination.core.permissions import roles_required
from coordination.core.transactions import committed
from coordination.extensions import db
from coordination.needs import importer
from coordination.needs import operations
from coordination.needs import permissions
from coordination.needs import presenters
from coordination.needs import queries
from coordination.needs.blueprint import bp
from coordination.needs.enums import NeedChannel
from coordination.needs.enums import NeedStatus
from coordination.needs.forms import BulkTriageForm
from coordination.needs.forms import ImportForm
from coordination.needs.forms import NeedForm
from coordination.needs.forms import OfflineNeedForm
from coordination.needs.forms import ReasonForm
from coordination.needs.forms import TriageForm
from coordination.needs.models import Need
from coordination.needs.models import NeedPhoto
from coordination.needs.operations import NeedInput
from coordination.needs.photos import photo_response
from coordination.needs.rules import NeedStep
from coordination.places.enums import PlaceKind
from coordination.places.models import Place

PER_PAGE = 20


def _place_choices(blank: str | None = None):
    places = db.session.scalars(select(Place).where(Place.active, Place.kind != PlaceKind.AREA)
                                .order_by(Place.kind.desc(), Place.area_id, Place.name)).all()
    choices = [(0, blank)] if blank else [(0, _("— choose —"))]
    return choices + [(p.id, f"{p.kind.label} · {p.name}") for p in places]


def _category_choices(blank: str):
    return [(0, blank)] + [(c.id, f"{c.code} {c.local_name}") for c in queries.categories()]


# --------------------------------------------------------------------------- the menu

# Where each card says whether the visitor supports it: a random mark per worker, so text on a
# card (escaped by the template) can never be taken for one.
SUPPORT_MARK = f"gr-supported-{secrets.token_hex(12)}-"
_SUPPORT_MARKS = re.compile(f"<!--{SUPPORT_MARK}(\\d+)-->")


def support_mark(need_id: int) -> Markup:
    return Markup(f"<!--{SUPPORT_MARK}{int(need_id)}-->")  # nosec B704 - a constant of this module and a number


@bp.get("/needs")
def index():
    f = queries.NeedFilter(
        status=request.args.getlist("status"), category_id=positive_int_arg("category_id"),
        area_id=positive_int_arg("area_id"), place_id=positive_int_arg("place_id"), kind=request.args.get("kind") or None,
        channel=request.args.get("channel") or None, q=request.args.get("q", "").strip()[:100] or None,
        sort=request.args.get("sort", "supports"),
    )
    page = page_arg()
    authenticated = bool(current_user.is_authenticated)

    def build_menu() -> tuple[str, list[int]]:
        try:
            pagination = queries.menu_page(f, page, PER_PAGE, after=request.args.get("after") or None)
        except BadCursor:
            abort(400)
        places = queries.places_for_filters()
        args = query_args("page", "after")
        if f.status:
            args["status"] = f.status[0]
        html = render_template(
            "needs/_menu.html", pagination=pagination, f=f, counts=queries.category_counts(f),
            categories=queries.categories(), mark=support_mark,
            areas=[p for p in places if p.kind == PlaceKind.AREA], authenticated=authenticated,
            places=[p for p in places if p.kind != PlaceKind.AREA], args=args,
            statuses=list(NeedStatus), channels=list(NeedChannel),
        )
        return html, [need.id for need in pagination.items]

    html, ids = page_cache.fragment(f"needs-menu:{get_locale()}:{authenticated}:{request.full_path}", build_menu)
    supported = queries.supported_by(current_user, ids)
    including_you = str(escape(" · " + _("including you")))
    menu = _SUPPORT_MARKS.sub(lambda found: including_you if int(found.group(1)) in supported else "", html)
    return render_template("needs/index.html", menu=Markup(menu), permissions=permissions)  # nosec B704 - rendered by our autoescaping template


# --------------------------------------------------------------------------- submitting

def _photos_from(form) -> list[bytes]:
    return [f.read() for f in (form.photos.data or []) if getattr(f, "filename", "")]


@bp.route("/needs/new", methods=["GET", "POST"])
@login_required
def new():
    if not permissions.can_submit_need(current_user):
        abort(403)
    offline = permissions.can_record_offline(current_user) and request.args.get("offline", "1") != "0"
    form = OfflineNeedForm() if offline else NeedForm()
    form.place_id.choices = _place_choices()
    form.category_id.choices = _category_choices(_("— not sure —"))
    if request.method == "GET":
        # A poster on a building's notice board (扫码提需求) names its place; else the person's own.
        asked = positive_int_arg("place_id")
        if asked in {place_id for place_id, _label in form.place_id.choices}:
            form.place_id.data = asked
        elif current_user.place_id and not offline:
            form.place_id.data = current_user.place_id
    similar, status = [], 200
    if form.validate_on_submit():
        data = NeedInput(kind=form.kind.data, title=form.title.data, description=form.description.data,
                         place_id=form.place_id.data, category_id=form.category_id.data,
                         show_submitter=form.show_submitter.data)
        if offline:
            data.channel, data.requester_name = form.channel.data, form.requester_name.data
            data.contact_phone, data.contact_email = form.contact_phone.data, form.contact_email.data
        place = db.session.get(Place, form.place_id.data) if form.place_id.data else None
        if form.confirm_new.data != "1" and place is not None:
            similar = queries.similar_needs(data.title, data.description, place.area_id)
        if similar:
            form.confirm_new.data = "1"
            flash(_("Similar needs already exist nearby. Support one of them, or submit yours anyway."), "warning")
        else:
            try:
                with committed():
                    need = operations.submit_need(current_user, data, _photos_from(form))
            except InvalidInput as exc:
                show_errors(form, exc)
                status = 400
            else:
                flash(_("Thank you! Your need has been submitted and will be triaged by the association."),
                      "success")
                return redirect(url_for("needs.detail", need_id=need.id))
    elif request.method == "POST":
        status = 400
    return render_template("needs/new.html", form=form, offline=offline, similar=similar), status


# --------------------------------------------------------------------------- one need

@bp.get("/needs/<int:need_id>")
def detail(need_id: int):
    need = queries.visible_need(current_user, need_id, joinedload(Need.category), joinedload(Need.place), joinedload(Need.area),
                        selectinload(Need.photos))
    triage = None
    if permissions.can_triage(current_user, need):
        triage = TriageForm()
        triage.category_id.choices = _category_choices(_("— choose —"))
        triage.category_id.data = need.category_id
    later = signals.page_context(signals.need_page, need, viewer=current_user)  # the project it became
    return render_template(
        "needs/detail.html", need=need, history=presenters.history(current_user, need), triage=triage,
        project=later.get("project"),
        open_reports=queries.open_report_count(need), supported=need.id in queries.supported_by(current_user, [need.id]),
        following=need.id in queries.followed_by(current_user, [need.id]), permissions=permissions,
        similar=queries.similar_needs(need.title, need.description, need.area_id, exclude_id=need.id)
        if permissions.can_triage(current_user, need) else [],
    )


def _act(need_id: int, action, success: str, category: str = "success"):
    """Run one small action on a need from its page: commit, or say what went wrong."""
    need = queries.visible_need(current_user, need_id)
    return perform(lambda: action(need), success, url_for("needs.detail", need_id=need_id), category)


def _reason() -> str:
    form = ReasonForm()
    return form.reason.data if form.validate_on_submit() else ""


# Buttons that post no fields: (the operation on the need, what it says, the message's category).
BUTTONS = {
    "support": (operations.support_need, _l("Thank you for your support."), "success"),
    "unsupport": (operations.withdraw_support, _l("Your support was withdrawn."), "info"),
    "follow": (operations.follow_need, _l("You will be notified when this need changes."), "success"),
    "unfollow": (operations.unfollow_need, _l("You no longer follow this need."), "info"),
}


def _button_view(name: str):
    operation, success, category = BUTTONS[name]

    @login_required
    def view(need_id: int):
        require_csrf()
        return _act(need_id, lambda need: operation(current_user, need), str(success), category)

    return view


post_routes(bp, "/needs/<int:need_id>/{name}", BUTTONS, _button_view)


@bp.post("/needs/<int:need_id>/report")
@login_required
def report(need_id: int):
    reason = _reason()
    return _act(need_id, lambda n: operations.report_need(current_user, n, reason),
                _("Thank you. The association will look at it."))


@bp.post("/needs/<int:need_id>/hide")
@roles_required(Role.STAFF)
def hide(need_id: int):
    reason = _reason()
    return _act(need_id, lambda n: operations.hide_need(current_user, n, reason), _("The need is hidden."), "info")


@bp.post("/needs/<int:need_id>/unhide")
@roles_required(Role.STAFF)
def unhide(need_id: int):
    require_csrf()
    return _act(need_id, lambda n: operations.unhide_need(current_user, n), _("The need is visible again."))


@bp.post("/needs/<int:need_id>/dismiss-reports")
@roles_required(Role.STAFF)
def dismiss_reports(need_id: int):
    require_csrf()
    return _act(need_id, lambda n: operations.dismiss_reports(current_user, n), _("The reports were dismissed."))


@bp.post("/needs/<int:need_id>/triage")
@roles_required(Role.STAFF)
def triage(need_id: int):
    need = queries.visible_need(current_user, need_id)
    form = TriageForm()
    form.category_id.choices = _category_choices(_("— choose —"))
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        flash(_("Please correct the marked fields."), "danger")
        return redirect(url_for("needs.detail", need_id=need.id))
    merge_into = to_int(form.merge_into.data.strip().lstrip("#")) if form.merge_into.data else None
    step = NeedStep(form.action.data)
    labels = {NeedStep.ACCEPT: _("The need is in the needs menu now."), NeedStep.REJECT: _("The need was rejected."),
              NeedStep.MERGE: _("The need was merged.")}
    return _act(need_id, lambda n: operations.triage(
        current_user, n.id, step, category_id=form.category_id.data, reason=form.reason.data, merge_into=merge_into),
        labels[step])


@bp.get("/needs/photos/<int:photo_id>")
def photo(photo_id: int):
    item = db.session.get(NeedPhoto, photo_id)
    if item is None or not permissions.can_view_need(current_user, item.need):
        abort(404)
    return photo_response(item)


# --------------------------------------------------------------------------- triage queue

@bp.route("/needs/triage", methods=["GET"])
@roles_required(Role.STAFF)
def triage_queue():
    page = page_arg()
    pagination = queries.triage_queue(page)
    form = BulkTriageForm()
    form.category_id.choices = _category_choices(_("— choose —"))
    form.need_ids.choices = [(n.id, n.title) for n in pagination.items]
    return render_template("needs/triage.html", pagination=pagination, form=form,
                           reports=queries.open_reports())


@bp.post("/needs/triage/bulk")
@roles_required(Role.STAFF)
def triage_bulk():
    form = BulkTriageForm()
    form.category_id.choices = _category_choices(_("— choose —"))
    form.need_ids.choices = [(n, str(n)) for n in map(to_int, request.form.getlist("need_ids")) if n]
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        flash(_("Tick the needs to decide on first."), "warning")
        return redirect(url_for("needs.triage_queue"))
    try:
        with committed():
            for need_id in form.need_ids.data:
                operations.triage(current_user, need_id, NeedStep(form.action.data),
                                  category_id=form.category_id.data, reason=form.reason.data)
    except DomainError as exc:
        flash(error_text(exc) + " " + _("Nothing was changed."), "danger")
    else:
        flash(ngettext("%(num)d need was decided.", "%(num)d needs were decided.", len(form.need_ids.data)), "success")
    return redirect(url_for("needs.triage_queue"))


# --------------------------------------------------------------------------- import

def _pending_dir():
    from pathlib import Path

    from flask import current_app

    folder = Path(current_app.instance_path) / "pending-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@bp.route("/needs/import", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def import_file():
    """Upload a spreadsheet and see a preview; nothing is saved until it is confirmed."""
    import secrets

    form = ImportForm()
    parsed, token, status = None, None, 200
    if form.validate_on_submit():
        upload = form.file.data
        data, filename = upload.read(), upload.filename or "needs.xlsx"
        parsed = importer.parse(data, filename)
        if parsed.ok:
            token = secrets.token_hex(16) + (".csv" if filename.lower().endswith(".csv") else ".xlsx")
            (_pending_dir() / token).write_bytes(data)
            session["pending_import"] = {"token": token, "filename": filename[:200]}
        else:
            status = 400
    elif request.method == "POST":
        status = 400
    return render_template("needs/import.html", form=form, parsed=parsed, token=token,
                           confirm_form=ReasonForm()), status


@bp.post("/needs/import/confirm")
@roles_required(Role.STAFF)
def import_confirm():
    require_csrf()
    pending = session.pop("pending_import", None)
    token = request.form.get("token", "")
    if not pending or pending["token"] != token:
        flash(_("The preview has expired. Please upload the file again."), "warning")
        return redirect(url_for("needs.import_file"))
    path = _pending_dir() / pending["token"]
    try:
        with committed():
            parsed = importer.parse(path.read_bytes(), pending["filename"])
            needs = importer.import_needs(current_user, parsed, pending["filename"])  # the new ids
    except (InvalidInput, OSError):
        flash(_("The file has errors; nothing was imported."), "danger")
        return redirect(url_for("needs.import_file"))
    finally:
        path.unlink(missing_ok=True)
    flash(ngettext("%(num)d need was imported and awaits triage.", "%(num)d needs were imported and await triage.", len(needs)), "success")
    return redirect(url_for("needs.triage_queue"))


@bp.get("/needs/import/template.xlsx")
@roles_required(Role.STAFF)
def import_template():
    import io

    return send_file(io.BytesIO(importer.template_workbook()), as_attachment=True,
                     download_name="needs-import-template.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
