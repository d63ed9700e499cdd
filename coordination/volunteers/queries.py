"""Reads of the volunteers module: a person's profile and sign-ups, a project's roster, the
directory, the teams, and what the volunteers gave to a unit. One loader per object: the
object, or ``NotFound``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import distinct
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.accounts.models import User
from coordination.core.errors import NotFound
from coordination.extensions import db
from coordination.places.models import Place
from coordination.projects.models import Project
from coordination.volunteers.enums import SignupStatus
from coordination.volunteers.models import ServicePoint
from coordination.volunteers.models import VolunteerHours
from coordination.volunteers.models import VolunteerProfile
from coordination.volunteers.models import VolunteerProfileSkill
from coordination.volunteers.models import VolunteerSignup
from coordination.volunteers.models import VolunteerSkill
from coordination.volunteers.models import VolunteerTeam

# ----------------------------------------------------------------------------- profiles and skills


def profile_of(user) -> VolunteerProfile | None:
    """The person's volunteer profile, if they have one."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == user.id)
                             .options(selectinload(VolunteerProfile.skills), selectinload(VolunteerProfile.team)))


def own_profile(user) -> VolunteerProfile:
    profile = profile_of(user)
    if profile is None:
        raise NotFound(_("You have no volunteer profile yet."))
    return profile


def skills(active_only: bool = True) -> list[VolunteerSkill]:
    """The administrator's list of skills, in its order."""
    query = select(VolunteerSkill).order_by(VolunteerSkill.position, VolunteerSkill.id)
    if active_only:
        query = query.where(VolunteerSkill.active)
    return list(db.session.scalars(query))


def active_teams() -> list[VolunteerTeam]:
    return list(db.session.scalars(select(VolunteerTeam).where(VolunteerTeam.active).order_by(VolunteerTeam.id)))


def team_of_place(place_id: int | None) -> VolunteerTeam | None:
    """The active team of a community, or of the first team with a service point in a building."""
    if place_id is None:
        return None
    team = db.session.scalar(select(VolunteerTeam).where(VolunteerTeam.community_id == place_id,
                                                         VolunteerTeam.active))
    if team is None:
        team = db.session.scalar(select(VolunteerTeam).join(ServicePoint, ServicePoint.team_id == VolunteerTeam.id)
                                 .where(ServicePoint.building_id == place_id, VolunteerTeam.active)
                                 .order_by(ServicePoint.slot, VolunteerTeam.id).limit(1))
    return team


@dataclass
class DirectoryFilter:
    skill: str | None = None  # a skill's code or name, or a word of the volunteers' own
    place_id: int | None = None  # the volunteers' community or building, or an area
    party_member: bool | None = None


def directory(f: DirectoryFilter, page: int, per_page: int):
    """The public profiles matching ``f``, most hours first (never with contact data)."""
    query = (select(VolunteerProfile).join(User, User.id == VolunteerProfile.user_id)
             .where(VolunteerProfile.public, User.active)
             .options(selectinload(VolunteerProfile.skills), selectinload(VolunteerProfile.team),
                      selectinload(VolunteerProfile.user))
             .order_by(VolunteerProfile.hours_total.desc(), VolunteerProfile.id))
    if f.skill:
        listed = (select(VolunteerProfileSkill.profile_id).join(VolunteerSkill)
                  .where(or_(VolunteerSkill.code == f.skill, VolunteerSkill.name == f.skill,
                             VolunteerSkill.name_en == f.skill)))
        query = query.where(or_(VolunteerProfile.id.in_(listed),
                                VolunteerProfile.other_skills.contains(f.skill, autoescape=True)))
    if f.place_id:
        in_area = select(Place.id).where(Place.area_id == f.place_id)
        query = query.where(or_(User.place_id == f.place_id, User.place_id.in_(in_area)))
    if f.party_member is not None:
        query = query.where(VolunteerProfile.party_member.is_(f.party_member))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


# ----------------------------------------------------------------------------- sign-ups


def places_taken(project_id: int) -> int:
    """How many sign-ups hold one of the project's volunteer places."""
    return db.session.scalar(select(func.count()).select_from(VolunteerSignup).where(
        VolunteerSignup.project_id == project_id,
        VolunteerSignup.status.in_(SignupStatus.taking_a_place()))) or 0


def places_left(project: Project) -> int:
    return max(0, (project.volunteer_places or 0) - places_taken(project.id))


def signup_of(profile: VolunteerProfile | None, project_id: int, *, locked: bool = False) -> VolunteerSignup | None:
    """The person's sign-up on the project, whatever its status (``locked``: see ``signup_on``)."""
    if profile is None:
        return None
    query = select(VolunteerSignup).where(VolunteerSignup.project_id == project_id,
                                          VolunteerSignup.profile_id == profile.id)
    if locked:
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)


def signup_on(project_id: int, signup_id: int, *, locked: bool = False) -> VolunteerSignup:
    """The sign-up of that project, or ``NotFound``. ``locked``: read afresh, its row locked
    until the commit, so a step taken on it at the same moment (a withdrawal, the lead's tick,
    the volunteer's scan) waits, and its status is checked after the other one's."""
    signup = db.session.get(VolunteerSignup, signup_id, with_for_update=locked, populate_existing=locked)
    if signup is None or signup.project_id != project_id:
        raise NotFound(_("There is no such sign-up on this project."))
    return signup


