"""Schemas of evaluation: surveys, responses, indicator scores and the review."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import Literal

from pydantic import BaseModel
from pydantic import Field

from coordination.api.schemas.common import Id
from coordination.api.schemas.common import Strict
from coordination.evaluation.enums import IndicatorDimension
from coordination.evaluation.enums import InviteReason
from coordination.evaluation.enums import QuestionKind
from coordination.evaluation.enums import ResponseMethod
from coordination.evaluation.enums import ReviewDecision
from coordination.evaluation.enums import SurveyStatus
from coordination.projects.enums import ProjectStatus


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


class MySurveyOut(BaseModel):
    """A survey the caller was invited to or answered."""

    survey_id: int
    project_id: int
    project_title: str
    open: bool = Field(description="It takes answers now")
    answered: bool = Field(description="The caller has answered it")
    reason: InviteReason | None = Field(description="Why the caller was invited (raised or supported one of the "
                                                    "project's needs, or volunteered on it); null: answered "
                                                    "without an invitation")
    reason_label: str | None = Field(description="The reason in the reader's language")
    closes_on: date | None
    link: str = Field(description="The survey's web page")


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
