"""The seven categories of the needs menu (需求菜单)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from coordination.core.models.base import Entity
from coordination.core.models.base import LocalNameMixin
from coordination.core.models.base import TimestampMixin


class Category(LocalNameMixin, TimestampMixin, Entity):
    """A category of the needs menu (需求类别), numbered 1–7 as in the scheme."""

    __tablename__ = "categories"
    __table_args__ = (CheckConstraint("code BETWEEN 1 AND 99", name="code_range"),)

    code: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    name_en: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
