"""The street and its places: areas, residential communities and office buildings."""

from __future__ import annotations

from sqlalchemy import CheckConstraint
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
from coordination.core.models.base import is_enum
from coordination.core.models.base import key_of
from coordination.places.enums import PlaceKind


class Street(TimestampMixin, Entity):
    """A city street (街道), the top of the organisation."""

    __tablename__ = "streets"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    district: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)

    areas: Mapped[list["Place"]] = relationship(
        back_populates="street",
        primaryjoin="and_(Street.id == Place.street_id, Place.kind == 'area')",
        viewonly=True,
        order_by="Place.name",
    )

    def __str__(self) -> str:
        return self.name


class Place(TimestampMixin, Entity):
    """An area (片区), a residential community (居民区) or an office building (楼宇).

    Areas have no parent; communities and buildings belong to one area. One table keeps
    the ids unique across kinds, as the API's ``place_id`` needs.
    """

    __tablename__ = "places"
    __table_args__ = (
        CheckConstraint(
            f"({is_enum('kind', PlaceKind.AREA)} AND area_id IS NULL) "
            f"OR ({is_enum('kind', PlaceKind.AREA, negate=True)} AND area_id IS NOT NULL)",
            name="area_parent",
        ),
        UniqueConstraint("area_id", "name", name="uq_places_area_name"),
    )

    street_id: Mapped[int] = key_of("streets", index=True)
    kind: Mapped[PlaceKind] = mapped_column(enum_column(PlaceKind, "place_kind"), index=True)
    area_id: Mapped[int | None] = key_of("places", index=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True, server_default=true())

    street: Mapped[Street] = relationship(foreign_keys=[street_id])
    area: Mapped["Place | None"] = relationship(remote_side="Place.id", back_populates="places")
    places: Mapped[list["Place"]] = relationship(back_populates="area", order_by="Place.name")

    @property
    def is_area(self) -> bool:
        return self.kind == PlaceKind.AREA

    @property
    def area_or_self_id(self) -> int:
        return self.id if self.is_area else self.area_id

    def __str__(self) -> str:
        return self.name
