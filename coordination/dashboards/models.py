"""Exports prepared in the background (后台导出)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from coordination.core.enums import enum_column
from coordination.core.models.base import Entity
from coordination.core.models.base import part_of
from coordination.core.models.base import utcnow
from coordination.dashboards.enums import ExportStatus


class ExportJob(Entity):
    """A large export asked for on the web: the worker writes the file and its progress; only
    the person who asked may download it, until it expires."""

    __tablename__ = "export_jobs"

    user_id: Mapped[int] = part_of("users")
    kind: Mapped[str] = mapped_column(String(20))
    fmt: Mapped[str] = mapped_column(String(8))
    locale: Mapped[str] = mapped_column(String(10), default="zh_CN", server_default="zh_CN")
    status: Mapped[ExportStatus] = mapped_column(enum_column(ExportStatus, "export_status"),
                                                 default=ExportStatus.QUEUED, server_default="queued")
    rows_total: Mapped[int] = mapped_column(default=0, server_default="0")
    rows_done: Mapped[int] = mapped_column(default=0, server_default="0")
    file_name: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None]
    expires_at: Mapped[datetime]

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.READY:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(self.rows_done * 100 / self.rows_total))
