"""Project operations: draft, propose, vote, decide, claim, join, release, report, complete.

Each checks the step against ``rules``, changes the state, writes the audit record, queues
notifications and flushes; the caller commits once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from coordination.accounts.models import User
from coordination.core import audit
from coordination.core.enums import FundingSource, NeedStatus, PlaceKind, ProjectStatus, Role, VoteChoice
from coordination.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from coordination.core import messages
from coordination.core.models.base import utcnow
from coordination.core.notifications import notify
from coordination.core.permissions import has_role
from coordination.extensions import db
from coordination.needs.models import Category, Need, NeedFollower
from coordination.needs.operations import set_status_by_project
from coordination.places.models import Association, CouncilMember, MemberUnit, Place, ProfessionalCommittee
from coordination.projects import permissions, rules
from coordination.projects.models import CouncilVote, ProgressReport, Project, ProjectFunding, ProjectPartner


def project_link(project: Project) -> str:
    return f"/projects/{project.id}"


def _invalid(fields: dict) -> InvalidInput:
    return InvalidInput(_("Please correct the marked fields."), fields=fields)


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
        raise _invalid(errors)
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


def update_project(staff, project: Project, data: ProjectInput) -> Project:
    rules.check_action(staff, project, "edit")
    values = _validate(data, project)
    fields = ["title", "description", "goals", "category_id", "place_id", "committee_id", "budget",
              "planned_start", "planned_end", "expected_beneficiaries", "volunteer_places"]
    before = audit.snapshot(project, fields)
    for name, value in values.items():
        setattr(project, name, value)
    db.session.flush()
    audit.record(staff, "project.update", project, details=audit.changed_fields(project, fields, before) or None)
    return project


def _locked(project_id: int) -> Project:
    project = db.session.scalar(select(Project).where(Project.id == project_id).with_for_update()
                             .execution_options(populate_existing=True))
    if project is None:
        raise NotFound(_("There is no such project."))
    return project


def _transition(actor, project: Project, step_name: str, comment: str | None = None, *,
                system_note: dict | None = None) -> None:
    """``comment``: what the person typed; ``system_note``: the system's own words
    (``coordination.core.messages.note``), rendered in the reader's language."""
    step = rules.check_step(actor, project, step_name) if actor is not None else rules.step(step_name)
    comment = (comment or "").strip() or None
    if step.needs_comment and not comment and system_note is None:
        raise _invalid({"comment": _("Please give a reason or a comment.")})
    before = project.status
    project.status = step.target
    db.session.flush()
    audit.record(actor, f"project.{step_name}", project, from_state=before, to_state=step.target, comment=comment,
                 note=system_note)
    notify(_need_followers(project), "project.status", exclude=actor, link=project_link(project),
           title=project.title, status=step.target.value)


def _need_followers(project: Project):
    need_ids = [n.id for n in project.needs]
    if not need_ids:
        return []
    return db.session.scalars(select(User).join(NeedFollower, NeedFollower.user_id == User.id)
                              .where(NeedFollower.need_id.in_(need_ids)).distinct()).all()


def _users_with(role: Role, *conditions):
    return db.session.scalars(select(User).where(User.active, User.role_links.any(role=role), *conditions)).all()


# ----------------------------------------------------------------------------- council

def association_of(project: Project) -> Association | None:
    return db.session.scalar(select(Association).where(Association.area_id == project.area_id))


def council_members(project: Project) -> list[User]:
    """The active council that votes on this project: its area's association council."""
    association = association_of(project)
    query = (select(User).join(CouncilMember, CouncilMember.user_id == User.id)
             .where(CouncilMember.active, User.active, User.role_links.any(role=Role.COUNCIL)))
    if association is not None:
        query = query.where(CouncilMember.association_id == association.id)
    members = db.session.scalars(query.distinct()).all()
    return members or _users_with(Role.COUNCIL)


