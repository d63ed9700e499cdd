"""API: projects — draft, propose, vote, decide (approve, return, reject), claim, join, release, report
progress, complete."""

from __future__ import annotations

from flask_babel import gettext as _

from coordination.api import api
from coordination.api.errors import ApiError
from coordination.api.schemas.common import CursorPage
from coordination.api.schemas.common import split_states
from coordination.api.schemas.needs import CategoryRef
from coordination.api.schemas.projects import ClaimBody
from coordination.api.schemas.projects import CompleteBody
from coordination.api.schemas.projects import DecisionBody
from coordination.api.schemas.projects import FundingOut
from coordination.api.schemas.projects import HistoryEntry
from coordination.api.schemas.projects import JoinOut
from coordination.api.schemas.projects import ProgressBody
from coordination.api.schemas.projects import ProgressOut
from coordination.api.schemas.projects import ProjectCreate
from coordination.api.schemas.projects import ProjectOut
from coordination.api.schemas.projects import ProjectQuery
from coordination.api.schemas.projects import ReleaseBody
from coordination.api.schemas.projects import Tally
from coordination.api.schemas.projects import UnitBrief
from coordination.api.schemas.projects import VoteBody
from coordination.api.schemas.projects import VoteOut
from coordination.api.schemas.projects import VoteResult
from coordination.api.spec import ANYONE
from coordination.core.enums import Role
from coordination.core.paging import BadCursor
from coordination.extensions import db
from coordination.projects import operations
from coordination.projects import permissions
from coordination.projects import presenters
from coordination.projects import queries
from coordination.projects.enums import VoteChoice
from coordination.projects.models import Project
from coordination.projects.operations import ProgressInput
from coordination.projects.operations import ProjectInput
from coordination.projects.rules import PROJECT_WORKFLOW
from coordination.projects.rules import ProjectStep


def history_out(records) -> list[HistoryEntry]:
    return [HistoryEntry(**{"from": e.from_state, "to": e.to_state, "by": e.by, "at": e.at, "comment": e.comment})
            for e in presenters.history(records)]


def project_out(project: Project, user, totals: dict | None = None,
                details: queries.ListDetails | None = None) -> ProjectOut:
    """One project as the API shows it; a list passes ``totals`` and ``details`` fetched for
    the whole page, so that no row costs a query of its own."""
    sums = (totals if totals is not None else queries.totals([project.id])).get(project.id, queries.EMPTY_TOTALS)
    see_votes = permissions.can_see_votes(user)
    if details is None:
        details = queries.list_details([project], see_votes=see_votes)
    return ProjectOut(
        id=project.id, title=project.title, description=project.description, goals=project.goals,
        status=project.status.value, status_label=str(project.status.label), category_id=project.category_id,
        category=CategoryRef(id=project.category.id, code=project.category.code, name=project.category.local_name),
        area_id=project.area_id, place_id=project.place_id, committee_id=project.committee_id,
        committee=project.committee.name if project.committee else None, budget=float(project.budget),
        funding=[FundingOut(source=f.source.value, amount=float(f.amount), note=f.note) for f in project.funding],
        planned_start=project.planned_start, planned_end=project.planned_end,
        expected_beneficiaries=project.expected_beneficiaries, volunteer_places=project.volunteer_places,
        lead_unit=UnitBrief(id=project.lead_unit.id, name=project.lead_unit.name) if project.lead_unit else None,
        partner_units=[UnitBrief(id=p.unit.id, name=p.unit.name) for p in project.partners],
        need_ids=[n.id for n in project.needs], round=project.round,
        tally=Tally(**details.tally[project.id]) if project.round and see_votes else None,
        votes=[VoteOut(round=v.round, voter=v.voter.display_name, vote=v.vote.value, comment=v.comment,
                       at=v.created_at) for v in details.votes[project.id]] if see_votes else None,
        progress_percent=project.progress_percent, spent=float(sums["spent"]),
        volunteer_hours=float(sums["volunteer_hours"]), beneficiaries=int(sums["beneficiaries"]),
        overdue=queries.is_overdue(project), completion_report=project.completion_report,
        history=history_out(details.history[project.id]), created_at=project.created_at, updated_at=project.updated_at,
    )


def _input(body: ProjectCreate) -> ProjectInput:
    return ProjectInput(
        title=body.title, description=body.description, category_id=body.category_id, place_id=body.place_id,
        need_ids=body.need_ids, budget=body.budget, planned_start=body.planned_start, planned_end=body.planned_end,
        committee_id=body.committee_id, goals=body.goals, expected_beneficiaries=body.expected_beneficiaries,
        volunteer_places=body.volunteer_places, funding=[f.model_dump() for f in body.funding])


def _step(step: ProjectStep, path: str, summary: str, **route):
    """The route of one project step: POST /projects/<id>/<path>, open to the roles the step
    table gives the step, answering 409 when the project's status does not allow it."""
    route.setdefault("response", ProjectOut)
    return api.route("POST", f"/projects/<int:project_id>/{path}", summary=summary,
                     roles=PROJECT_WORKFLOW.roles(step), errors=(409,), tags=("projects",), **route)


