"""Satisfaction surveys (满意度测评): questions, the people invited, one-time invitation codes,
responses."""

from __future__ import annotations

from datetime import date
from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy import and_
from sqlalchemy import false
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from coordination.core.enums import enum_column
from coordination.core.models.base import Entity
from coordination.core.models.base import TimestampMixin
from coordination.core.models.base import is_enum
from coordination.core.models.base import key_of
from coordination.core.models.base import part_of
from coordination.core.models.base import utcnow
from coordination.evaluation.enums import InviteReason
from coordination.evaluation.enums import QuestionKind
from coordination.evaluation.enums import ResponseMethod
from coordination.evaluation.enums import SurveyStatus


class Survey(TimestampMixin, Entity):
    """The satisfaction survey of one project's evaluation (满意度测评)."""

    __tablename__ = "surveys"

    project_id: Mapped[int] = part_of("projects", unique=True)
    status: Mapped[SurveyStatus] = mapped_column(enum_column(SurveyStatus, "survey_status"),
                                                 default=SurveyStatus.OPEN)
    closes_on: Mapped[date | None]
    opened_by_id: Mapped[int | None] = key_of("users")
    closed_at: Mapped[datetime | None]

    project = relationship("Project")
    questions: Mapped[list[SurveyQuestion]] = relationship(
        back_populates="survey", order_by="SurveyQuestion.position", cascade="all, delete-orphan")

    @hybrid_property
    def is_open(self) -> bool:
        """Open and not past its closing day: it takes answers (in Python and in SQL)."""
        return self.status == SurveyStatus.OPEN and (self.closes_on is None or self.closes_on >= date.today())

    @is_open.inplace.expression
    @classmethod
    def _is_open(cls):
        return and_(cls.status == SurveyStatus.OPEN, or_(cls.closes_on.is_(None), cls.closes_on >= date.today()))


class SurveyQuestion(Entity):
    """A question: a 1–5 score or free text. Exactly one score question is the overall one."""

    __tablename__ = "survey_questions"
    __table_args__ = (
        CheckConstraint(f"NOT overall OR {is_enum('kind', QuestionKind.LIKERT)}", name="overall_is_likert"),
        Index("uq_survey_questions_one_overall", "survey_id", unique=True,
              sqlite_where=text("overall"), postgresql_where=text("overall")),
    )

    survey_id: Mapped[int] = part_of("surveys")
    position: Mapped[int]
    text: Mapped[str] = mapped_column(String(300))
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind, "question_kind"))
    overall: Mapped[bool] = mapped_column(default=False, server_default=false())

    survey: Mapped[Survey] = relationship(back_populates="questions")


class SurveyInvitee(Entity):
    """A person invited to answer a survey because it served them (受邀测评对象): they raised or
    supported one of the project's needs, or volunteered on it. Once per person and survey."""

    __tablename__ = "survey_invitees"
    __table_args__ = (
        UniqueConstraint("survey_id", "user_id", name="uq_survey_invitees_once"),
        Index("ix_survey_invitees_user", "user_id", "survey_id"),  # my surveys
    )

    survey_id: Mapped[int] = part_of("surveys")
    user_id: Mapped[int] = key_of("users")
    reason: Mapped[InviteReason] = mapped_column(enum_column(InviteReason, "invite_reason"))
    invited_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.current_timestamp())


class SurveyInvite(Entity):
    """A one-time invitation code for a respondent without an account (stored hashed)."""

    __tablename__ = "survey_invites"

    survey_id: Mapped[int] = part_of("surveys")
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = key_of("users")
    used_at: Mapped[datetime | None]


class SurveyResponse(Entity):
    """One person's answers. Never edited after submission; one per person and per code."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        UniqueConstraint("survey_id", "respondent_id", name="uq_survey_responses_person"),
        UniqueConstraint("invite_id", name="uq_survey_responses_invite"),
    )

    survey_id: Mapped[int] = part_of("surveys")
    respondent_id: Mapped[int | None] = key_of("users")
    invite_id: Mapped[int | None] = key_of("survey_invites")
    method: Mapped[ResponseMethod] = mapped_column(enum_column(ResponseMethod, "response_method"))
    entered_by_id: Mapped[int | None] = key_of("users")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    answers: Mapped[list[SurveyAnswer]] = relationship(cascade="all, delete-orphan")


class SurveyAnswer(Entity):
    __tablename__ = "survey_answers"
    __table_args__ = (
        UniqueConstraint("response_id", "question_id", name="uq_survey_answers_once"),
        CheckConstraint("score IS NULL OR score BETWEEN 1 AND 5", name="score_range"),
    )

    response_id: Mapped[int] = part_of("survey_responses")
    question_id: Mapped[int] = part_of("survey_questions")
    score: Mapped[int | None]
    text: Mapped[str | None] = mapped_column(Text)
