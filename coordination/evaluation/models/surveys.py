"""Satisfaction surveys (满意度测评): questions, one-time invitation codes, responses."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.core.enums import enum_column
from coordination.core.models.base import Base, TimestampMixin, is_enum, utcnow
from coordination.evaluation.enums import QuestionKind, ResponseMethod, SurveyStatus


class Survey(TimestampMixin, Base):
    """The satisfaction survey of one project's evaluation (满意度测评)."""

    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), unique=True)
    status: Mapped[SurveyStatus] = mapped_column(enum_column(SurveyStatus, "survey_status"),
                                                 default=SurveyStatus.OPEN)
    closes_on: Mapped[date | None]
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None]

    project = relationship("Project")
    questions: Mapped[list[SurveyQuestion]] = relationship(
        back_populates="survey", order_by="SurveyQuestion.position", cascade="all, delete-orphan")


class SurveyQuestion(Base):
    """A question: a 1–5 score or free text. Exactly one score question is the overall one."""

    __tablename__ = "survey_questions"
    __table_args__ = (
        CheckConstraint(f"NOT overall OR {is_enum('kind', QuestionKind.LIKERT)}", name="overall_is_likert"),
        Index("uq_survey_questions_one_overall", "survey_id", unique=True,
              sqlite_where=text("overall"), postgresql_where=text("overall")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(String(300))
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind, "question_kind"))
    overall: Mapped[bool] = mapped_column(default=False, server_default=false())

    survey: Mapped[Survey] = relationship(back_populates="questions")


class SurveyInvite(Base):
    """A one-time invitation code for a respondent without an account (stored hashed)."""

    __tablename__ = "survey_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    used_at: Mapped[datetime | None]


class SurveyResponse(Base):
    """One person's answers. Never edited after submission; one per person and per code."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        UniqueConstraint("survey_id", "respondent_id", name="uq_survey_responses_person"),
        UniqueConstraint("invite_id", name="uq_survey_responses_invite"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    respondent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    invite_id: Mapped[int | None] = mapped_column(ForeignKey("survey_invites.id"))
    method: Mapped[ResponseMethod] = mapped_column(enum_column(ResponseMethod, "response_method"))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    answers: Mapped[list[SurveyAnswer]] = relationship(cascade="all, delete-orphan")


class SurveyAnswer(Base):
    __tablename__ = "survey_answers"
    __table_args__ = (
        UniqueConstraint("response_id", "question_id", name="uq_survey_answers_once"),
        CheckConstraint("score IS NULL OR score BETWEEN 1 AND 5", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id", ondelete="CASCADE"), index=True)
    score: Mapped[int | None]
    text: Mapped[str | None] = mapped_column(Text)