@api.route("POST", "/projects", summary="Draft a project from accepted needs", body=ProjectCreate,
           response=ProjectOut, status=201, roles=(Role.STAFF,), tags=("projects",))
def create_project(user, body: ProjectCreate):
    return project_out(operations.create_project(user, _input(body)), user), 201


@api.route("PUT", "/projects/<int:project_id>", summary="Edit a draft project", body=ProjectCreate,
           response=ProjectOut, roles=PROJECT_WORKFLOW.roles(ProjectStep.UPDATE), errors=(409,), tags=("projects",))
def update_project(user, project_id: int, body: ProjectCreate):
    project = queries.visible_project(user, project_id)
    return project_out(operations.update_project(user, project, _input(body)), user)


@api.route("GET", "/projects", summary="The project list", query=ProjectQuery, response=CursorPage[ProjectOut],
           auth=ANYONE, tags=("projects",))
def list_projects(user, query: ProjectQuery):
    f = queries.ProjectFilter(status=split_states(query.status), category_id=query.category_id, place_id=query.place_id,
                              unit_id=query.unit_id, committee_id=query.committee_id, q=query.q,
                              overdue=query.overdue, internal=permissions.can_see_votes(user))
    try:
        pagination = queries.project_page(f, query.page, query.per_page, after=query.after, with_details=True)
    except BadCursor:
        raise ApiError(400, "invalid", _("Please correct the marked fields."),
                       {"after": _("This cursor is not valid; start again from the first page.")}) from None
    sums = queries.totals([p.id for p in pagination.items])
    details = queries.list_details(pagination.items, see_votes=f.internal)
    return CursorPage[ProjectOut](items=[project_out(p, user, sums, details) for p in pagination.items],
                                  total=pagination.total, page=query.page, per_page=query.per_page,
                                  next=pagination.next_cursor, total_capped=pagination.total_capped)


@api.route("GET", "/projects/<int:project_id>", summary="One project with its units, needs and history",
           response=ProjectOut, auth=ANYONE, tags=("projects",))
def get_project(user, project_id: int):
    return project_out(queries.visible_project(user, project_id), user)


@_step(ProjectStep.PROPOSE, "propose", "Propose a draft to the council")
def propose_project(user, project_id: int):
    queries.visible_project(user, project_id)
    return project_out(operations.propose_project(user, project_id), user)


@_step(ProjectStep.VOTE, "votes", "A council member's vote (once per round)", body=VoteBody,
       response=VoteResult)
def vote_project(user, project_id: int, body: VoteBody):
    queries.visible_project(user, project_id)
    project, counts = operations.vote_on_project(user, project_id, VoteChoice(body.vote), body.comment)
    return VoteResult(project_status=project.status.value, tally=Tally(**counts))


@_step(ProjectStep.APPROVE, "decision", "The community Party committee's decision", body=DecisionBody)
def decide_project(user, project_id: int, body: DecisionBody):
    queries.visible_project(user, project_id)
    return project_out(operations.decide(user, project_id, ProjectStep(body.decision), body.comment), user)


@_step(ProjectStep.CLAIM, "claim", "Claim a published project for one's unit", body=ClaimBody)
def claim_project(user, project_id: int, body: ClaimBody):
    queries.visible_project(user, project_id)
    return project_out(operations.claim_project(user, project_id, body.note), user)


@_step(ProjectStep.JOIN, "join", "Join a claimed project as a partner unit", response=JoinOut)
def join_project(user, project_id: int):
    queries.visible_project(user, project_id)
    operations.join_project(user, project_id)
    project = db.session.get(Project, project_id)
    db.session.refresh(project)
    return JoinOut(project_id=project.id, partner_units=[UnitBrief(id=p.unit.id, name=p.unit.name)
                                                         for p in project.partners])


@_step(ProjectStep.RELEASE, "release", "Release a claim (staff, with a reason)", body=ReleaseBody)
def release_project(user, project_id: int, body: ReleaseBody):
    queries.visible_project(user, project_id)
    return project_out(operations.release_project(user, project_id, body.reason), user)


@_step(ProjectStep.PROGRESS, "progress", "The lead unit reports progress", body=ProgressBody,
       response=ProgressOut, status=201)
def report_progress(user, project_id: int, body: ProgressBody):
    queries.visible_project(user, project_id)
    residents = body.beneficiaries_residents
    if residents is None:
        residents = body.beneficiaries or 0
    data = ProgressInput(percent=body.percent, note=body.note, participant_units=body.participants or 0,
                         party_members=body.party_members or 0, volunteers=body.volunteers or 0,
                         volunteer_hours=body.volunteer_hours or 0, beneficiaries_residents=residents,
                         beneficiaries_workers=body.beneficiaries_workers or 0, spent=body.spent or 0)
    report = operations.report_progress(user, project_id, data)
    return ProgressOut(id=report.id, project_id=project_id, percent=report.percent, note=report.note,
                       spent=float(report.spent), created_at=report.created_at), 201


@_step(ProjectStep.COMPLETE, "complete", "The lead unit completes the project", body=CompleteBody)
def complete_project(user, project_id: int, body: CompleteBody):
    queries.visible_project(user, project_id)
    return project_out(operations.complete_project(user, project_id, body.report), user)
