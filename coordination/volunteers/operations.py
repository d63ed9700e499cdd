"""Volunteer operations: keep one's profile (三亮), sign up on a project, withdraw, be checked
in (ticked by the lead unit, or by scanning its code of the day), have one's hours recorded.

Each checks the step against ``rules``, changes the state, writes the audit record, queues the
notifications and flushes; the caller commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from decimal import Decimal
from decimal import InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy import update

from coordination.core import audit
from coordination.core.errors import Conflict
from coordination.core.errors import Forbidden
from coordination.core.errors import NotFound
from coordination.core.models.base import utcnow
from coordination.core.transactions import insert_once
from coordination.core.workflow import invalid
from coordination.extensions import db
from coordination.projects.models import Project
from coordination.volunteers import checkin
from coordination.volunteers import permissions
from coordination.volunteers import queries
from coordination.volunteers.enums import CheckInMethod
from coordination.volunteers.enums import SignupStatus
from coordination.volunteers.enums import VolunteerStep
from coordination.volunteers.models import VolunteerHours
from coordination.volunteers.models import VolunteerProfile
from coordination.volunteers.models import VolunteerProfileSkill
from coordination.volunteers.models import VolunteerSignup
from coordination.volunteers.models import VolunteerSkill
from coordination.volunteers.models import VolunteerTeam
from coordination.volunteers.rules import SIGNUP_WORKFLOW
from coordination.volunteers.rules import project_allows

FREE_WORDS, FREE_WORD_LENGTH, SEPARATOR = 10, 20, "、"


class Full(Conflict):
    """Every volunteer place of the project is taken (→ 409 ``full``)."""

    code = "full"


# ----------------------------------------------------------------------------- the profile


@dataclass
class ProfileInput:
    willingness: str
    party_member: bool = False
    party_org: str | None = None
    skills: list[str] = field(default_factory=list)  # codes or names of the list, or the person's own words
    availability: str | None = None
    public: bool = False
    team_id: int | None = None  # None: the team of the person's community (or the one kept)


# What the person says of themselves: the audit log, which is never edited, names the fields that
# changed but keeps none of their values (erasing the account erases them from the profile).
PERSONAL_FIELDS = ["party_member", "party_org", "other_skills", "willingness", "availability"]
OPEN_FIELDS = ["public", "team_id"]
PROFILE_FIELDS = PERSONAL_FIELDS + OPEN_FIELDS
OTHER_SKILLS_LENGTH = VolunteerProfile.other_skills.type.length


def _skills(words: list[str], errors: dict) -> tuple[list[VolunteerSkill], list[str]]:
    """The listed skills the words name (a code or a name, either language) and the other words."""
    listed = {}
    for skill in queries.skills():
        for key in (skill.code, skill.name, skill.name_en):
            listed.setdefault(key.casefold(), skill)
    chosen: dict[int, VolunteerSkill] = {}
    free: list[str] = []
    for word in words or []:
        word = (word or "").strip()
        if not word:
            continue
        skill = listed.get(word.casefold())
        if skill is not None:
            chosen.setdefault(skill.id, skill)
        elif word not in free:
            free.append(word)
    if any(len(word) > FREE_WORD_LENGTH or SEPARATOR in word for word in free):
        errors["skills"] = _("Name each skill in at most %(n)d characters.", n=FREE_WORD_LENGTH)
    elif len(free) > FREE_WORDS:
        errors["skills"] = _("Add at most %(n)d skills of your own beside the list.", n=FREE_WORDS)
    elif len(SEPARATOR.join(free)) > OTHER_SKILLS_LENGTH:
        errors["skills"] = _("Your own skills may take at most %(n)d characters in all; shorten or leave out some.",
                             n=OTHER_SKILLS_LENGTH)
    return list(chosen.values()), free


def save_profile(user, data: ProfileInput) -> VolunteerProfile:
    """Create or change the person's profile: their identity (Party member and organisation),
    skills and willingness; new profiles join the team of the person's community."""
    if not permissions.can_keep_profile(user):
        raise Forbidden(_("Residents and office workers keep a volunteer profile."))
    errors: dict[str, str] = {}
    willingness = (data.willingness or "").strip()
    if not willingness:
        errors["willingness"] = _("Say what you are willing to do.")
    elif len(willingness) > 1000:
        errors["willingness"] = _("Use at most %(n)d characters.", n=1000)
    party_org = (data.party_org or "").strip() or None
    if party_org and not data.party_member:
        errors["party_org"] = _("Only Party members name their Party organisation.")
    elif party_org and len(party_org) > 120:
        errors["party_org"] = _("Use at most %(n)d characters.", n=120)
    availability = (data.availability or "").strip() or None
    if availability and len(availability) > 200:
        errors["availability"] = _("Use at most %(n)d characters.", n=200)
    skills, free = _skills(data.skills, errors)
    team = None
    if data.team_id:
        team = db.session.get(VolunteerTeam, data.team_id)
        if team is None or not team.active:
            errors["team_id"] = _("Choose one of the volunteer teams.")
    if errors:
        raise invalid(errors)

    profile = queries.profile_of(user)
    creating = profile is None
    if creating:
        profile = _new_profile(user, team)
    before = audit.snapshot(profile, PROFILE_FIELDS)
    profile.party_member, profile.party_org = bool(data.party_member), party_org
    profile.willingness, profile.availability, profile.public = willingness, availability, bool(data.public)
    profile.other_skills = SEPARATOR.join(free) or None
    if team is not None:
        profile.team = team
    db.session.flush()
    wanted = {skill.id for skill in skills}
    had = set(db.session.scalars(select(VolunteerProfileSkill.skill_id)
                                 .where(VolunteerProfileSkill.profile_id == profile.id)))
    if had - wanted:
        db.session.execute(delete(VolunteerProfileSkill).where(VolunteerProfileSkill.profile_id == profile.id,
                                                               VolunteerProfileSkill.skill_id.in_(had - wanted)))
    db.session.add_all(VolunteerProfileSkill(profile_id=profile.id, skill_id=i) for i in wanted - had)
    db.session.flush()
    db.session.expire(profile, ["skills"])
    changed = [name for name in PERSONAL_FIELDS if getattr(profile, name) != before[name]]
    changed += ["skills"] if had != wanted else []
    details = audit.described_fields(profile, OPEN_FIELDS) if creating else audit.changed_fields(
        profile, OPEN_FIELDS, before)
    if changed:
        details["fields"] = changed
    if creating or details:
        audit.record(user, "volunteer_profile.create" if creating else "volunteer_profile.update", profile,
                     details=details or None)
    return profile


