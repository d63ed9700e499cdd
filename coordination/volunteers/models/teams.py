"""Volunteer teams: one mobile team per residential community (居民区流动志愿服务队), linked to
one or two office buildings through Party-member service points (党员服务点)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import CheckConstraint
from sqlalchemy import ForeignKey
from sqlalchemy import Numeric
from sqlalchemy import SmallInteger
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy import true
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from coordination.core.models.base import Entity
from coordination.core.models.base import TimestampMixin
from coordination.core.models.base import key_of
from coordination.core.models.base import part_of


class VolunteerTeam(TimestampMixin, Entity):
    """The volunteer team of one residential community. ``hours_total`` sums its members'
    recorded hours, kept current with them."""

    __tablename__ = "volunteer_teams"
    __table_args__ = (CheckConstraint("hours_total >= 0", name="hours_total_positive"),)

    community_id: Mapped[int] = mapped_column(ForeignKey("places.id"), unique=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    hours_total: Mapped[Decimal] = mapped_column(Numeric(12, 1), default=0, server_default="0")

    community = relationship("Place")
    members = relationship("VolunteerProfile", back_populates="team")
    service_points: Mapped[list[ServicePoint]] = relationship(back_populates="team", order_by="ServicePoint.slot",
                                                              cascade="all, delete-orphan")

    def __str__(self) -> str:
        return self.name


class ServicePoint(Entity):
    """A Party-member service point in an office building, linking it to a team: at most two
    per team (slots 1 and 2), each building once per team."""

    __tablename__ = "volunteer_service_points"
    __table_args__ = (
        UniqueConstraint("team_id", "slot", name="uq_volunteer_service_points_slot"),
        UniqueConstraint("team_id", "building_id", name="uq_volunteer_service_points_building"),
        CheckConstraint("slot IN (1, 2)", name="at_most_two"),
    )

    team_id: Mapped[int] = part_of("volunteer_teams")
    building_id: Mapped[int] = key_of("places", index=True)
    slot: Mapped[int] = mapped_column(SmallInteger)
    name: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(200))

    team: Mapped[VolunteerTeam] = relationship(back_populates="service_points")
    building = relationship("Place")
