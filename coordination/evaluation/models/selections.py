"""The annual "most creative Party-building project" selection (最具创意党建项目评选)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from coordination.core.enums import enum_column
from coordination.core.models.base import Entity
from coordination.core.models.base import TimestampMixin
from coordination.core.models.base import key_of
from coordination.core.models.base import part_of
from coordination.core.models.base import utcnow
from coordination.core.models.chain import HashChained
from coordination.evaluation.enums import SelectionStatus


class Selection(TimestampMixin, Entity):
    __tablename__ = "selections"
    __table_args__ = (CheckConstraint("max_choices >= 1", name="max_choices_positive"),)

    year: Mapped[int] = mapped_column(unique=True)
    status: Mapped[SelectionStatus] = mapped_column(enum_column(SelectionStatus, "selection_status"),
                                                    default=SelectionStatus.OPEN)
    max_choices: Mapped[int] = mapped_column(default=3)
    opened_by_id: Mapped[int | None] = key_of("users")
    closed_at: Mapped[datetime | None]

    nominees: Mapped[list[Nominee]] = relationship(back_populates="selection", order_by="Nominee.id")

    @property
    def audit_label(self) -> str:
        return str(self.year)


class Nominee(Entity):
    """A nominated project and its vote count. Ballots only add to the count, so no row ever
    says who chose what."""

    __tablename__ = "selection_nominees"
    __table_args__ = (
        UniqueConstraint("selection_id", "project_id", name="uq_selection_nominees_project"),
        CheckConstraint("votes >= 0", name="votes_positive"),
    )

    selection_id: Mapped[int] = part_of("selections")
    project_id: Mapped[int] = key_of("projects")
    votes: Mapped[int] = mapped_column(default=0, server_default="0")

    selection: Mapped[Selection] = relationship(back_populates="nominees")
    project = relationship("Project")


class Ballot(HashChained, Entity):
    """That a person voted (one ballot each) — never for whom. Append-only and hash-chained
    over the columns below, none of which says what was chosen; the counts on ``Nominee`` are
    checked against the closing audit record and the number of ballots."""

    __tablename__ = "selection_ballots"
    __chained__ = ("selection_id", "voter_id", "cast_at")
    __table_args__ = (UniqueConstraint("selection_id", "voter_id", name="uq_selection_ballots_voter"),)

    selection_id: Mapped[int] = part_of("selections")
    voter_id: Mapped[int] = key_of("users")
    cast_at: Mapped[datetime] = mapped_column(default=utcnow)
