"""Web pages of the projects: the list, drafting, one project with its steps, the to-do queues."""

from __future__ import annotations

from datetime import date

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
from sqlalchemy import select

from coordination.core import signals
from coordination.core.enums import Role
from coordination.core.errors import InvalidInput
from coordination.core.forms import page_arg
from coordination.core.forms import perform
from coordination.core.forms import positive_int_arg
from coordination.core.forms import post_routes
from coordination.core.forms import query_args
from coordination.core.forms import show_errors
from coordination.core.paging import BadCursor
from coordination.core.permissions import has_role
from coordination.core.permissions import roles_required
from coordination.core.transactions import committed
from coordination.extensions import db
from coordination.needs.enums import NeedStatus
from coordination.needs.models import Need
from coordination.needs.photos import photo_path
from coordination.needs.queries import categories
from coordination.places.enums import PlaceKind
from coordination.places.models import MemberUnit
from coordination.places.models import Place
from coordination.places.models import ProfessionalCommittee
from coordination.projects import operations
from coordination.projects import permissions
from coordination.projects import presenters
from coordination.projects import queries
from coordination.projects.blueprint import bp
from coordination.projects.enums import ProjectStatus
from coordination.projects.enums import VoteChoice
from coordination.projects.forms import CommentForm
from coordination.projects.forms import CompleteForm
from coordination.projects.forms import DecisionForm
from coordination.projects.forms import ProgressForm
from coordination.projects.forms import ProjectForm
from coordination.projects.forms import ReleaseForm
from coordination.projects.forms import VoteForm
from coordination.projects.models import ProgressPhoto
from coordination.projects.models import ProgressReport
from coordination.projects.models import Project
from coordination.projects.operations import ProgressInput
from coordination.projects.operations import ProjectInput
from coordination.projects.rules import DECISIONS
from coordination.projects.rules import ProjectStep

PER_PAGE = 20


def visible_project(project_id: int) -> Project:
    """The project for the person on the page (``queries.visible_project``: the 404 page when
    there is none or it is hidden from them)."""
    return queries.visible_project(current_user, project_id)


def _unit_filter() -> tuple[int | None, list[int] | None, str]:
    """The member unit of the list's filter: ``unit_id`` (a link from a unit's page) or the
    name typed in the searchable field (``unit``); returns (unit_id, unit_ids, the field's text)."""
    unit_id = positive_int_arg("unit_id")
    if unit_id:
        unit = db.session.get(MemberUnit, unit_id)
        return unit_id, None, unit.name if unit is not None else ""
    text = request.args.get("unit", "").strip()[:120]
    if not text:
        return None, None, ""
    return None, [u.id for u in queries.units_named(text)], text


@bp.get("/projects/units.json")
def unit_suggestions():
    """Up to 20 member units whose name contains ``q``: the suggestions of the list's filter."""
    text = request.args.get("q", "").strip()[:120]
    units = queries.units_named(text, limit=queries.UNIT_SUGGESTIONS) if text else []
    return {"items": [{"id": u.id, "name": u.name} for u in units]}


@bp.get("/projects")
def index():
    internal = permissions.can_see_votes(current_user)
    unit_id, unit_ids, unit_text = _unit_filter()
    f = queries.ProjectFilter(
        status=request.args.getlist("status"), category_id=positive_int_arg("category_id"), place_id=positive_int_arg("place_id"),
        unit_id=unit_id, unit_ids=unit_ids, committee_id=positive_int_arg("committee_id"),
        q=request.args.get("q", "").strip()[:100] or None, overdue=request.args.get("overdue") == "1",
        internal=internal,
    )
    try:
        pagination = queries.project_page(f, page_arg(), PER_PAGE, after=request.args.get("after") or None)
    except BadCursor:
        abort(400)
    args = query_args("page", "after")
    return render_template(
        "projects/index.html", pagination=pagination, f=f, args=args, categories=categories(),
        areas=db.session.scalars(select(Place).where(Place.kind == PlaceKind.AREA).order_by(Place.id)).all(),
        committees=db.session.scalars(select(ProfessionalCommittee).order_by(ProfessionalCommittee.id)).all(),
        unit_text=unit_text, unit_options=queries.units_named(unit_text, limit=queries.UNIT_SUGGESTIONS) if unit_text else [],
        statuses=[s for s in ProjectStatus if internal or s in ProjectStatus.public()],
        totals=queries.totals([p.id for p in pagination.items]), permissions=permissions,
        overdue={p.id for p in pagination.items if queries.is_overdue(p)},
    )


# --------------------------------------------------------------------------- drafting

