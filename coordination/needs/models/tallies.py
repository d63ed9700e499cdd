"""Maintained counts of needs (需求统计): one row per combination of the menu's dimensions.

The rows are kept by database triggers (migration 0008) in the transaction that inserts,
changes or deletes a need, so a count is never stale and concurrent changes cannot lose an
update (each trigger runs ``count = count + 1`` or an upsert). ``counters.rebuild_all()``
recomputes them from scratch; ``counters.check()`` compares.
"""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from coordination.core.models.base import Base

NO_CATEGORY = 0  # category_id of needs without a category (a key column cannot be NULL)


class NeedTally(Base):
    """How many needs (and how many supports on them) share a status, visibility, category,
    area, channel and kind."""

    __tablename__ = "need_tallies"
    __table_args__ = {"info": {"derived": True}}

    status: Mapped[str] = mapped_column(String(32), primary_key=True)
    hidden: Mapped[bool] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    area_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    count: Mapped[int] = mapped_column(default=0, server_default="0")
    supports: Mapped[int] = mapped_column(default=0, server_default="0")
