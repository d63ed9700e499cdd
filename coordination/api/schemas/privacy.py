"""Schemas of the personal-data routes: the data document (GET /me/data) and deletion (DELETE /me)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from typing import Literal

from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field

from coordination.api.schemas.common import Strict

Scalar = str | int | float | bool | None
# A stored row handed out as it is (staff and committee records): column → value.
Record = dict[str, Scalar | dict[str, Any] | list[Any]]


class DeleteAccountBody(Strict):
    password: str = Field(min_length=1, max_length=128, description="The account's current password")


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class PlaceData(BaseModel):
    id: int
    name: str
    kind: Literal["area", "community", "building"]
    area_id: int | None


class UnitData(BaseModel):
    id: int
    name: str


class ProfileData(Open):
    id: int
    username: str
    display_name: str
    real_name: str | None
    phone: str | None
    email: str | None
    locale: str | None
    active: bool
    created_at: datetime
    updated_at: datetime
    last_login_at: datetime | None
    deleted_at: datetime | None
    place: PlaceData | None
    unit: UnitData | None


class NeedData(Open):
    id: int
    kind: Literal["idea", "wish", "request"]
    title: str
    description: str
    status: Literal["submitted", "accepted", "rejected", "merged", "in_project", "fulfilled"]
    channel: str
    place_id: int
    area_id: int
    category_id: int | None
    contact_phone: str | None
    contact_email: str | None
    requester_name: str | None
    show_submitter: bool
    support_count: int
    rejection_reason: str | None
    merged_into_id: int | None
    hidden: bool
    created_at: datetime
    photos: int


class NeedRef(BaseModel):
    need_id: int
    title: str
    created_at: datetime


class NeedStatusRef(Open):
    need_id: int
    title: str
    status: str


class ContentReportsData(BaseModel):
    made: list[Record]
    resolved: list[Record]


class AnswerData(BaseModel):
    question_id: int
    question: str | None
    score: int | None
    text: str | None


class SurveyResponseData(BaseModel):
    id: int
    survey_id: int
    project_id: int | None
    method: Literal["online", "paper", "visit"]
    created_at: datetime
    answers: list[AnswerData]


class EnteredResponse(BaseModel):
    id: int
    survey_id: int
    method: Literal["online", "paper", "visit"]
    created_at: datetime


class BallotData(BaseModel):
    selection_id: int
    year: int
    cast_at: datetime


class ProjectRef(BaseModel):
    project_id: int
    title: str
    status: str
    created_at: datetime


class NotificationData(BaseModel):
    id: int
    kind: str
    text: str
    link: str | None
    created_at: datetime
    read: bool


class TokenData(BaseModel):
    id: int
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    client: str | None


class AuditData(Open):
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str | None
    action: str
    object_type: str
    object_id: int | None
    object_label: str | None
    from_state: str | None
    to_state: str | None
    comment: str | None
    details: dict[str, Any] | None
    ip_address: str | None


class AuditSection(BaseModel):
    by_me: list[AuditData]
    about_me: list[AuditData]


class PersonalDataOut(Open):
    """Everything the platform holds about the caller. Later domains add sections (e.g.
    ``volunteer``), hence further properties are allowed."""

    format: Literal["golden-ribbon-personal-data/1"]
    generated_at: datetime
    profile: ProfileData
    roles: list[str]
    needs: list[NeedData]
    needs_recorded: list[NeedStatusRef]
    needs_triaged: list[NeedStatusRef]
    supports: list[NeedRef]
    follows: list[NeedRef]
    content_reports: ContentReportsData
    survey_responses: list[SurveyResponseData]
    survey_invitations: list[Record]
    survey_responses_entered: list[EnteredResponse]
    surveys_opened: list[Record]
    survey_invites_created: list[Record]
    ballots: list[BallotData]
    selections_opened: list[Record]
    indicator_scores: list[Record]
    evaluation_reviews: list[Record]
    projects_created: list[ProjectRef]
    council_votes: list[Record]
    council_seats: list[Record]
    partnerships_joined: list[Record]
    progress_reports: list[Record]
    notifications: list[NotificationData]
    api_tokens: list[TokenData]
    audit: AuditSection