def propose(staff, project_id: int) -> Project:
    project = _locked(project_id)
    rules.check_step(staff, project, "propose")
    stale = [n for n in project.needs if n.status != NeedStatus.ACCEPTED or n.hidden]
    if stale:
        raise Conflict(_("These needs are no longer in the needs menu: %(ids)s",
                         ids=", ".join(f"#{n.id}" for n in stale)), current_status=project.status.value)
    project.round += 1
    _transition(staff, project, "propose")
    notify(council_members(project), "project.vote_needed", link=project_link(project), title=project.title)
    return project


def tally(project: Project, round_: int | None = None) -> dict[str, int]:
    rows = db.session.execute(
        select(CouncilVote.vote, func.count()).where(CouncilVote.project_id == project.id,
                                                     CouncilVote.round == (round_ or project.round))
        .group_by(CouncilVote.vote)).all()
    counts = {choice.value: 0 for choice in VoteChoice}
    counts.update({vote.value: count for vote, count in rows})
    return counts


def vote(member, project_id: int, choice: str, comment: str | None = None) -> tuple[Project, dict]:
    """A council member votes once per round; the tally may resolve or reject the project."""
    project = _locked(project_id)
    rules.check_action(member, project, "vote")
    if choice not in {c.value for c in VoteChoice}:
        raise _invalid({"vote": _("Choose approve, reject or abstain.")})
    council = council_members(project)
    if member.id not in {m.id for m in council}:
        raise Forbidden(_("Only members of this area's council vote on its projects."))
    savepoint = db.session.begin_nested()
    try:
        db.session.add(CouncilVote(project_id=project.id, round=project.round, voter_id=member.id,
                                   vote=VoteChoice(choice), comment=(comment or "").strip() or None))
        db.session.flush()
        savepoint.commit()
    except IntegrityError:
        savepoint.rollback()
        raise Conflict(_("You have already voted in this round."), current_status=project.status.value) from None
    audit.record(member, "project.vote", project, comment=comment, details={"vote": choice, "round": project.round})
    counts = tally(project)
    threshold = current_app.config["COUNCIL_THRESHOLD"] * len(council)
    if counts["approve"] > threshold:
        _transition(None, project, "resolve", system_note=messages.note("project.approvals", n=counts["approve"],
                                                                size=len(council)))
        notify(_users_with(Role.COMMUNITY_COMMITTEE), "project.decision_needed", link=project_link(project),
               title=project.title)
    elif counts["reject"] > threshold:
        _transition(None, project, "council_reject", system_note=messages.note("project.rejections", n=counts["reject"],
                                                                       size=len(council)))
        notify(_users_with(Role.STAFF), "project.status", link=project_link(project), title=project.title,
               status=ProjectStatus.REJECTED.value)
    return project, counts


# ----------------------------------------------------------------------------- committee

def decide(committee, project_id: int, decision: str, comment: str | None) -> Project:
    project = _locked(project_id)
    steps = {"approve": "approve", "return": "return", "reject": "reject"}
    if decision not in steps:
        if not has_role(committee, *rules.step("approve").roles):
            raise Forbidden(_("Your role may not do this."))  # the role first, then its choice
        raise _invalid({"decision": _("Choose approve, return or reject.")})
    _transition(committee, project, steps[decision], comment)
    if decision == "approve":
        for need in project.needs:
            if need.status == NeedStatus.ACCEPTED:
                set_status_by_project(committee, need, NeedStatus.IN_PROJECT,
                                      messages.note("need.project_approved", title=project.title))
        area_units = select(MemberUnit.id).where(MemberUnit.area_id == project.area_id, MemberUnit.active)
        notify(_users_with(Role.UNIT_REP, User.unit_id.in_(area_units)), "project.published",
               link=project_link(project), title=project.title)
    else:
        notify(_users_with(Role.STAFF), "project.status", exclude=committee, link=project_link(project),
               title=project.title, status=project.status.value)
    return project


# ----------------------------------------------------------------------------- delivery