def _new_profile(user, team: VolunteerTeam | None) -> VolunteerProfile:
    """The person's first profile, in the team chosen or of their community. Inserted once: a
    second submit at the same moment (which read no profile either) is a Conflict."""
    team = team or queries.team_of_place(user.place_id)
    profile = VolunteerProfile(user_id=user.id, hours_total=Decimal(0), party_member=False, public=False,
                               willingness="", team_id=team.id if team is not None else None)
    return insert_once(profile, _("Your volunteer profile was saved a moment ago; open it again to change it."))


# ----------------------------------------------------------------------------- sign-ups


def _locked_project(project_id: int) -> Project:
    """The project, its row locked until the commit: sign-ups on it wait their turn, so the
    places are counted by one at a time."""
    project = db.session.scalar(select(Project).where(Project.id == project_id).with_for_update()
                                .execution_options(populate_existing=True))
    if project is None:
        raise NotFound(_("There is no such project."))
    return project


def _project_conflict(project) -> Conflict:
    return Conflict(_("The project is “%(status)s”; volunteers cannot do this now.", status=project.status.label),
                    current_status=project.status.value)


def _checked(user, signup: VolunteerSignup, step: VolunteerStep) -> None:
    SIGNUP_WORKFLOW.check(user, signup, step)
    if not project_allows(signup.project, step):
        raise _project_conflict(signup.project)


def _volunteer_profile(user) -> VolunteerProfile:
    profile = queries.profile_of(user)
    if profile is None:
        raise Forbidden(_("Fill in your volunteer profile (亮身份、亮特长、亮意愿) first: %(link)s",
                          link="/me/volunteer"))
    return profile


def sign_up(user, project_id: int, note: str | None = None) -> VolunteerSignup:
    """The person signs up to help on a published or claimed project, while places are left
    (once; after withdrawing they may sign up again)."""
    SIGNUP_WORKFLOW.check_role(user, VolunteerStep.SIGN_UP)
    profile = _volunteer_profile(user)
    project = _locked_project(project_id)
    if not project_allows(project, VolunteerStep.SIGN_UP):
        raise _project_conflict(project)
    note = (note or "").strip() or None
    if note and len(note) > 500:
        raise invalid({"note": _("Use at most %(n)d characters.", n=500)})
    signup = queries.signup_of(profile, project.id)
    if signup is not None and signup.status != SignupStatus.WITHDRAWN:
        raise Conflict(_("You have already signed up for this project."))
    if queries.places_taken(project.id) >= (project.volunteer_places or 0):
        raise Full(_("Every volunteer place of this project is taken."))
    if signup is not None:
        def rejoin():
            signup.withdrawn_at, signup.note = None, note

        SIGNUP_WORKFLOW.take(user, signup, VolunteerStep.SIGN_UP, check=False, apply=rejoin)
        return signup
    signup = insert_once(VolunteerSignup(project_id=project.id, profile_id=profile.id, status=SignupStatus.SIGNED_UP,
                                         note=note, hours_total=Decimal(0)),
                         _("You have already signed up for this project."))
    SIGNUP_WORKFLOW.taken(user, signup, VolunteerStep.SIGN_UP, None)
    return signup


