"""Schemas of a person's notifications (站内通知)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from pydantic import Field

from coordination.api.schemas.common import Id
from coordination.api.schemas.common import PageQuery
from coordination.api.schemas.common import Strict


class NotificationOut(BaseModel):
    id: int
    kind: str = Field(description="What happened, e.g. `need.status`, `need.merged`, `evaluation.invited`")
    text: str = Field(description="The message in the reader's language")
    link: str | None = Field(description="The page it is about (a path on the site)")
    created_at: datetime
    read: bool


class NotificationQuery(PageQuery):
    unread: bool = Field(False, description="1: only the unread ones")


class ReadBody(Strict):
    ids: list[Id] | None = Field(None, max_length=1000, description="The notifications to mark read; none: all "
                                                                     "(ids of other people's notifications are "
                                                                     "ignored)")


class UnreadOut(BaseModel):
    unread: int = Field(description="How many of the caller's notifications are still unread")
