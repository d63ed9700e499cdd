"""Pydantic schemas of the API's bodies and answers (shared by every route module)."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, Generic, Literal, TypeVar

from flask_babel import gettext as _
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from coordination.core.enums import (
    EvaluationGap,
    FundingSource,
    IndicatorDimension,
    NeedChannel,
    NeedKind,
    NeedStatus,
    PartyOrgKind,
    PlaceKind,
    ProjectStatus,
    QuestionKind,
    ResponseMethod,
    ReviewDecision,
    Role,
    SurveyStatus,
    UnitType,
    VoteChoice,
)

T = TypeVar("T")

# Ids the databases can hold, money within NUMERIC(12, 2), hours within NUMERIC(10, 1).
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Money = Annotated[float, Field(ge=0, le=9_999_999_999)]
Hours = Annotated[float, Field(ge=0, le=99_999_999)]
Count = Annotated[int, Field(ge=0, le=10_000_000)]


def status_list(states: type[Enum]) -> Any:
    """A query parameter naming one state or several separated by commas (``accepted,in_project``).

    The document gives the exact pattern; a value outside it is a 400 listing the states. An
    empty value is no filter, as for every query parameter.
    """
    word = "|".join(re.escape(state.value) for state in states)
    pattern = rf"^$|^ *({word}) *(, *({word}) *)*$"

    def check(value: str) -> str:
        if not re.fullmatch(pattern, value):
            raise ValueError(_("Choose one of: %(choices)s",
                               choices=", ".join(sorted(state.value for state in states))))
        return value

    return Annotated[str, AfterValidator(check), Field(json_schema_extra={"pattern": pattern})]


def split_states(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


class Strict(BaseModel):
    """Request bodies: unknown fields are an error, strings are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ErrorDetail(BaseModel):
    code: str = Field(description="Machine-readable error code")
    message: str = Field(description="Human-readable text in the requested language")
    fields: dict[str, str] = Field(default_factory=dict, description="Bad field → what is wrong")
    current_status: NeedStatus | ProjectStatus | None = Field(
        None, description="On a 409 for a step the object's status does not allow: its status now "
                          "(a need's or a project's)")
    retry_after: int | None = Field(None, description="On a 429 from logging in: seconds to wait")
    missing: list[EvaluationGap] | None = Field(
        None, description="On a 409 from accepting an evaluation: what it still lacks (the survey is still "
                          "open, no responses, no indicator scores)")


class ErrorResponse(BaseModel):
    error: ErrorDetail


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int


class CursorPage(Page[T], Generic[T]):
    """A page of a list that also offers a keyset cursor (API.md Conventions)."""

    next: str | None = Field(None, description="Give as `after` to get the page after this one; "
                                               "null on the last page")
    total_capped: bool = Field(False, description="True when a free-text search stopped counting at 10,000")


class PageQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    page: int = Field(1, ge=1, le=100000)
    per_page: int = Field(20, ge=1, le=100)


class ItemList(BaseModel, Generic[T]):
    items: list[T]


# --------------------------------------------------------------------------- accounts

class RegisterBody(Strict):
    username: str = Field(min_length=1, max_length=40)
    password: str = Field(min_length=1, max_length=128)
    display_name: str = Field(min_length=1, max_length=60)
    role: Literal["resident", "worker"]
    place_id: Id
    phone: str | None = Field(None, max_length=30)
    email: str | None = Field(None, max_length=254)


class TokenBody(Strict):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=128)
    otp: str | None = Field(default=None, max_length=20,
                            description="Code of the second factor (or a recovery code), when the account has one")


class UnitRef(BaseModel):
    id: int
    name: str


class PlaceRef(BaseModel):
    id: int
    name: str
    kind: PlaceKind
    area_id: int | None


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    roles: list[Role]
    unit: UnitRef | None = None
    place: PlaceRef | None = None
    created_at: datetime | None = None


class TokenUser(BaseModel):
    id: int
    username: str
    display_name: str
    roles: list[Role]


class TokenOut(BaseModel):
    token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_at: datetime
    user: TokenUser


# --------------------------------------------------------------------------- places

