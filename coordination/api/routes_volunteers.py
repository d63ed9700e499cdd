"""API: volunteers — the "three shows" profile, the directory, sign-ups on a project, check-in,
hours, the teams and the skills list."""

from __future__ import annotations

from flask_babel import gettext as _

from coordination.api import api
from coordination.api.schemas.common import ItemList
from coordination.api.schemas.common import Page
from coordination.api.schemas.volunteers import CheckInBody
from coordination.api.schemas.volunteers import DirectoryQuery
from coordination.api.schemas.volunteers import HoursBody
from coordination.api.schemas.volunteers import HoursOut
from coordination.api.schemas.volunteers import ProfileBody
from coordination.api.schemas.volunteers import ProfileOut
from coordination.api.schemas.volunteers import ProjectServed
from coordination.api.schemas.volunteers import RosterRow
from coordination.api.schemas.volunteers import SignupBody
from coordination.api.schemas.volunteers import SignupOut
from coordination.api.schemas.volunteers import SkillOut
from coordination.api.schemas.volunteers import TeamDetail
from coordination.api.schemas.volunteers import TeamOut
from coordination.api.schemas.volunteers import VolunteerCard
from coordination.api.spec import ANYONE
from coordination.core.enums import Role
from coordination.core.errors import Forbidden
from coordination.projects.queries import visible_project
from coordination.volunteers import operations
from coordination.volunteers import permissions
from coordination.volunteers import presenters
from coordination.volunteers import queries
from coordination.volunteers.enums import VolunteerStep
from coordination.volunteers.rules import SIGNUP_WORKFLOW

TAGS = ("volunteers",)
VOLUNTEERS = SIGNUP_WORKFLOW.roles(VolunteerStep.SIGN_UP)
LEAD = SIGNUP_WORKFLOW.roles(VolunteerStep.RECORD_HOURS)


@api.route("GET", "/me/volunteer", summary="My volunteer profile (三亮)", response=ProfileOut, roles=VOLUNTEERS,
           errors=(404,), tags=TAGS)
def get_my_volunteer_profile(user):
    return ProfileOut(**presenters.own(queries.own_profile(user)))


@api.route("PUT", "/me/volunteer", summary="Create or change my volunteer profile (三亮)", body=ProfileBody,
           response=ProfileOut, roles=VOLUNTEERS, tags=TAGS)
def put_my_volunteer_profile(user, body: ProfileBody):
    profile = operations.save_profile(user, operations.ProfileInput(**body.model_dump()))
    return ProfileOut(**presenters.own(profile))


@api.route("GET", "/volunteers", summary="Public volunteer profiles (no contact data)", query=DirectoryQuery,
           response=Page[VolunteerCard], roles=(Role.STAFF, Role.UNIT_REP), tags=TAGS)
def volunteer_directory(user, query: DirectoryQuery):
    f = queries.DirectoryFilter(skill=query.skill, place_id=query.place_id, party_member=query.party_member)
    pagination = queries.directory(f, query.page, query.per_page)
    return Page[VolunteerCard](items=[VolunteerCard(**presenters.card(p)) for p in pagination.items],
                               total=pagination.total, page=query.page, per_page=query.per_page)


@api.route("POST", "/projects/<int:project_id>/volunteers", summary="Sign up as a volunteer on a project",
           body=SignupBody, response=SignupOut, status=201, roles=VOLUNTEERS, errors=(409,), tags=TAGS,
           description="403 without a volunteer profile (fill it in with PUT /me/volunteer); 409 `full` when "
                       "every volunteer place is taken, 409 `conflict` for a second sign-up or a project not "
                       "published or claimed.")
def volunteer_sign_up(user, project_id: int, body: SignupBody):
    visible_project(user, project_id)
    return SignupOut(**presenters.signup(operations.sign_up(user, project_id, body.note))), 201


@api.route("DELETE", "/projects/<int:project_id>/volunteers/me", summary="Withdraw my sign-up",
           status=204, roles=VOLUNTEERS, errors=(409,), tags=TAGS)
