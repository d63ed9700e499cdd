"""Indicator scores by evaluators, and the street committee's review of an evaluation."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint
from sqlalchemy import Numeric
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from coordination.core.enums import enum_column
from coordination.core.models.base import Entity
from coordination.core.models.base import key_of
from coordination.core.models.base import part_of
from coordination.core.models.base import utcnow
from coordination.core.models.chain import HashChained
from coordination.evaluation.enums import ReviewDecision


class IndicatorScore(Entity):
    """One evaluator's score (0–100) of one indicator of a project; re-scoring replaces it."""

    __tablename__ = "indicator_scores"
    __table_args__ = (
        UniqueConstraint("project_id", "indicator_id", "evaluator_id", name="uq_indicator_scores_once"),
        CheckConstraint("score >= 0 AND score <= 100", name="score_range"),
    )

    project_id: Mapped[int] = part_of("projects")
    indicator_id: Mapped[int] = key_of("indicators", index=True)
    evaluator_id: Mapped[int] = key_of("users")
    score: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    scored_at: Mapped[datetime] = mapped_column(default=utcnow)


class EvaluationReview(HashChained, Entity):
    """The street Party working committee's decision on an evaluation (审核); append-only and
    hash-chained over every column below."""

    __tablename__ = "evaluation_reviews"
    __chained__ = ("project_id", "decision", "comment", "reviewer_id", "created_at")

    project_id: Mapped[int] = part_of("projects")
    decision: Mapped[ReviewDecision] = mapped_column(enum_column(ReviewDecision, "review_decision"))
    comment: Mapped[str | None] = mapped_column(Text)
    reviewer_id: Mapped[int] = key_of("users")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    reviewer = relationship("User")