class PlaceOut(BaseModel):
    id: int
    name: str
    kind: PlaceKind
    area_id: int | None = Field(description="The area a community or building belongs to; null for an area")
    address: str | None = None


class CategoryOut(BaseModel):
    id: int
    code: int = Field(ge=1, le=7)
    name: str
    name_en: str


class PartyOrganisationOut(BaseModel):
    id: int
    name: str
    kind: PartyOrgKind
    member_count: int


class UnitOut(BaseModel):
    id: int
    name: str
    area_id: int
    unit_type: UnitType
    building_id: int | None
    party_organisations: list[PartyOrganisationOut]
    party_member_count: int
    contact_name: str | None = Field(None, description="Masked except for staff")
    contact_phone: str | None = Field(None, description="Masked except for staff")


class IndicatorOut(BaseModel):
    id: int
    dimension: IndicatorDimension
    name: str
    name_en: str
    weight: float


# --------------------------------------------------------------------------- needs

class OnBehalfOf(Strict):
    name: str = Field(min_length=1, max_length=60, description="The person the need comes from")
    phone: str | None = Field(None, max_length=30)
    email: str | None = Field(None, max_length=254)


class NeedCreate(Strict):
    kind: Literal["idea", "wish", "request"]
    title: str = Field(min_length=1, max_length=120)
    description: str = Field(min_length=1, max_length=5000)
    place_id: Id = Field(description="A residential community or an office building")
    category_id: Id | None = None
    channel: Literal["online", "meeting_hall", "reception_room", "visit", "hotline"] | None = Field(
        None, description="Other than online: staff only")
    on_behalf_of: str | OnBehalfOf | None = Field(None, description="Staff only: the person's name, "
                                                                     "or {name, phone, email}")
    show_submitter: bool = Field(False, description="Show the submitter's name publicly")


class NeedQuery(PageQuery):
    status: status_list(NeedStatus) | None = Field(
        None, description="One status or several separated by commas; default: accepted, in_project, fulfilled")
    category_id: Id | None = None
    place_id: Id | None = None
    area_id: Id | None = None
    kind: Literal["idea", "wish", "request"] | None = None
    channel: Literal["online", "meeting_hall", "reception_room", "visit", "hotline"] | None = None
    q: str | None = Field(None, max_length=100, description="Words in the title or description")
    sort: Literal["supports", "newest", "oldest"] = "supports"
    after: str | None = Field(None, max_length=200, description="The `next` cursor of the previous page "
                                                                "(deep pages; `page` is then ignored)")


class CategoryRef(BaseModel):
    id: int
    code: int
    name: str


class NeedOut(BaseModel):
    id: int
    kind: NeedKind
    title: str
    description: str
    status: NeedStatus
    status_label: str
    category_id: int | None
    category: CategoryRef | None
    place_id: Id
    place_name: str
    area_id: int
    channel: NeedChannel
    supports: int
    project_id: int | None = None
    submitter_name: str | None = Field(None, description="Only if the submitter chose to show it "
                                                        "(always for staff and the submitter)")
    contact_phone: str | None = Field(None, description="Staff only")
    contact_email: str | None = Field(None, description="Staff only")
    merged_into: int | None = None
    rejection_reason: str | None = Field(None, description="For the submitter and staff")
    hidden: bool = False
    photos: list[str] = Field(default_factory=list, description="URLs of the photos")
    supported_by_me: bool | None = None
    following: bool | None = None
    created_at: datetime
    updated_at: datetime


class SupportOut(BaseModel):
    supports: int
    supported: bool


class TriageBody(Strict):
    action: Literal["accept", "reject", "merge"]
    category_id: Id | None = None
    reason: str | None = Field(None, max_length=2000)
    merge_into: Id | None = None


class ReasonBody(Strict):
    reason: str = Field(min_length=1, max_length=2000)


class FollowOut(BaseModel):
    following: bool


class SimilarQuery(BaseModel):
    title: str = Field(min_length=1, max_length=120)
    description: str | None = Field(None, max_length=5000)
    place_id: Id


class SimilarNeed(BaseModel):
    id: int
    title: str
    status: NeedStatus
    place_name: str
    supports: int


# --------------------------------------------------------------------------- projects

