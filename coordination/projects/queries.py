"""Reading projects: the project list, queues for the council and the committee, totals."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_
from sqlalchemy import exists
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import lazyload
from sqlalchemy.orm import selectinload

from coordination.accounts.models import User
from coordination.accounts.queries import users_with
from coordination.core import search
from coordination.core.enums import Role
from coordination.core.loading import visible
from coordination.core.models import AuditRecord
from coordination.core.paging import Page
from coordination.core.paging import SortKey
from coordination.core.paging import count
from coordination.core.paging import keyset_page
from coordination.extensions import db
from coordination.needs.models import NeedFollower
from coordination.needs.queries import search_terms
from coordination.needs.queries import text_search
from coordination.places.models import Association
from coordination.places.models import CouncilMember
from coordination.places.models import MemberUnit
from coordination.places.models import Place
from coordination.projects import figures
from coordination.projects import permissions
from coordination.projects.enums import ProjectStatus
from coordination.projects.enums import VoteChoice
from coordination.projects.models import CouncilVote
from coordination.projects.models import ProgressReport
from coordination.projects.models import Project
from coordination.projects.models import ProjectNeed
from coordination.projects.models import ProjectPartner

ACTIVE = (ProjectStatus.PUBLISHED, ProjectStatus.CLAIMED)
SORT = [SortKey(Project.updated_at, True, datetime), SortKey(Project.id, True)]


def visible_project(user, project_id: int, *options) -> Project:
    """The project ``user`` may see (drafts and proposals are internal), or ``NotFound``."""
    return visible(Project, project_id, user, permissions.can_view, _("There is no such project."), *options)


@dataclass
class ProjectFilter:
    status: list[str] = field(default_factory=list)
    category_id: int | None = None
    place_id: int | None = None  # an area, community or building
    unit_id: int | None = None  # lead or partner
    unit_ids: list[int] | None = None  # the units whose name matched the typed text (lead or partner)
    committee_id: int | None = None
    q: str | None = None
    overdue: bool = False
    internal: bool = False  # may see drafts and proposals


def filtered(f: ProjectFilter):
    query = select(Project).where(Project.status.in_(_statuses(f)))
    if f.category_id:
        query = query.where(Project.category_id == f.category_id)
    if f.place_id:
        place = db.session.get(Place, f.place_id)
        if place is not None and place.area_id is None:
            query = query.where(Project.area_id == place.id)
        else:
            query = query.where(Project.place_id == f.place_id)
    if f.unit_id:
        partner = exists().where(ProjectPartner.project_id == Project.id, ProjectPartner.unit_id == f.unit_id)
        query = query.where(or_(Project.lead_unit_id == f.unit_id, partner))
    if f.unit_ids is not None:
        partner = exists().where(ProjectPartner.project_id == Project.id, ProjectPartner.unit_id.in_(f.unit_ids))
        query = query.where(or_(Project.lead_unit_id.in_(f.unit_ids), partner))
    if f.committee_id:
        query = query.where(Project.committee_id == f.committee_id)
    if f.overdue:
        query = query.where(overdue_condition())
    if f.q:
        condition = text_search(Project, f.q, Project.title, Project.description)
        if condition is not None:
            query = query.where(condition)
    return query


def _statuses(f: ProjectFilter) -> list[ProjectStatus]:
    allowed = list(ProjectStatus) if f.internal else list(ProjectStatus.public())
    wanted = [ProjectStatus(s) for s in f.status if s in {x.value for x in ProjectStatus}]
    return [s for s in (wanted or allowed) if s in allowed]


def list_total(f: ProjectFilter) -> tuple[int, bool]:
    """(projects matching the filter, capped?): the maintained tally when the filter maps
    onto it (status, category, area), else a count of ids."""
    area_id = None
    if f.place_id:
        place = db.session.get(Place, f.place_id)
        area_id = place.id if place is not None and place.area_id is None else None
    simple = not (f.q and search_terms(f.q)) and not (f.unit_id or f.unit_ids is not None or f.committee_id or f.overdue)
    if simple and (not f.place_id or area_id):
        return figures.tally(statuses=_statuses(f), category_id=f.category_id, area_id=area_id)[None], False
    return count(filtered(f), cap=search.SEARCH_TOTAL_CAP if f.q else None)


def project_page(f: ProjectFilter, page: int, per_page: int, after: str | None = None, *,
                 with_details: bool = False) -> Page:
    """One page of the list, newest change first, by number or after a cursor (``BadCursor``).
    The cards show the category, area, committee, lead unit and number of partners;
    ``with_details`` also loads the partner units, linked needs and funding (the API's answer)."""
    partners = selectinload(Project.partners)
    options = (selectinload(Project.category), selectinload(Project.lead_unit), selectinload(Project.area),
               selectinload(Project.committee))
    if with_details:
        options += (partners.selectinload(ProjectPartner.unit), selectinload(Project.needs),
                    selectinload(Project.funding))
    else:
        options += (partners,)
    total, capped = list_total(f)
    return keyset_page(filtered(f), sort="updated", keys=SORT, page=page, per_page=max(1, min(per_page, 100)),
                       after=after, total=total, total_capped=capped, options=options)


@dataclass
class ListDetails:
    """What a list of projects shows beyond their own rows, fetched for the whole page at once."""

    history: dict[int, list[AuditRecord]] = field(default_factory=dict)
    tally: dict[int, dict[str, int]] = field(default_factory=dict)
    votes: dict[int, list[CouncilVote]] = field(default_factory=dict)


def list_details(projects: list[Project], *, see_votes: bool) -> ListDetails:
    """Status histories, current-round tallies and votes of a page of projects (3 queries)."""
    ids = [p.id for p in projects]
    details = ListDetails(history={pid: [] for pid in ids})
    if not ids:
        return details
    for record in db.session.scalars(_history_query().where(AuditRecord.object_id.in_(ids))):
        details.history[record.object_id].append(record)
    if see_votes:
        details.votes = {pid: [] for pid in ids}
        rounds = {p.id: p.round for p in projects}
        for vote in db.session.scalars(select(CouncilVote).where(CouncilVote.project_id.in_(ids))
                                       .options(selectinload(CouncilVote.voter))
                                       .order_by(CouncilVote.project_id, CouncilVote.round, CouncilVote.id)):
            details.votes[vote.project_id].append(vote)
        for pid in ids:
            counts = {choice.value: 0 for choice in VoteChoice}
            for vote in details.votes[pid]:
                if vote.round == rounds[pid]:
                    counts[vote.vote.value] += 1
            details.tally[pid] = counts
    return details


def is_overdue(project: Project, today: date | None = None) -> bool:
    """Overdue: open to claim or under way, and past its planned end."""
    return project.status in ACTIVE and project.planned_end < (today or date.today())


def overdue_condition(today: date | None = None):
    """``is_overdue`` as an SQL condition on the projects table."""
    return and_(Project.status.in_(ACTIVE), Project.planned_end < (today or date.today()))


def council_queue(user) -> list[Project]:
    """Proposals awaiting this council member's vote in the current round."""
    voted = exists().where(CouncilVote.project_id == Project.id, CouncilVote.round == Project.round,
                           CouncilVote.voter_id == user.id)
    return db.session.scalars(select(Project).where(Project.status == ProjectStatus.PROPOSED, ~voted)
                              .order_by(Project.updated_at)).all()


def by_status(status: ProjectStatus) -> list[Project]:
    return db.session.scalars(select(Project).where(Project.status == status).order_by(Project.updated_at)).all()


def overdue_projects() -> list[Project]:
    return db.session.scalars(select(Project).where(overdue_condition())
                              .options(selectinload(Project.lead_unit)).order_by(Project.planned_end)).all()


def votes(project: Project) -> list[CouncilVote]:
    return db.session.scalars(select(CouncilVote).where(CouncilVote.project_id == project.id)
                              .options(selectinload(CouncilVote.voter))
                              .order_by(CouncilVote.round, CouncilVote.id)).all()


def _history_query():
    # The history shows the recorded actor name; the actor row (and its roles) is not needed.
    return (select(AuditRecord).where(AuditRecord.object_type == "Project", AuditRecord.to_state.is_not(None))
            .options(lazyload(AuditRecord.actor)).order_by(AuditRecord.id))


def history(project: Project) -> list[AuditRecord]:
    return db.session.scalars(_history_query().where(AuditRecord.object_id == project.id)).all()


def totals(project_ids: list[int] | None = None) -> dict:
    """Sums over progress reports (spending, people, hours) per project, in one query."""
    query = select(
        ProgressReport.project_id,
        func.coalesce(func.sum(ProgressReport.spent), 0),
        func.coalesce(func.sum(ProgressReport.volunteer_hours), 0),
        func.coalesce(func.sum(ProgressReport.party_members), 0),
        func.coalesce(func.sum(ProgressReport.volunteers), 0),
        func.coalesce(func.sum(ProgressReport.beneficiaries_residents), 0),
        func.coalesce(func.sum(ProgressReport.beneficiaries_workers), 0),
    ).group_by(ProgressReport.project_id)
    if project_ids is not None:
        query = query.where(ProgressReport.project_id.in_(project_ids))
    out = {}
    for pid, spent, hours, party, volunteers, residents, workers in db.session.execute(query):
        out[pid] = {"spent": spent, "volunteer_hours": hours, "party_members": party, "volunteers": volunteers,
                    "beneficiaries": residents + workers, "beneficiaries_residents": residents,
                    "beneficiaries_workers": workers}
    return out


EMPTY_TOTALS = {"spent": 0, "volunteer_hours": 0, "party_members": 0, "volunteers": 0, "beneficiaries": 0,
                "beneficiaries_residents": 0, "beneficiaries_workers": 0}


UNIT_MATCHES = 50  # units a typed name may stand for in the list's filter
UNIT_SUGGESTIONS = 20


def units_named(text: str, limit: int = UNIT_MATCHES) -> list[MemberUnit]:
    """The active member units called ``text``, or (none is) whose name contains it, by name;
    at most ``limit`` (the filter of the project list reads a few, never all 10,000)."""
    exact = db.session.scalars(select(MemberUnit).where(MemberUnit.active, MemberUnit.name == text)).all()
    if exact:
        return list(exact)
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return list(db.session.scalars(select(MemberUnit).where(MemberUnit.active, MemberUnit.name.like(pattern, escape="\\"))
                                   .order_by(MemberUnit.name).limit(limit)))


def unit_projects(unit_id: int) -> list[Project]:
    partner = exists().where(ProjectPartner.project_id == Project.id, ProjectPartner.unit_id == unit_id)
    return db.session.scalars(select(Project).where(or_(Project.lead_unit_id == unit_id, partner))
                              .order_by(Project.updated_at.desc())).all()


def need_project_ids(need_ids: list[int], internal: bool = False) -> dict[int, int]:
    """For each need, the newest project built on it that was not rejected (only projects in
    the public list unless ``internal``)."""
    statuses = [s for s in ProjectStatus if s != ProjectStatus.REJECTED] if internal else list(ProjectStatus.public())
    rows = db.session.execute(
        select(ProjectNeed.need_id, func.max(ProjectNeed.project_id))
        .join(Project, and_(Project.id == ProjectNeed.project_id, Project.status.in_(statuses)))
        .where(ProjectNeed.need_id.in_(need_ids)).group_by(ProjectNeed.need_id)).all()
    return dict(rows)


# ----------------------------------------------------------------------------- who is told

def need_followers(project: Project) -> list[User]:
    """The people who follow any need the project is built on."""
    return db.session.scalars(
        select(User).join(NeedFollower, NeedFollower.user_id == User.id)
        .join(ProjectNeed, ProjectNeed.need_id == NeedFollower.need_id)
        .where(ProjectNeed.project_id == project.id).distinct()).all()


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
    return members or users_with(Role.COUNCIL)


def area_unit_reps(project: Project) -> list[User]:
    """The representatives of the active member units of the project's area."""
    area_units = select(MemberUnit.id).where(MemberUnit.area_id == project.area_id, MemberUnit.active)
    return users_with(Role.UNIT_REP, where=(User.unit_id.in_(area_units),))


def lead_unit_reps(project: Project) -> list[User]:
    if project.lead_unit_id is None:
        return []
    return users_with(Role.UNIT_REP, where=(User.unit_id == project.lead_unit_id,))
