"""The indicator system (指标体系) used to score a project's evaluation."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import CheckConstraint
from sqlalchemy import Numeric
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy import true
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from coordination.core.enums import enum_column
from coordination.core.models.base import Entity
from coordination.core.models.base import LocalNameMixin
from coordination.core.models.base import TimestampMixin
from coordination.evaluation.enums import IndicatorDimension


class Indicator(LocalNameMixin, TimestampMixin, Entity):
    """An evaluation indicator (评估指标) in one of three dimensions, with its weight.

    Weights are percentages of the indicator score; the active indicators' weights add up
    to 100 (the admin page shows the sum per dimension and overall).
    """

    __tablename__ = "indicators"
    __table_args__ = (
        CheckConstraint("weight >= 0 AND weight <= 100", name="weight_range"),
        UniqueConstraint("dimension", "name", name="uq_indicators_dimension_name"),
    )

    dimension: Mapped[IndicatorDimension] = mapped_column(
        enum_column(IndicatorDimension, "indicator_dimension"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(150))
    description: Mapped[str | None] = mapped_column(Text)
    weight: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