def withdraw(user, project_id: int) -> VolunteerSignup:
    """The volunteer withdraws before being checked in, while the project is not completed."""
    SIGNUP_WORKFLOW.check_role(user, VolunteerStep.WITHDRAW)
    signup = queries.signup_of(queries.profile_of(user), project_id, locked=True)
    if signup is None:
        raise NotFound(_("You have not signed up for this project."))
    _checked(user, signup, VolunteerStep.WITHDRAW)
    SIGNUP_WORKFLOW.take(user, signup, VolunteerStep.WITHDRAW, check=False,
                         apply=lambda: setattr(signup, "withdrawn_at", utcnow()))
    return signup


def _check_in(actor, signup: VolunteerSignup, step: VolunteerStep, method: CheckInMethod) -> VolunteerSignup:
    def apply():
        signup.checked_in_at, signup.checked_in_by_id, signup.check_in_method = utcnow(), actor.id, method

    SIGNUP_WORKFLOW.take(actor, signup, step, check=False, apply=apply, details={"check_in": method.value})
    return signup


def check_in(rep, project_id: int, signup_id: int) -> VolunteerSignup:
    """The lead unit ticks a volunteer who came."""
    SIGNUP_WORKFLOW.check_role(rep, VolunteerStep.CHECK_IN)
    signup = queries.signup_on(project_id, signup_id, locked=True)
    _checked(rep, signup, VolunteerStep.CHECK_IN)
    return _check_in(rep, signup, VolunteerStep.CHECK_IN, CheckInMethod.TICK)


def scan_in(user, project_id: int, code: str | None) -> VolunteerSignup:
    """The volunteer checks in with the code of the day the lead unit shows (a QR code)."""
    SIGNUP_WORKFLOW.check_role(user, VolunteerStep.SCAN_IN)
    signup = queries.signup_of(queries.profile_of(user), project_id, locked=True)
    if signup is None:
        raise NotFound(_("You have not signed up for this project."))
    if not checkin.is_valid(code, project_id):
        raise invalid({"code": _("This check-in code is not valid today; scan the lead unit's code again.")})
    _checked(user, signup, VolunteerStep.SCAN_IN)
    return _check_in(user, signup, VolunteerStep.SCAN_IN, CheckInMethod.SCAN)


# ----------------------------------------------------------------------------- hours

MAX_HOURS = Decimal(24)


def _hours(value) -> Decimal | None:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return hours if hours.is_finite() and 0 < hours <= MAX_HOURS else None


def credit_hours(signup: VolunteerSignup, hours: Decimal, served_on: date, *, unit_id: int,
                 recorded_by=None, note: str | None = None) -> VolunteerHours:
    """Add the hours of a day to the sign-up and, in the same transaction, to the totals of
    the volunteer, the sign-up and the volunteer's team (``x = x + h``, so concurrent records
    add up); a second record of the same day is a Conflict."""
    profile = signup.profile
    entry = insert_once(VolunteerHours(signup_id=signup.id, hours=hours, served_on=served_on, note=note,
                                       unit_id=unit_id, recorded_by_id=getattr(recorded_by, "id", None),
                                       team_id=profile.team_id),
                        _("Hours of %(date)s are already recorded for this volunteer.", date=served_on.isoformat()))
    for model, key in ((VolunteerProfile, profile.id), (VolunteerSignup, signup.id), (VolunteerTeam, profile.team_id)):
        if key is not None:
            db.session.execute(update(model).where(model.id == key).values(hours_total=model.hours_total + hours)
                               .execution_options(synchronize_session=False))
    for obj in (profile, signup, profile.team):
        if obj is not None:
            db.session.expire(obj, ["hours_total"])
    return entry


def record_hours(rep, project_id: int, signup_id: int, hours, served_on: date | None,
                 note: str | None = None) -> VolunteerHours:
    """The lead unit records the hours a checked-in volunteer served on one day."""
    SIGNUP_WORKFLOW.check_role(rep, VolunteerStep.RECORD_HOURS)
    signup = queries.signup_on(project_id, signup_id)
    _checked(rep, signup, VolunteerStep.RECORD_HOURS)
    errors = {}
    amount = _hours(hours)
    if amount is None:
        errors["hours"] = _("Enter the hours of one day: more than 0, at most 24, one decimal.")
    if served_on is None:
        errors["date"] = _("Enter a date as YYYY-MM-DD.")
    elif served_on > checkin.local_today():
        errors["date"] = _("The day cannot be in the future.")
    elif served_on < checkin.local_date(signup.created_at):
        errors["date"] = _("The day cannot be before the volunteer signed up.")
    note = (note or "").strip() or None
    if note and len(note) > 500:
        errors["note"] = _("Use at most %(n)d characters.", n=500)
    if errors:
        raise invalid(errors)
    entry = credit_hours(signup, amount, served_on, unit_id=signup.project.lead_unit_id, recorded_by=rep, note=note)
    SIGNUP_WORKFLOW.take(rep, signup, VolunteerStep.RECORD_HOURS, check=False,
                         details={"hours": str(amount), "date": served_on.isoformat()},
                         params={"hours": str(amount), "date": served_on.isoformat()})
    return entry