class FundingItem(Strict):
    source: Literal["self_governance", "unit", "street", "other"]
    amount: Money
    note: str | None = Field(None, max_length=200)


class ProjectCreate(Strict):
    title: str = Field(min_length=1, max_length=120)
    description: str = Field(min_length=1, max_length=10000)
    category_id: Id
    place_id: Id = Field(description="The area, community or building of the project")
    need_ids: list[Id] = Field(min_length=1, max_length=100, description="Accepted needs the project is built on")
    budget: Money = Field(description="Yuan")
    planned_start: date
    planned_end: date
    committee_id: Id | None = None
    goals: str | None = Field(None, max_length=5000)
    expected_beneficiaries: Count | None = Field(None)
    volunteer_places: Count | None = Field(None)
    funding: list[FundingItem] = Field(default_factory=list, description="Sources adding up to the budget")


class ProjectQuery(PageQuery):
    status: status_list(ProjectStatus) | None = Field(None, description="One status or several separated by commas")
    category_id: Id | None = None
    place_id: Id | None = None
    unit_id: Id | None = Field(None, description="Projects led or joined by this member unit")
    committee_id: Id | None = None
    q: str | None = Field(None, max_length=100)
    overdue: bool = False
    after: str | None = Field(None, max_length=200, description="The `next` cursor of the previous page "
                                                                "(deep pages; `page` is then ignored)")


class UnitBrief(BaseModel):
    id: int
    name: str


