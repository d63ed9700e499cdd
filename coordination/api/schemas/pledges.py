"""Schemas of pledges (承诺、践诺、评诺): making, listing, keeping, following and rating."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel
from pydantic import Field

from coordination.api.schemas.common import Id
from coordination.api.schemas.common import PageQuery
from coordination.api.schemas.common import Strict
from coordination.pledges.enums import PledgeStatus


class PledgeCreate(Strict):
    title: str = Field(min_length=1, max_length=120, description="What the volunteer pledges")
    content: str = Field(min_length=1, max_length=2000, description="What exactly they will do")
    due_on: date = Field(description="By when (today or later, within five years)")
    community_id: Id | None = Field(None, description="The residential community or office building it serves; "
                                                      "default: the volunteer's team's community, or their own place")


class FulfilmentBody(Strict):
    note: str = Field(min_length=1, max_length=2000, description="How the pledge was kept")


class RatingBody(Strict):
    score: int = Field(ge=1, le=5, description="1 (very dissatisfied) to 5 (very satisfied)")
    comment: str | None = Field(None, max_length=500)


class PledgeQuery(PageQuery):
    community_id: Id | None = Field(None, description="Only the pledges serving this community or building")
    status: Literal[tuple(s.value for s in PledgeStatus)] | None = Field(  # the statuses' codes
        None, description="made (pledged) or kept")
    after: str | None = Field(None, max_length=200, description="The `next` cursor of the previous page "
                                                                "(deep pages; `page` is then ignored)")


class PledgeOut(BaseModel):
    id: int
    title: str
    content: str
    due_on: date
    status: PledgeStatus
    status_label: str
    overdue: bool = Field(description="Pledged, not yet kept, and its date has passed")
    pledger_name: str = Field(description="The volunteer's display name (never their contact data)")
    party_member: bool
    community_id: int
    community_name: str
    fulfilment_note: str | None = None
    fulfilled_at: datetime | None = None
    photos: list[str] = Field(default_factory=list, description="URLs of the fulfilment's photos")
    rating_count: int
    average_rating: Decimal | None = Field(None, description="Mean score to one decimal; null before the first")
    following: bool | None = Field(None, description="Whether the caller follows it (null without a token)")
    my_score: int | None = Field(None, description="The caller's own rating, if they rated it")
    created_at: datetime


class FollowState(BaseModel):
    following: bool


class RatingOut(BaseModel):
    id: int
    pledge_id: int
    score: int
    comment: str | None
    created_at: datetime
    rating_count: int
    average_rating: Decimal
