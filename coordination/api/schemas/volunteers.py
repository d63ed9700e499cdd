"""Schemas of volunteers: the "three shows" profile, the directory, sign-ups, check-in, hours, teams."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel
from pydantic import Field

from coordination.api.schemas.common import Id
from coordination.api.schemas.common import PageQuery
from coordination.api.schemas.common import Strict
from coordination.volunteers.enums import CheckInMethod
from coordination.volunteers.enums import SignupStatus

Skill = Annotated[str, Field(min_length=1, max_length=40)]


class ProfileBody(Strict):
    party_member: bool = False
    party_org: str | None = Field(None, max_length=120, description="Only for Party members")
    skills: list[Skill] = Field(default_factory=list, max_length=40,
                                description="Codes or names of the skills list; other words are kept as the "
                                            "person's own (at most 10)")
    willingness: str = Field(min_length=1, max_length=1000)
    availability: str | None = Field(None, max_length=200)
    public: bool = False
    team_id: Id | None = Field(None, description="A volunteer team; none: the team of the person's community")


class TeamRef(BaseModel):
    id: int
    name: str


class VolunteerCard(BaseModel):
    """A public profile: never contact data."""

    id: int
    name: str = Field(description="The display name")
    skills: list[str]
    party_member: bool
    party_org: str | None
    willingness: str
    availability: str | None
    team: TeamRef | None
    hours_total: float


class ProfileOut(VolunteerCard):
    public: bool
    team_id: int | None
    listed_skills: list[str] = Field(description="Codes of the skills chosen from the list")
    other_skills: list[str] = Field(description="Skills in the person's own words")


class DirectoryQuery(PageQuery):
    skill: str | None = Field(None, max_length=40, description="A skill's code or name, or a word of the volunteers' own")
    place_id: Id | None = Field(None, description="The volunteers' community or building, or an area")
    party_member: bool | None = None


class SignupBody(Strict):
    note: str | None = Field(None, max_length=500)


class SignupOut(BaseModel):
    id: int
    project_id: int
    status: SignupStatus
    status_label: str
    note: str | None
    created_at: dt.datetime
    checked_in_at: dt.datetime | None
    hours: float = Field(description="Hours recorded on this sign-up")


class ServedDay(BaseModel):
    date: dt.date
    hours: float


class RosterRow(SignupOut):
    name: str
    skills: list[str]
    party_member: bool
    check_in_method: CheckInMethod | None
    days: list[ServedDay]


class CheckInBody(Strict):
    code: str = Field(min_length=1, max_length=500, description="The code of the lead unit's QR code of today")


class HoursBody(Strict):
    hours: float = Field(gt=0, le=24, description="Hours of one day, one decimal")
    date: dt.date
    note: str | None = Field(None, max_length=500)


class HoursOut(BaseModel):
    id: int
    signup_id: int
    hours: float
    date: dt.date
    note: str | None
    hours_total: float = Field(description="The volunteer's hours in all, this record included")


class BuildingLink(BaseModel):
    id: int
    name: str
    slot: int
    point: str | None


class TeamCommunity(BaseModel):
    id: int
    name: str


class TeamOut(BaseModel):
    id: int
    name: str
    community: TeamCommunity
    description: str | None
    hours_total: float
    members: int | None
    buildings: list[BuildingLink]


class ProjectServed(BaseModel):
    id: int
    title: str
    hours: float


class TeamDetail(TeamOut):
    member_names: list[str] = Field(description="The display names of the members who show a public profile")
    public_members: list[VolunteerCard] | None = Field(
        description="Their public profiles, for those who may see the volunteer directory (staff and unit "
                    "contacts); null for everybody else")
    projects: list[ProjectServed]


class SkillOut(BaseModel):
    id: int
    code: str
    name: str
