"""Maintained counts of projects per status, category and area (kept by triggers, see
``needs/models/tallies.py``)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from coordination.core.models.base import Base


class ProjectTally(Base):
    """How many projects share a status, category and area."""

    __tablename__ = "project_tallies"
    __table_args__ = {"info": {"derived": True}}

    status: Mapped[str] = mapped_column(String(32), primary_key=True)
    category_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    area_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    count: Mapped[int] = mapped_column(default=0, server_default="0")
