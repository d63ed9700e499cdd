"""The regional Party-building promotion association of an area, and its organs."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy import true
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from coordination.core.enums import enum_column
from coordination.core.models.base import Entity
from coordination.core.models.base import TimestampMixin
from coordination.core.models.base import key_of
from coordination.places.enums import CouncilPosition
from coordination.places.models.places import Place
from coordination.places.models.units import MemberUnit


class Association(TimestampMixin, Entity):
    """The regional Party-building promotion association (区域党建促进会) of one area."""

    __tablename__ = "associations"

    area_id: Mapped[int] = mapped_column(ForeignKey("places.id"), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    founded_on: Mapped[date | None]
    description: Mapped[str | None] = mapped_column(Text)

    area: Mapped[Place] = relationship()
    council_members: Mapped[list["CouncilMember"]] = relationship(
        back_populates="association", order_by="CouncilMember.id"
    )
    committees: Mapped[list["ProfessionalCommittee"]] = relationship(
        back_populates="association", order_by="ProfessionalCommittee.id"
    )
    president_terms: Mapped[list["PresidentTerm"]] = relationship(
        back_populates="association", order_by="PresidentTerm.starts_on.desc()"
    )

    def current_president(self, on: date) -> "PresidentTerm | None":
        for term in self.president_terms:
            if term.starts_on <= on and (term.ends_on is None or on <= term.ends_on):
                return term
        return None

    def __str__(self) -> str:
        return self.name


class CouncilMember(TimestampMixin, Entity):
    """A seat on the association's council (理事会), held by a user with the council role."""

    __tablename__ = "council_members"
    __table_args__ = (UniqueConstraint("association_id", "user_id", name="uq_council_member"),)

    association_id: Mapped[int] = key_of("associations", index=True)
    user_id: Mapped[int] = key_of("users", index=True)
    unit_id: Mapped[int | None] = key_of("member_units")
    position: Mapped[CouncilPosition] = mapped_column(
        enum_column(CouncilPosition, "council_position"), default=CouncilPosition.MEMBER
    )
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    joined_on: Mapped[date | None]

    association: Mapped[Association] = relationship(back_populates="council_members")
    user = relationship("User")
    unit: Mapped[MemberUnit | None] = relationship()

    def __str__(self) -> str:
        return f"{self.user.display_name}"


class ProfessionalCommittee(TimestampMixin, Entity):
    """A professional committee (专业委员会) of the association; a project is assigned to one."""

    __tablename__ = "professional_committees"
    __table_args__ = (UniqueConstraint("association_id", "name", name="uq_committee_name"),)

    association_id: Mapped[int] = key_of("associations", index=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    convener_unit_id: Mapped[int | None] = key_of("member_units")

    association: Mapped[Association] = relationship(back_populates="committees")
    convener_unit: Mapped[MemberUnit | None] = relationship()

    def __str__(self) -> str:
        return self.name


class PresidentTerm(TimestampMixin, Entity):
    """A term of the rotating president (轮值会长): a member unit and its representative."""

    __tablename__ = "president_terms"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="term_dates"),
    )

    association_id: Mapped[int] = key_of("associations", index=True)
    unit_id: Mapped[int] = key_of("member_units")
    president_name: Mapped[str] = mapped_column(String(60))
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]

    association: Mapped[Association] = relationship(back_populates="president_terms")
    unit: Mapped[MemberUnit] = relationship()

    def __str__(self) -> str:
        return f"{self.unit.name} ({self.starts_on} – {self.ends_on or ''})"