def _prepare(form: ProjectForm, project: Project | None = None) -> None:
    linked = [n.id for n in project.needs] if project else []
    needs = db.session.scalars(select(Need).where(
        Need.hidden.is_(False), (Need.status == NeedStatus.ACCEPTED) | Need.id.in_(linked or [0]))
        .order_by(Need.support_count.desc(), Need.id)).all()
    form.need_ids.choices = [(n.id, f"#{n.id} {n.title}（{n.place.name}，{n.support_count}）") for n in needs]
    form.category_id.choices = [(0, _("— choose —"))] + [(c.id, f"{c.code} {c.local_name}") for c in categories()]
    places = db.session.scalars(select(Place).where(Place.active).order_by(Place.area_id.nulls_first(), Place.kind,
                                                                            Place.name)).all()
    form.place_id.choices = [(0, _("— choose —"))] + [(p.id, f"{p.kind.label} · {p.name}") for p in places]
    committees = db.session.scalars(select(ProfessionalCommittee).order_by(ProfessionalCommittee.id)).all()
    form.committee_id.choices = [(0, _("— none —"))] + [(c.id, c.name) for c in committees]


def _input(form: ProjectForm) -> ProjectInput:
    funding = [{"source": source, "amount": getattr(form, name).data}
               for name, source in ProjectForm.FUNDS.items() if getattr(form, name).data]
    return ProjectInput(
        title=form.title.data, description=form.description.data, goals=form.goals.data,
        category_id=form.category_id.data, place_id=form.place_id.data, committee_id=form.committee_id.data,
        need_ids=form.need_ids.data, budget=form.budget.data, planned_start=form.planned_start.data,
        planned_end=form.planned_end.data, expected_beneficiaries=form.expected_beneficiaries.data,
        volunteer_places=form.volunteer_places.data, funding=funding)


@bp.route("/projects/new", methods=["GET", "POST"])
@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def edit(project_id: int | None = None):
    project = visible_project(project_id) if project_id else None
    if project is not None and not permissions.can_update_project(current_user, project):
        flash(_("Only drafts can be edited."), "warning")
        return redirect(url_for("projects.detail", project_id=project.id))
    form = ProjectForm(obj=project)
    _prepare(form, project)
    if request.method == "GET":
        if project is not None:
            form.need_ids.data = [n.id for n in project.needs]
            for name, source in ProjectForm.FUNDS.items():
                getattr(form, name).data = next((f.amount for f in project.funding if f.source.value == source), None)
        elif positive_int_arg("need_id"):
            need = db.session.get(Need, positive_int_arg("need_id"))
            if need is not None and need.status == NeedStatus.ACCEPTED:
                form.need_ids.data = [need.id]
                form.title.data, form.description.data = need.title, need.description
                form.category_id.data, form.place_id.data = need.category_id, need.place_id
    status = 200
    if form.validate_on_submit():
        try:
            with committed():
                if project is None:
                    project = operations.create_project(current_user, _input(form))
                else:
                    operations.update_project(current_user, project, _input(form))
        except InvalidInput as exc:
            show_errors(form, exc)
            status = 400
        else:
            flash(_("The draft is saved. Propose it to the council when it is ready."), "success")
            return redirect(url_for("projects.detail", project_id=project.id))
    elif request.method == "POST":
        status = 400
    return render_template("projects/edit.html", form=form, project=project), status


# --------------------------------------------------------------------------- one project

@bp.get("/projects/<int:project_id>")
def detail(project_id: int):
    project = visible_project(project_id)
    user = current_user
    forms = {
        "vote": VoteForm() if permissions.can_vote_on_project(user, project) else None,
        "decision": DecisionForm() if permissions.can_decide_project(user, project) else None,
        "claim": CommentForm() if permissions.can_claim_project(user, project) else None,
        "join": CommentForm() if permissions.can_join_project(user, project) else None,
        "release": ReleaseForm() if permissions.can_release_project(user, project) else None,
        "progress": ProgressForm() if permissions.can_report_progress(user, project) else None,
        "complete": CompleteForm() if permissions.can_complete_project(user, project) else None,
        "propose": CommentForm() if permissions.can_propose_project(user, project) else None,
    }
    already_voted = (has_role(user, Role.COUNCIL) and project.status == ProjectStatus.PROPOSED
                     and project not in queries.council_queue(user))
    return render_template(
        "projects/detail.html", project=project, forms=forms, history=presenters.history(queries.history(project)),
        votes=queries.votes(project) if permissions.can_see_votes(user) else [],
        tally=operations.tally(project) if project.round else None,
        council_size=len(queries.council_members(project)), already_voted=already_voted,
        totals=queries.totals([project.id]).get(project.id, queries.EMPTY_TOTALS),
        overdue=queries.is_overdue(project), permissions=permissions,
        **signals.page_context(signals.project_page, project, viewer=user),  # later domains' panels
    )


def _act(project_id: int, action, success: str):
    visible_project(project_id)
    return perform(action, success, url_for("projects.detail", project_id=project_id))