class HistoryEntry(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: ProjectStatus | None = Field(None, alias="from", serialization_alias="from")
    to: ProjectStatus | None
    by: str | None
    at: datetime
    comment: str | None


class Tally(BaseModel):
    approve: int
    reject: int
    abstain: int


class VoteOut(BaseModel):
    round: int
    voter: str
    vote: VoteChoice
    comment: str | None
    at: datetime


class FundingOut(BaseModel):
    source: FundingSource
    amount: float
    note: str | None


class ProjectOut(BaseModel):
    id: int
    title: str
    description: str
    goals: str | None
    status: ProjectStatus
    status_label: str
    category_id: Id
    category: CategoryRef
    area_id: int
    place_id: int | None
    committee_id: int | None
    committee: str | None
    budget: float
    funding: list[FundingOut]
    planned_start: date
    planned_end: date
    expected_beneficiaries: int | None
    volunteer_places: int | None
    lead_unit: UnitBrief | None
    partner_units: list[UnitBrief]
    need_ids: list[int]
    round: int
    tally: Tally | None = Field(None, description="The current round's votes")
    votes: list[VoteOut] | None = Field(None, description="For staff, the council and the committees")
    progress_percent: int
    spent: float
    volunteer_hours: float
    beneficiaries: int
    overdue: bool
    completion_report: str | None
    history: list[HistoryEntry]
    created_at: datetime
    updated_at: datetime


class VoteBody(Strict):
    vote: Literal["approve", "reject", "abstain"]
    comment: str | None = Field(None, max_length=2000)


class VoteResult(BaseModel):
    project_status: ProjectStatus
    tally: Tally


class DecisionBody(Strict):
    decision: Literal["approve", "return", "reject"]
    comment: str | None = Field(None, max_length=2000)


class ClaimBody(Strict):
    note: str | None = Field(None, max_length=2000)


class ReleaseBody(Strict):
    reason: str = Field(min_length=1, max_length=2000)


class ProgressBody(Strict):
    percent: int = Field(ge=0, le=100)
    note: str = Field(min_length=1, max_length=5000)
    participants: Count | None = Field(None, description="Member units taking part")
    party_members: Count | None = Field(None)
    volunteers: Count | None = Field(None)
    volunteer_hours: Hours | None = None
    beneficiaries: Count | None = Field(None, description="People served (residents unless split below)")
    beneficiaries_residents: Count | None = Field(None)
    beneficiaries_workers: Count | None = Field(None)
    spent: Money | None = Field(None, description="Yuan spent in this period")


class ProgressOut(BaseModel):
    id: int
    project_id: int
    percent: int
    note: str
    spent: float
    created_at: datetime


class CompleteBody(Strict):
    report: str = Field(min_length=1, max_length=20000)


class JoinOut(BaseModel):
    project_id: int
    partner_units: list[UnitBrief]


# --------------------------------------------------------------------------- evaluation

class QuestionIn(Strict):
    text: str = Field(min_length=1, max_length=300)
    kind: Literal["likert", "text"]
    overall: bool = False


class OpenEvaluationBody(Strict):
    questions: list[QuestionIn] | None = Field(None, description="Default: the standard satisfaction template")
    closes_on: date | None = None


class SurveyRef(BaseModel):
    survey_id: int


class QuestionOut(BaseModel):
    id: int
    text: str
    kind: QuestionKind
    overall: bool


class SurveyOut(BaseModel):
    id: int
    project_id: int
    project_title: str
    status: SurveyStatus
    closes_on: date | None
    questions: list[QuestionOut]
    answered_by_me: bool | None = None


class SurveyQuery(BaseModel):
    invite_code: str | None = Field(None, max_length=20)


class InvitesBody(Strict):
    count: int = Field(ge=1, le=500)


class InvitesOut(BaseModel):
    codes: list[str]


class AnswerIn(Strict):
    question_id: Id
    score: int | None = Field(None, ge=1, le=5)
    text: str | None = Field(None, max_length=2000)


class ResponseBody(Strict):
    answers: list[AnswerIn] = Field(min_length=1)
    invite_code: str | None = Field(None, max_length=20)
    method: Literal["online", "paper", "visit"] | None = None


class ResponseOut(BaseModel):
    id: int
    survey_id: int
    method: ResponseMethod
    created_at: datetime


class ScoreIn(Strict):
    indicator_id: Id
    score: float = Field(ge=0, le=100)


class ScoresBody(Strict):
    scores: list[ScoreIn] = Field(min_length=1)


class ReviewBody(Strict):
    decision: Literal["accept", "rework"]
    comment: str | None = Field(None, max_length=2000)


class ReviewOut(BaseModel):
    decision: ReviewDecision
    comment: str | None
    by: str
    at: datetime


class QuestionSummary(BaseModel):
    id: int
    text: str
    kind: QuestionKind
    overall: bool
    answers: int = Field(description="How many respondents answered it")
    mean: float | None = Field(description="Mean score 1–5 (score questions with answers)")


class IndicatorSummary(BaseModel):
    id: int
    dimension: IndicatorDimension
    name: str
    weight: float
    mean: float | None = Field(description="Mean of the evaluators' scores 0–100")
    evaluators: int


class TextAnswer(BaseModel):
    question: str = Field(description="The question's text")
    text: str = Field(description="A respondent's free-text answer")


class EvaluationDetails(BaseModel):
    questions: list[QuestionSummary]
    indicators: list[IndicatorSummary]
    methods: dict[ResponseMethod, int] = Field(description="Responses per method")
    texts: list[TextAnswer] = Field(default_factory=list, description="Free-text answers (never for the council)")


class EvaluationOut(BaseModel):
    project_id: int
    status: ProjectStatus = Field(description="The project's status (evaluating, evaluated, …)")
    survey_id: int | None
    survey_status: SurveyStatus | None
    responses: int | None
    satisfaction_rate: float | None = Field(None, description="0–1: share of overall answers scoring 4 or 5")
    indicator_score: float | None = Field(None, description="0–100")
    composite_score: float | None = Field(None, description="0–100")
    review: ReviewOut | None
    details: EvaluationDetails | None = Field(None, description="Per question and per indicator, and the free-text answers; staff and committees")


CategoryCode = Annotated[str, Field(pattern=r"^[1-7]$")]


class NeedFigures(BaseModel):
    by_status: dict[NeedStatus, int] = Field(description="Needs per status (statuses with none left out)")
    by_category: dict[CategoryCode, int] = Field(description="Needs per category code 1–7")


class ProjectFigures(BaseModel):
    by_status: dict[ProjectStatus, int] = Field(description="Projects per status (statuses with none left out)")


class StatsOut(BaseModel):
    needs: NeedFigures
    projects: ProjectFigures
    units: int
    party_members: int
    beneficiaries: int
    satisfaction_rate: float | None
