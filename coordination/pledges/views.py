"""Web pages of the pledges: the pledge list per community, a pledge's page (follow, keep,
rate), making a pledge, and the photos of a fulfilment."""

from __future__ import annotations

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_login import login_required
from sqlalchemy.orm import selectinload

from coordination.core.errors import DomainError
from coordination.core.errors import Forbidden
from coordination.core.errors import InvalidInput
from coordination.core.forms import error_text
from coordination.core.forms import page_arg
from coordination.core.forms import perform
from coordination.core.forms import positive_int_arg
from coordination.core.forms import post_routes
from coordination.core.forms import query_args
from coordination.core.forms import require_csrf
from coordination.core.forms import show_errors
from coordination.core.paging import BadCursor
from coordination.core.transactions import committed
from coordination.extensions import db
from coordination.needs.photos import photo_response
from coordination.pledges import operations
from coordination.pledges import permissions
from coordination.pledges import presenters
from coordination.pledges import queries
from coordination.pledges.blueprint import bp
from coordination.pledges.enums import PledgeStatus
from coordination.pledges.forms import KeepForm
from coordination.pledges.forms import PledgeForm
from coordination.pledges.forms import RatingForm
from coordination.pledges.models import Pledge
from coordination.pledges.models import PledgePhoto
from coordination.pledges.operations import PledgeInput

PER_PAGE = 20


def _submitted(form) -> None:
    """A posted form with a valid CSRF token (else 400); its own messages are dropped: the
    operation checks the input and names each bad field (``show_errors``)."""
    form.validate_on_submit()
    if "csrf_token" in form.errors:
        abort(400)
    for field in form:
        field.errors = []


def _files(field) -> list[bytes]:
    return [f.read() for f in (field.data or []) if getattr(f, "filename", "")]


# --------------------------------------------------------------------------- the list


@bp.app_template_global()
def pledges_on_cards(profile_ids) -> dict:
    """The public pledges of the volunteers whose cards a page shows (the directory, a team's
    page), by profile id: how a volunteer's card shows their pledges."""
    return queries.pledges_of_many(list(profile_ids))

@bp.get("/pledges")
def index():
    f = queries.PledgeFilter(community_id=positive_int_arg("community_id"),
                             status=PledgeStatus.of(request.args.get("status")))
    try:
        pagination = queries.pledge_page(f, page_arg(), PER_PAGE, after=request.args.get("after") or None)
    except BadCursor:
        abort(400)
    return render_template("pledges/index.html", pagination=pagination, f=f, places=queries.places(),
                           statuses=list(PledgeStatus), args=query_args("page", "after"),
                           views=[presenters.pledge(p) for p in pagination.items], permissions=permissions)


# --------------------------------------------------------------------------- making a pledge

@bp.route("/pledges/new", methods=["GET", "POST"])
@login_required
def new():
    form = PledgeForm()
    form.community_id.choices = [(0, _("— my team's community, or my own —"))] + [
        (p.id, f"{p.kind.label} · {p.name}") for p in queries.places()]
    refusal = operations.why_not_pledge(current_user)
    if refusal is not None:
        if not permissions.may_pledge(current_user):
            abort(403)
        # a resident or office worker without a Party member's profile: what to do first
        return render_template("pledges/new.html", form=None, refusal=refusal), 403
    status = 200
    if request.method == "POST":
        _submitted(form)
        data = PledgeInput(title=form.title.data, content=form.content.data, due_on=form.due_on.data,
                           community_id=form.community_id.data)
        try:
            with committed():
                pledge = operations.make_pledge(current_user, data)
        except InvalidInput as exc:
            show_errors(form, exc)
            status = 400
        else:
            flash(_("Your pledge is public now. Keep it, and record how you did."), "success")
            return redirect(url_for("pledges.detail", pledge_id=pledge.id))
    return render_template("pledges/new.html", form=form, refusal=None), status


# --------------------------------------------------------------------------- one pledge

def _page(pledge: Pledge, keep: KeepForm | None = None, rate: RatingForm | None = None, status: int = 200):
    """A pledge's page, with the forms the reader may use (bound ones showing their errors)."""
    user = current_user
    following = queries.is_following(user, pledge)
    if keep is None and permissions.can_keep_pledge(user, pledge):
        keep = KeepForm()
    if rate is None and permissions.can_rate_pledge(user, pledge):
        rate = RatingForm()
    mine = queries.rating_by(user, pledge)
    return render_template(
        "pledges/detail.html", pledge=pledge, view=presenters.pledge(pledge), following=following,
        keep=keep, rate=None if mine else rate, my_rating=mine, ratings=queries.ratings(pledge),
        permissions=permissions,
    ), status


@bp.get("/pledges/<int:pledge_id>")
def detail(pledge_id: int):
    return _page(queries.visible_pledge(current_user, pledge_id, selectinload(Pledge.photos)))


def _form_step(pledge_id: int, form, action, success: str, form_name: str):
    """Post one step's form: commit and say so; a bad field shows the page again with it (400);
    a refused role is a 403; a step the pledge's state no longer allows is said above the page."""
    pledge = queries.visible_pledge(current_user, pledge_id)
    _submitted(form)
    back = url_for("pledges.detail", pledge_id=pledge_id)
    try:
        with committed():
            action(pledge)
    except Forbidden:
        abort(403)
    except InvalidInput as exc:
        show_errors(form, exc)
        pledge = queries.visible_pledge(current_user, pledge_id, selectinload(Pledge.photos))
        return _page(pledge, status=400, **{form_name: form})
    except DomainError as exc:
        flash(error_text(exc), "danger")
        return redirect(back)
    flash(success, "success")
    return redirect(back)


@bp.post("/pledges/<int:pledge_id>/keep")
@login_required
def keep(pledge_id: int):
    form = KeepForm()
    return _form_step(pledge_id, form, lambda pledge: operations.keep_pledge(
        current_user, pledge.id, form.note.data, _files(form.photos)),
        _("Thank you! The fulfilment is recorded and your followers are told."), "keep")


@bp.post("/pledges/<int:pledge_id>/rate")
@login_required
def rate(pledge_id: int):
    form = RatingForm()
    return _form_step(pledge_id, form, lambda pledge: operations.rate_pledge(
        current_user, pledge, form.score.data, form.comment.data),
        _("Thank you for your rating."), "rate")


# Buttons that post no fields: (the operation on the pledge, what it says, the message's category).
BUTTONS = {
    "follow": (operations.follow_pledge, _l("You follow this pledge: you will be told when it is kept."), "success"),
    "unfollow": (operations.unfollow_pledge, _l("You no longer follow this pledge."), "info"),
}


def _button_view(name: str):
    operation, success, category = BUTTONS[name]

    @login_required
    def view(pledge_id: int):
        require_csrf()
        pledge = queries.visible_pledge(current_user, pledge_id)
        return perform(lambda: operation(current_user, pledge), str(success),
                       url_for("pledges.detail", pledge_id=pledge_id), category)

    return view


post_routes(bp, "/pledges/<int:pledge_id>/{name}", BUTTONS, _button_view)


@bp.get("/pledges/photos/<int:photo_id>")
def photo(photo_id: int):
    item = db.session.get(PledgePhoto, photo_id)
    if item is None:
        abort(404)
    return photo_response(item)
