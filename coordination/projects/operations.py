"""Project operations: draft, propose, vote, approve, return, reject, claim, join, release, report,
complete.

Each checks the step against ``rules``, changes the state, writes the audit record, queues
notifications and flushes; the caller commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from decimal import Decimal
from decimal import InvalidOperation

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update

from coordination.core import audit
from coordination.core import messages
from coordination.core.errors import Conflict
from coordination.core.errors import Forbidden
from coordination.core.errors import NotFound
from coordination.core.models.base import utcnow
from coordination.core.transactions import insert_once
from coordination.core.workflow import invalid
from coordination.extensions import db
from coordination.needs.enums import NeedStatus
from coordination.needs.models import Category
from coordination.needs.models import Need
from coordination.needs.operations import move_by_project
from coordination.needs.photos import store_photo
from coordination.needs.rules import NeedStep
from coordination.places.enums import PlaceKind
from coordination.places.models import MemberUnit
from coordination.places.models import Place
from coordination.places.models import ProfessionalCommittee
from coordination.projects import permissions
from coordination.projects import queries
from coordination.projects.enums import FundingSource
from coordination.projects.enums import ProjectStatus
from coordination.projects.enums import VoteChoice
from coordination.projects.models import CouncilVote
from coordination.projects.models import ProgressPhoto
from coordination.projects.models import ProgressReport
from coordination.projects.models import Project
from coordination.projects.models import ProjectFunding
from coordination.projects.models import ProjectPartner
from coordination.projects.rules import PROJECT_WORKFLOW
from coordination.projects.rules import ProjectStep
from coordination.projects.rules import conflict_message


@dataclass
class ProjectInput:
    title: str
    description: str
    category_id: int | None
    place_id: int | None
    need_ids: list[int]
    budget: Decimal | str | float | None
    planned_start: date | None
    planned_end: date | None
    committee_id: int | None = None
    goals: str | None = None
    expected_beneficiaries: int | None = None
    volunteer_places: int | None = None
    funding: list[dict] = field(default_factory=list)  # [{source, amount, note}]


MAX_MONEY = Decimal("9999999999.99")  # NUMERIC(12, 2)
MAX_HOURS = Decimal("99999999.9")  # NUMERIC(10, 1)


def _money(value, maximum: Decimal = MAX_MONEY) -> Decimal | None:
    """A non-negative amount within ``maximum``, or None when it is not one."""
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return amount if amount.is_finite() and 0 <= amount <= maximum else None


def _validate(data: ProjectInput, project: Project | None = None) -> dict:
    errors: dict[str, str] = {}
    values: dict = {}
    title = (data.title or "").strip()
    if not title:
        errors["title"] = _("This field is required.")
    elif len(title) > 120:
        errors["title"] = _("Use at most %(n)d characters.", n=120)
    if not (data.description or "").strip():
        errors["description"] = _("This field is required.")
    category = db.session.get(Category, data.category_id) if data.category_id else None
    if category is None:
        errors["category_id"] = _("Choose the category of the needs menu.")
    place = db.session.get(Place, data.place_id) if data.place_id else None
    if place is None or not place.active:
        errors["place_id"] = _("Choose the area, community or building of the project.")
    committee = None
    if data.committee_id:
        committee = db.session.get(ProfessionalCommittee, data.committee_id)
        if committee is None:
            errors["committee_id"] = _("There is no such professional committee.")
    budget = _money(data.budget)
    if budget is None or budget < 0:
        errors["budget"] = _("Enter the budget in yuan (0 or more).")
    if not data.planned_start:
        errors["planned_start"] = _("Enter a date as YYYY-MM-DD.")
    if not data.planned_end:
        errors["planned_end"] = _("Enter a date as YYYY-MM-DD.")
    elif data.planned_start and data.planned_end < data.planned_start:
        errors["planned_end"] = _("The project cannot end before it starts.")
    for name in ("expected_beneficiaries", "volunteer_places"):
        value = getattr(data, name)
        if value is not None and (not isinstance(value, int) or value < 0 or value > 10_000_000):
            errors[name] = _("Enter a whole number, 0 or more.")
    ids = list(dict.fromkeys(int(i) for i in data.need_ids or []))
    needs = db.session.scalars(select(Need).where(Need.id.in_(ids))).all() if ids else []
    if not ids:
        errors["need_ids"] = _("Build the project on at least one accepted need.")
    elif len(needs) != len(ids):
        errors["need_ids"] = _("Some of these needs do not exist.")
    else:
        linked = {n.id for n in project.needs} if project else set()
        unusable = [n for n in needs if n.hidden or (n.status != NeedStatus.ACCEPTED and n.id not in linked)]
        if unusable:
            errors["need_ids"] = _("Only accepted needs from the needs menu can become projects: %(ids)s",
                                   ids=", ".join(f"#{n.id}" for n in unusable))
    funding = []
    for index, item in enumerate(data.funding or []):
        amount = _money(item.get("amount"))
        if item.get("source") not in {s.value for s in FundingSource}:
            errors[f"funding.{index}.source"] = _("Choose one of: %(choices)s",
                                                  choices=FundingSource.label_list())
        elif amount is None or amount < 0:
            errors[f"funding.{index}.amount"] = _("Enter the amount in yuan (0 or more).")
        else:
            funding.append(ProjectFunding(source=FundingSource(item["source"]), amount=amount,
                                          note=(item.get("note") or "")[:200] or None))
    if funding and budget is not None and sum(f.amount for f in funding) != budget:
        errors["funding"] = _("The sources add up to %(sum)s yuan, but the budget is %(budget)s yuan.",
                              sum=sum(f.amount for f in funding), budget=budget)
    if errors:
        raise invalid(errors)
    area_id = place.id if place.kind == PlaceKind.AREA else place.area_id
    values.update(title=title, description=data.description.strip(), goals=(data.goals or "").strip() or None,
                  category=category, place=place, area_id=area_id, committee=committee, budget=budget,
                  planned_start=data.planned_start, planned_end=data.planned_end,
                  expected_beneficiaries=data.expected_beneficiaries, volunteer_places=data.volunteer_places,
                  needs=needs, funding=funding)
    return values


def create_project(staff, data: ProjectInput) -> Project:
    if not permissions.can_create(staff):
        raise Forbidden(_("Only association staff draft projects."))
    values = _validate(data)
    project = Project(status=ProjectStatus.DRAFT, created_by_id=staff.id, **values)
    db.session.add(project)
    db.session.flush()
    audit.record(staff, "project.create", project, to_state=ProjectStatus.DRAFT)
    return project


UPDATED_FIELDS = ["title", "description", "goals", "category_id", "place_id", "committee_id", "budget",
                  "planned_start", "planned_end", "expected_beneficiaries", "volunteer_places"]


def update_project(staff, project: Project, data: ProjectInput) -> Project:
    PROJECT_WORKFLOW.check(staff, project, ProjectStep.UPDATE)
    values = _validate(data, project)
    before = audit.snapshot(project, UPDATED_FIELDS)
    for name, value in values.items():
        setattr(project, name, value)
    db.session.flush()
    PROJECT_WORKFLOW.take(staff, project, ProjectStep.UPDATE, check=False,
                          details=audit.changed_fields(project, UPDATED_FIELDS, before) or None)
    return project


def _locked(project_id: int) -> Project:
    project = db.session.scalar(select(Project).where(Project.id == project_id).with_for_update()
                                .execution_options(populate_existing=True))
    if project is None:
        raise NotFound(_("There is no such project."))
    return project


def _checked(user, project_id: int, step: ProjectStep) -> Project:
    """The project, locked, once ``user`` may take ``step`` on it now."""
    project = _locked(project_id)
    PROJECT_WORKFLOW.check(user, project, step)
    return project


# ----------------------------------------------------------------------------- council

def propose_project(staff, project_id: int) -> Project:
    """Staff put a draft before the council of its area (a new voting round)."""
    project = _checked(staff, project_id, ProjectStep.PROPOSE)
    stale = [n for n in project.needs if n.status != NeedStatus.ACCEPTED or n.hidden]
    if stale:
        raise Conflict(_("These needs are no longer in the needs menu: %(ids)s",
                         ids=", ".join(f"#{n.id}" for n in stale)), current_status=project.status.value)
    PROJECT_WORKFLOW.take(staff, project, ProjectStep.PROPOSE, check=False,
                          apply=lambda: setattr(project, "round", project.round + 1))
    return project


def tally(project: Project, round_: int | None = None) -> dict[str, int]:
    rows = db.session.execute(
        select(CouncilVote.vote, func.count()).where(CouncilVote.project_id == project.id,
                                                     CouncilVote.round == (round_ or project.round))
        .group_by(CouncilVote.vote)).all()
    counts = {choice.value: 0 for choice in VoteChoice}
    counts.update({vote.value: count for vote, count in rows})
    return counts


def vote_on_project(member, project_id: int, choice: VoteChoice | None,
                    comment: str | None = None) -> tuple[Project, dict]:
    """A council member votes once per round; the tally may resolve or reject the project.
    (``choice`` None: the form came without one.)"""
    project = _checked(member, project_id, ProjectStep.VOTE)
    if choice is None:
        raise invalid({"vote": _("Choose approve, reject or abstain.")})
    council = queries.council_members(project)
    if member.id not in {m.id for m in council}:
        raise Forbidden(_("Only members of this area's council vote on its projects."))
    insert_once(CouncilVote(project_id=project.id, round=project.round, voter_id=member.id, vote=choice,
                            comment=(comment or "").strip() or None),
                _("You have already voted in this round."), current_status=project.status.value)
    PROJECT_WORKFLOW.take(member, project, ProjectStep.VOTE, comment, check=False,
                          details={"vote": choice.value, "round": project.round})
    counts = tally(project)
    threshold = current_app.config["COUNCIL_THRESHOLD"] * len(council)
    if counts["approve"] > threshold:
        PROJECT_WORKFLOW.take(None, project, ProjectStep.RESOLVE, note=messages.note(
            "project.approvals", n=counts["approve"], size=len(council)))
    elif counts["reject"] > threshold:
        PROJECT_WORKFLOW.take(None, project, ProjectStep.COUNCIL_REJECT, note=messages.note(
            "project.rejections", n=counts["reject"], size=len(council)))
    return project, counts


# ----------------------------------------------------------------------------- committee

def approve_project(committee, project_id: int, comment: str | None = None) -> Project:
    """The community Party committee approves a resolution: the project is published for
    member units to claim, and its needs are now in a project."""
    project = _checked(committee, project_id, ProjectStep.APPROVE)
    PROJECT_WORKFLOW.take(committee, project, ProjectStep.APPROVE, comment, check=False)
    for need in project.needs:
        if need.status == NeedStatus.ACCEPTED:
            move_by_project(committee, need, NeedStep.ENTER_PROJECT,
                            messages.note("need.project_approved", title=project.title))
    return project


def return_project(committee, project_id: int, comment: str | None) -> Project:
    """The committee returns a resolution to the association as a draft, saying why."""
    project = _checked(committee, project_id, ProjectStep.RETURN)
    PROJECT_WORKFLOW.take(committee, project, ProjectStep.RETURN, comment, check=False)
    return project


def reject_project(committee, project_id: int, comment: str | None) -> Project:
    """The committee does not approve a resolution, saying why."""
    project = _checked(committee, project_id, ProjectStep.REJECT)
    PROJECT_WORKFLOW.take(committee, project, ProjectStep.REJECT, comment, check=False)
    return project


def decide(committee, project_id: int, step: ProjectStep | None, comment: str | None) -> Project:
    """The decision form and the API's decision route offer the committee's three steps as one
    choice (``step`` None: the form came without one)."""
    if step is ProjectStep.APPROVE:
        return approve_project(committee, project_id, comment)
    if step is ProjectStep.RETURN:
        return return_project(committee, project_id, comment)
    if step is ProjectStep.REJECT:
        return reject_project(committee, project_id, comment)
    PROJECT_WORKFLOW.check_role(committee, ProjectStep.APPROVE)  # the role first, then its choice
    raise invalid({"decision": _("Choose approve, return or reject.")})


# ----------------------------------------------------------------------------- delivery

def claim_project(rep, project_id: int, note: str | None = None) -> Project:
    """The first claim wins: one conditional UPDATE decides, so of any number of
    simultaneous claims exactly one succeeds; the others learn who holds it."""
    project = db.session.get(Project, project_id)
    if project is None:
        raise NotFound(_("There is no such project."))
    PROJECT_WORKFLOW.check_role(rep, ProjectStep.CLAIM)
    PROJECT_WORKFLOW.check_guard(rep, project, ProjectStep.CLAIM)
    now = utcnow()
    result = db.session.execute(
        update(Project)
        .where(Project.id == project_id, Project.status == ProjectStatus.PUBLISHED, Project.lead_unit_id.is_(None))
        .values(status=ProjectStatus.CLAIMED, lead_unit_id=rep.unit_id, claimed_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(project)
    if result.rowcount != 1:
        db.session.refresh(project)
        if project.lead_unit is not None:
            raise Conflict(_("Already claimed by %(unit)s.", unit=project.lead_unit.name),
                           current_status=project.status.value,
                           lead_unit={"id": project.lead_unit.id, "name": project.lead_unit.name})
        raise Conflict(conflict_message(project), current_status=project.status.value)
    db.session.refresh(project)
    unit = project.lead_unit
    PROJECT_WORKFLOW.taken(rep, project, ProjectStep.CLAIM, ProjectStatus.PUBLISHED, note,
                           details={"unit": unit.name, "unit_id": unit.id}, params={"unit": unit.name})
    return project


def join_project(rep, project_id: int) -> ProjectPartner:
    """Another member unit joins a claimed project as a partner (once)."""
    project = _checked(rep, project_id, ProjectStep.JOIN)
    if rep.unit_id == project.lead_unit_id:
        raise Conflict(_("Your unit already leads this project."), current_status=project.status.value)
    existing = db.session.scalar(select(ProjectPartner).where(ProjectPartner.project_id == project.id,
                                                             ProjectPartner.unit_id == rep.unit_id))
    if existing is not None:
        return existing
    partner = ProjectPartner(project_id=project.id, unit_id=rep.unit_id, joined_by_id=rep.id)
    db.session.add(partner)
    db.session.flush()
    PROJECT_WORKFLOW.take(rep, project, ProjectStep.JOIN, check=False,
                          details={"unit": db.session.get(MemberUnit, rep.unit_id).name})
    return partner


def release_project(staff, project_id: int, reason: str) -> Project:
    """Staff release a claim the unit cannot deliver: the project is open to claim again."""
    project = _checked(staff, project_id, ProjectStep.RELEASE)

    def unclaim() -> None:
        db.session.execute(delete(ProjectPartner).where(ProjectPartner.project_id == project.id))
        project.lead_unit_id, project.claimed_at = None, None

    with db.session.no_autoflush:  # the lead unit and the status change together
        PROJECT_WORKFLOW.take(staff, project, ProjectStep.RELEASE, reason, check=False, apply=unclaim,
                              params={"reason": (reason or "").strip()})
    return project


@dataclass
class ProgressInput:
    percent: int
    note: str
    participant_units: int = 0
    party_members: int = 0
    volunteers: int = 0
    volunteer_hours: Decimal | float | int = 0
    beneficiaries_residents: int = 0
    beneficiaries_workers: int = 0
    spent: Decimal | float | int | str = 0


def report_progress(rep, project_id: int, data: ProgressInput, photos: list[bytes] | None = None) -> ProgressReport:
    """The lead unit reports how far the project is, with what it took and whom it served."""
    project = _checked(rep, project_id, ProjectStep.PROGRESS)
    errors = {}
    if not isinstance(data.percent, int) or not 0 <= data.percent <= 100:
        errors["percent"] = _("Enter a percentage from 0 to 100.")
    if not (data.note or "").strip():
        errors["note"] = _("This field is required.")
    for name in ("participant_units", "party_members", "volunteers", "beneficiaries_residents",
                 "beneficiaries_workers"):
        value = getattr(data, name)
        if not isinstance(value, int) or value < 0 or value > 10_000_000:
            errors[name] = _("Enter a whole number, 0 or more.")
    hours, spent = _money(data.volunteer_hours, MAX_HOURS), _money(data.spent)
    if hours is None or hours < 0:
        errors["volunteer_hours"] = _("Enter a number, 0 or more.")
    if spent is None or spent < 0:
        errors["spent"] = _("Enter the amount in yuan (0 or more).")
    if errors:
        raise invalid(errors)
    report = ProgressReport(
        project_id=project.id, unit_id=rep.unit_id, reporter_id=rep.id, percent=data.percent,
        note=data.note.strip(), participant_units=data.participant_units, party_members=data.party_members,
        volunteers=data.volunteers, volunteer_hours=hours, beneficiaries_residents=data.beneficiaries_residents,
        beneficiaries_workers=data.beneficiaries_workers, spent=spent,
    )
    for photo in photos or []:
        report.photos.append(ProgressPhoto(**store_photo(photo)))
    db.session.add(report)
    project.progress_percent = data.percent
    db.session.flush()
    PROJECT_WORKFLOW.take(rep, project, ProjectStep.PROGRESS, check=False,
                          details={"percent": data.percent, "spent": str(spent)})
    return report


def complete_project(rep, project_id: int, report: str) -> Project:
    """The lead unit completes the project with its completion report; its needs are fulfilled."""
    project = _checked(rep, project_id, ProjectStep.COMPLETE)
    if not (report or "").strip():
        raise invalid({"report": _("Write the completion report.")})

    def finish() -> None:
        project.completion_report = report.strip()
        project.completed_at = utcnow()
        project.progress_percent = 100

    PROJECT_WORKFLOW.take(rep, project, ProjectStep.COMPLETE, check=False, apply=finish,
                          note=messages.note("project.completion_submitted"))
    for need in project.needs:
        if need.status == NeedStatus.IN_PROJECT:
            move_by_project(rep, need, NeedStep.FULFIL, messages.note("need.project_completed", title=project.title))
    return project
