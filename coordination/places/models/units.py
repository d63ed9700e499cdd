"""Member units of the promotion association and their Party organisations."""

from __future__ import annotations

from sqlalchemy import CheckConstraint
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import true
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import column_property
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from coordination.core.enums import enum_column
from coordination.core.models.base import Entity
from coordination.core.models.base import TimestampMixin
from coordination.core.models.base import key_of
from coordination.core.models.base import part_of
from coordination.places.enums import PartyOrgKind
from coordination.places.enums import UnitType
from coordination.places.models.places import Place


class PartyOrganisation(TimestampMixin, Entity):
    """A Party organisation (党组织) of a member unit, with its member count."""

    __tablename__ = "party_organisations"
    __table_args__ = (CheckConstraint("member_count >= 0", name="member_count_positive"),)

    unit_id: Mapped[int] = part_of("member_units")
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[PartyOrgKind] = mapped_column(enum_column(PartyOrgKind, "party_org_kind"))
    member_count: Mapped[int] = mapped_column(default=0, server_default="0")

    unit: Mapped["MemberUnit"] = relationship(back_populates="party_organisations")

    def __str__(self) -> str:
        return self.name


class MemberUnit(TimestampMixin, Entity):
    """A member unit (成员单位): a company, institution, agency or social organisation."""

    __tablename__ = "member_units"

    name: Mapped[str] = mapped_column(String(120), unique=True)
    short_name: Mapped[str | None] = mapped_column(String(40))
    unit_type: Mapped[UnitType] = mapped_column(enum_column(UnitType, "unit_type"))
    area_id: Mapped[int] = key_of("places", index=True)
    building_id: Mapped[int | None] = key_of("places")
    address: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    contact_name: Mapped[str | None] = mapped_column(String(60))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())

    area: Mapped[Place] = relationship(foreign_keys=[area_id])
    building: Mapped[Place | None] = relationship(foreign_keys=[building_id])
    party_organisations: Mapped[list[PartyOrganisation]] = relationship(
        back_populates="unit", cascade="all, delete-orphan", order_by=PartyOrganisation.id
    )

    def __str__(self) -> str:
        return self.name


# The sum of its Party organisations' members, read with the unit (declared once the unit's
# ``id`` column exists).
MemberUnit.party_member_count = column_property(
    select(func.coalesce(func.sum(PartyOrganisation.member_count), 0))
    .where(PartyOrganisation.unit_id == MemberUnit.id)
    .correlate_except(PartyOrganisation)
    .scalar_subquery(),
    deferred=False,
)