def _form(form_class):
    form = form_class()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
    return form


# One route per step: (the form it posts, the operation it calls with the posted form, what it says).
STEP_ROUTES = {
    "propose": (CommentForm, lambda user, pid, form: operations.propose_project(user, pid),
                _l("The project is proposed; the council members have been notified.")),
    "vote": (VoteForm, lambda user, pid, form: operations.vote_on_project(
        user, pid, VoteChoice.of(form.vote.data), form.comment.data), _l("Your vote is recorded.")),
    "decision": (DecisionForm, lambda user, pid, form: operations.decide(
        user, pid, ProjectStep.of(form.decision.data, DECISIONS), form.comment.data),
        _l("Your decision is recorded.")),
    "claim": (CommentForm, lambda user, pid, form: operations.claim_project(user, pid, form.comment.data),
              _l("Your unit now leads this project.")),
    "join": (CommentForm, lambda user, pid, form: operations.join_project(user, pid),
             _l("Your unit joined the project as a partner.")),
    "release": (ReleaseForm, lambda user, pid, form: operations.release_project(user, pid, form.comment.data or ""),
                _l("The claim was released; the project is open to claim again.")),
    "complete": (CompleteForm, lambda user, pid, form: operations.complete_project(user, pid, form.report.data or ""),
                 _l("The project is completed. Thank you!")),
}


def _step_view(name: str):
    form_class, operation, success = STEP_ROUTES[name]

    @login_required
    def view(project_id: int):
        form = _form(form_class)
        return _act(project_id, lambda: operation(current_user, project_id, form), str(success))

    return view


post_routes(bp, "/projects/<int:project_id>/{name}", STEP_ROUTES, _step_view)


@bp.post("/projects/<int:project_id>/progress")
@login_required
def progress(project_id: int):
    form = _form(ProgressForm)
    if form.errors:
        if not permissions.is_lead_rep(current_user, visible_project(project_id)):
            abort(403)  # the role is refused before its fields are looked at
        flash(" ".join(f"{getattr(form, k).label.text}: {' '.join(str(e) for e in v)}"
                       for k, v in form.errors.items()), "danger")
        return redirect(url_for("projects.detail", project_id=project_id) + "#progress")
    data = ProgressInput(
        percent=form.percent.data, note=form.note.data, participant_units=form.participant_units.data or 0,
        party_members=form.party_members.data or 0, volunteers=form.volunteers.data or 0,
        volunteer_hours=form.volunteer_hours.data or 0, beneficiaries_residents=form.beneficiaries_residents.data or 0,
        beneficiaries_workers=form.beneficiaries_workers.data or 0, spent=form.spent.data or 0)
    photos = [f.read() for f in (form.photos.data or []) if getattr(f, "filename", "")]
    return _act(project_id, lambda: operations.report_progress(current_user, project_id, data, photos),
                _("The progress report is saved."))


@bp.get("/projects/progress-photos/<int:photo_id>")
def progress_photo(photo_id: int):
    from flask import send_file

    item = db.session.get(ProgressPhoto, photo_id)
    if item is None:
        abort(404)
    report = db.session.get(ProgressReport, item.report_id)
    visible_project(report.project_id)
    path = photo_path(item.stored_name)
    if not path.exists():
        abort(404)
    return send_file(path, mimetype=item.content_type, max_age=3600)


# --------------------------------------------------------------------------- to-do queues

@bp.get("/projects/tasks")
@login_required
def tasks():
    """What awaits the current user, by role."""
    user = current_user
    sections = []
    if has_role(user, Role.COUNCIL):
        sections.append((_("Proposals awaiting your vote"), queries.council_queue(user)))
    if has_role(user, Role.COMMUNITY_COMMITTEE):
        sections.append((_("Council resolutions awaiting your approval"), queries.by_status(ProjectStatus.RESOLVED)))
    if has_role(user, Role.STAFF):
        sections.append((_("Drafts"), queries.by_status(ProjectStatus.DRAFT)))
        sections.append((_("Overdue projects (past their planned end)"), queries.overdue_projects()))
        sections.append((_("Completed projects to evaluate"), queries.by_status(ProjectStatus.COMPLETED)))
    if has_role(user, Role.UNIT_REP):
        open_ = [p for p in queries.by_status(ProjectStatus.PUBLISHED)]
        mine = queries.unit_projects(user.unit_id) if user.unit_id else []
        sections.append((_("Published projects open to claim"), open_))
        sections.append((_("My unit's projects"), mine))
    if has_role(user, Role.STREET_COMMITTEE):
        sections.append((_("Evaluations awaiting your review"), queries.by_status(ProjectStatus.EVALUATING)))
    if not sections:
        abort(403)
    return render_template("projects/tasks.html", sections=sections, today=date.today())
