"""Maintained figures of each satisfaction survey (kept by triggers, see
``needs/models/tallies.py``)."""

from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from coordination.core.models.base import Base


class SurveyTally(Base):
    """A survey's respondents, the answers to its overall question with a score, and how many
    of those are satisfied (``scores.SATISFIED_MIN``)."""

    __tablename__ = "survey_tallies"
    __table_args__ = {"info": {"derived": True}}

    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True,
                                           autoincrement=False)
    respondents: Mapped[int] = mapped_column(default=0, server_default="0")
    answered: Mapped[int] = mapped_column(default=0, server_default="0")
    satisfied: Mapped[int] = mapped_column(default=0, server_default="0")