def claim(rep, project_id: int, note: str | None = None) -> Project:
    """The first claim wins: one conditional UPDATE decides, so of any number of
    simultaneous claims exactly one succeeds; the others learn who holds it."""
    project = db.session.get(Project, project_id)
    if project is None:
        raise NotFound(_("There is no such project."))
    if not has_role(rep, Role.UNIT_REP):
        raise Forbidden(_("Your role may not do this."))
    if rep.unit_id is None:
        raise Forbidden(_("Your account is not linked to a member unit."))
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
        raise Conflict(_("The project is “%(status)s”; this step is not possible now.", status=project.status.label),
                       current_status=project.status.value)
    db.session.refresh(project)
    audit.record(rep, "project.claim", project, from_state=ProjectStatus.PUBLISHED, to_state=ProjectStatus.CLAIMED,
                 comment=(note or "").strip() or None,
                 details={"unit": project.lead_unit.name, "unit_id": project.lead_unit_id})
    notify(_users_with(Role.STAFF) + _need_followers(project), "project.claimed", exclude=rep,
           link=project_link(project), title=project.title, unit=project.lead_unit.name)
    return project


def join(rep, project_id: int) -> ProjectPartner:
    project = _locked(project_id)
    rules.check_action(rep, project, "join")
    if rep.unit_id is None:
        raise Forbidden(_("Your account is not linked to a member unit."))
    if rep.unit_id == project.lead_unit_id:
        raise Conflict(_("Your unit already leads this project."), current_status=project.status.value)
    existing = db.session.scalar(select(ProjectPartner).where(ProjectPartner.project_id == project.id,
                                                             ProjectPartner.unit_id == rep.unit_id))
    if existing is not None:
        return existing
    partner = ProjectPartner(project_id=project.id, unit_id=rep.unit_id, joined_by_id=rep.id)
    db.session.add(partner)
    db.session.flush()
    audit.record(rep, "project.join", project, details={"unit": db.session.get(MemberUnit, rep.unit_id).name})
    return partner


def release(staff, project_id: int, reason: str) -> Project:
    project = _locked(project_id)
    rules.check_step(staff, project, "release")
    if not (reason or "").strip():
        raise _invalid({"comment": _("Please give a reason or a comment.")})
    former = project.lead_unit
    db.session.execute(delete(ProjectPartner).where(ProjectPartner.project_id == project.id))
    with db.session.no_autoflush:  # the lead unit and the status change together
        project.lead_unit_id, project.claimed_at = None, None
        _transition(staff, project, "release", reason)
    if former is not None:
        notify(_users_with(Role.UNIT_REP, User.unit_id == former.id), "project.released",
               link=project_link(project), title=project.title, reason=reason.strip())
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
    from coordination.needs.photos import store_photo
    from coordination.projects.models import ProgressPhoto

    project = _locked(project_id)
    rules.check_action(rep, project, "progress")
    if not permissions.is_lead_rep(rep, project):
        raise Forbidden(_("Only the lead unit reports progress."))
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
        raise _invalid(errors)
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
    audit.record(rep, "project.progress", project, details={"percent": data.percent, "spent": str(spent)})
    return report


def complete(rep, project_id: int, report: str) -> Project:
    project = _locked(project_id)
    rules.check_step(rep, project, "complete")
    if not permissions.is_lead_rep(rep, project):
        raise Forbidden(_("Only the lead unit completes the project."))
    if not (report or "").strip():
        raise _invalid({"report": _("Write the completion report.")})
    project.completion_report = report.strip()
    project.completed_at = utcnow()
    project.progress_percent = 100
    _transition(rep, project, "complete", system_note=messages.note("project.completion_submitted"))
    for need in project.needs:
        if need.status == NeedStatus.IN_PROJECT:
            set_status_by_project(rep, need, NeedStatus.FULFILLED,
                                  messages.note("need.project_completed", title=project.title))
    notify(_users_with(Role.STAFF), "project.status", exclude=rep, link=project_link(project),
           title=project.title, status=ProjectStatus.COMPLETED.value)
    return project