def roster(project_id: int) -> list[VolunteerSignup]:
    """The project's sign-ups with their volunteers, skills and hours: the ones holding a place
    first (checked in, then signed up), withdrawn ones last."""
    order = {SignupStatus.CHECKED_IN: 0, SignupStatus.SIGNED_UP: 1, SignupStatus.WITHDRAWN: 2}
    signups = db.session.scalars(
        select(VolunteerSignup).where(VolunteerSignup.project_id == project_id)
        .options(selectinload(VolunteerSignup.profile).selectinload(VolunteerProfile.user),
                 selectinload(VolunteerSignup.profile).selectinload(VolunteerProfile.skills),
                 selectinload(VolunteerSignup.hours))
        .order_by(VolunteerSignup.created_at, VolunteerSignup.id)).all()
    return sorted(signups, key=lambda s: order[s.status])


def my_signups(user) -> list[VolunteerSignup]:
    profile = profile_of(user)
    if profile is None:
        return []
    return list(db.session.scalars(select(VolunteerSignup).where(VolunteerSignup.profile_id == profile.id)
                                   .options(selectinload(VolunteerSignup.project))
                                   .order_by(VolunteerSignup.created_at.desc(), VolunteerSignup.id.desc())))


def signed_up_users(project_id: int) -> list[User]:
    """The people whose sign-up on the project holds a place (told when the project changes)."""
    return list(db.session.scalars(
        select(User).join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .join(VolunteerSignup, VolunteerSignup.profile_id == VolunteerProfile.id)
        .where(VolunteerSignup.project_id == project_id,
               VolunteerSignup.status.in_(SignupStatus.taking_a_place()))
        .order_by(User.id)))


def served_ids(project_id: int):
    """The ids of the people who served on the project (checked in, or with hours recorded), as
    a query to use inside another (the survey's invitations are chosen in SQL)."""
    with_hours = select(VolunteerHours.signup_id)
    return (select(VolunteerProfile.user_id)
            .join(VolunteerSignup, VolunteerSignup.profile_id == VolunteerProfile.id)
            .where(VolunteerSignup.project_id == project_id,
                   or_(VolunteerSignup.status == SignupStatus.CHECKED_IN, VolunteerSignup.id.in_(with_hours))))


# ----------------------------------------------------------------------------- teams


def teams() -> list[VolunteerTeam]:
    return list(db.session.scalars(
        select(VolunteerTeam).where(VolunteerTeam.active)
        .options(selectinload(VolunteerTeam.community),
                 selectinload(VolunteerTeam.service_points).selectinload(ServicePoint.building))
        .order_by(VolunteerTeam.id)))


def member_counts(team_ids: list[int]) -> dict[int, int]:
    if not team_ids:
        return {}
    return dict(db.session.execute(select(VolunteerProfile.team_id, func.count()).where(
        VolunteerProfile.team_id.in_(team_ids)).group_by(VolunteerProfile.team_id)).all())


def member_count(team_id: int) -> int:
    return member_counts([team_id]).get(team_id, 0)


def visible_team(team_id: int) -> VolunteerTeam:
    team = db.session.get(VolunteerTeam, team_id)
    if team is None or not team.active:
        raise NotFound(_("There is no such volunteer team."))
    return team


def public_members(team_id: int) -> list[VolunteerProfile]:
    return list(db.session.scalars(
        select(VolunteerProfile).join(User, User.id == VolunteerProfile.user_id)
        .where(VolunteerProfile.team_id == team_id, VolunteerProfile.public, User.active)
        .options(selectinload(VolunteerProfile.skills), selectinload(VolunteerProfile.user))
        .order_by(VolunteerProfile.hours_total.desc(), VolunteerProfile.id)))


def team_projects(team_id: int) -> list[tuple[Project, Decimal]]:
    """The projects the team's volunteers served on, with the team's hours there."""
    rows = db.session.execute(
        select(VolunteerSignup.project_id, func.sum(VolunteerHours.hours))
        .join(VolunteerSignup, VolunteerSignup.id == VolunteerHours.signup_id)
        .where(VolunteerHours.team_id == team_id).group_by(VolunteerSignup.project_id)).all()
    if not rows:
        return []
    projects = {p.id: p for p in db.session.scalars(select(Project).where(Project.id.in_([r[0] for r in rows])))}
    return sorted(((projects[pid], hours) for pid, hours in rows), key=lambda item: -item[0].id)


# ----------------------------------------------------------------------------- a unit's record


def unit_record(unit_id: int) -> dict:
    """The hours volunteers served on the projects the unit led, as recorded by it, and how
    many volunteers served them."""
    hours, volunteers = db.session.execute(
        select(func.coalesce(func.sum(VolunteerHours.hours), 0),
               func.count(distinct(VolunteerSignup.profile_id)))
        .join(VolunteerSignup, VolunteerSignup.id == VolunteerHours.signup_id)
        .where(VolunteerHours.unit_id == unit_id)).one()
    return {"hours": Decimal(hours or 0), "volunteers": int(volunteers or 0)}