def volunteer_withdraw(user, project_id: int):
    visible_project(user, project_id)
    operations.withdraw(user, project_id)
    return "", 204


@api.route("GET", "/projects/<int:project_id>/volunteers", summary="The project's sign-ups with names, skills and hours",
           response=ItemList[RosterRow], roles=(Role.STAFF, Role.UNIT_REP), tags=TAGS)
def volunteer_roster(user, project_id: int):
    project = visible_project(user, project_id)
    if not permissions.can_see_roster(user, project):
        raise Forbidden(_("Only staff and the units running the project see its volunteers."))
    return ItemList[RosterRow](items=[RosterRow(**presenters.roster_row(s)) for s in queries.roster(project.id)])


@api.route("POST", "/projects/<int:project_id>/volunteers/<int:signup_id>/check-in",
           summary="The lead unit checks a volunteer in", response=SignupOut,
           roles=SIGNUP_WORKFLOW.roles(VolunteerStep.CHECK_IN), errors=(409,), tags=TAGS)
def volunteer_check_in(user, project_id: int, signup_id: int):
    visible_project(user, project_id)
    return SignupOut(**presenters.signup(operations.check_in(user, project_id, signup_id)))


@api.route("POST", "/projects/<int:project_id>/volunteers/me/check-in",
           summary="Check in with the code of the lead unit's QR code of today", body=CheckInBody,
           response=SignupOut, roles=SIGNUP_WORKFLOW.roles(VolunteerStep.SCAN_IN), errors=(409,), tags=TAGS)
def volunteer_scan_in(user, project_id: int, body: CheckInBody):
    visible_project(user, project_id)
    return SignupOut(**presenters.signup(operations.scan_in(user, project_id, body.code)))


@api.route("POST", "/projects/<int:project_id>/volunteers/<int:signup_id>/hours",
           summary="The lead unit records the hours a volunteer served on one day", body=HoursBody,
           response=HoursOut, status=201, roles=LEAD, errors=(409,), tags=TAGS)
def record_volunteer_hours(user, project_id: int, signup_id: int, body: HoursBody):
    visible_project(user, project_id)
    entry = operations.record_hours(user, project_id, signup_id, body.hours, body.date, body.note)
    profile = entry.signup.profile
    return HoursOut(id=entry.id, signup_id=entry.signup_id, hours=float(entry.hours), date=entry.served_on,
                    note=entry.note, hours_total=float(profile.hours_total)), 201


@api.route("GET", "/teams", summary="The volunteer teams", response=ItemList[TeamOut], auth=ANYONE, tags=TAGS)
def list_teams(user):
    items = queries.teams()
    counts = queries.member_counts([t.id for t in items])
    return ItemList[TeamOut](items=[TeamOut(**presenters.team(t, counts.get(t.id, 0))) for t in items])


@api.route("GET", "/teams/<int:team_id>", summary="One team: its members, buildings, projects served",
           description="Everybody sees the display names of the members who show a public profile; their "
                       "profiles (`public_members`) only staff and unit contacts, who see the volunteer directory.",
           response=TeamDetail, auth=ANYONE, tags=TAGS)
def get_team(user, team_id: int):
    team = queries.visible_team(team_id)
    members = presenters.team_members(queries.public_members(team.id), permissions.can_see_directory(user))
    return TeamDetail(**presenters.team(team, queries.member_count(team.id)), **members,
                      projects=[ProjectServed(id=p.id, title=p.title, hours=float(h))
                                for p, h in queries.team_projects(team.id)])


@api.route("GET", "/volunteer-skills", summary="The skills list volunteers choose from",
           response=ItemList[SkillOut], auth=ANYONE, tags=TAGS)
def list_skills(user):
    return ItemList[SkillOut](items=[SkillOut(id=s.id, code=s.code, name=s.local_name) for s in queries.skills()])
