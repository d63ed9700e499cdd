"""Schemas of needs: submitting, listing, triage, support and follow."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel
from pydantic import Field

from coordination.api.schemas.common import Id
from coordination.api.schemas.common import PageQuery
from coordination.api.schemas.common import Strict
from coordination.api.schemas.common import status_list
from coordination.needs.enums import NeedChannel
from coordination.needs.enums import NeedKind
from coordination.needs.enums import NeedStatus


class OnBehalfOf(Strict):
    name: str = Field(min_length=1, max_length=60, description="The person the need comes from")
    phone: str | None = Field(None, max_length=30)
    email: str | None = Field(None, max_length=254)


class NeedCreate(Strict):
    kind: Literal["idea", "wish", "request"]
    title: str = Field(min_length=1, max_length=120)
    description: str = Field(min_length=1, max_length=5000)
    place_id: Id = Field(description="A residential community or an office building")
    category_id: Id | None = None
    channel: Literal["online", "meeting_hall", "reception_room", "visit", "hotline"] | None = Field(
        None, description="Other than online: staff only")
    on_behalf_of: str | OnBehalfOf | None = Field(None, description="Staff only: the person's name, "
                                                                     "or {name, phone, email}")
    show_submitter: bool = Field(False, description="Show the submitter's name publicly")


class NeedQuery(PageQuery):
    status: status_list(NeedStatus) | None = Field(
        None, description="One status or several separated by commas; default: accepted, in_project, fulfilled")
    category_id: Id | None = None
    place_id: Id | None = None
    area_id: Id | None = None
    kind: Literal["idea", "wish", "request"] | None = None
    channel: Literal["online", "meeting_hall", "reception_room", "visit", "hotline"] | None = None
    q: str | None = Field(None, max_length=100, description="Words in the title or description")
    sort: Literal["supports", "newest", "oldest"] = "supports"
    after: str | None = Field(None, max_length=200, description="The `next` cursor of the previous page "
                                                                "(deep pages; `page` is then ignored)")


class CategoryRef(BaseModel):
    id: int
    code: int
    name: str


class NeedOut(BaseModel):
    id: int
    kind: NeedKind
    title: str
    description: str
    status: NeedStatus
    status_label: str
    category_id: int | None
    category: CategoryRef | None
    place_id: Id
    place_name: str
    area_id: int
    channel: NeedChannel
    supports: int
    project_id: int | None = None
    submitter_name: str | None = Field(None, description="Only if the submitter chose to show it "
                                                        "(always for staff and the submitter)")
    contact_phone: str | None = Field(None, description="Staff only")
    contact_email: str | None = Field(None, description="Staff only")
    merged_into: int | None = None
    rejection_reason: str | None = Field(None, description="For the submitter and staff")
    hidden: bool = False
    photos: list[str] = Field(default_factory=list, description="URLs of the photos")
    supported_by_me: bool | None = None
    following: bool | None = None
    created_at: datetime
    updated_at: datetime


class SupportOut(BaseModel):
    supports: int
    supported: bool


class TriageBody(Strict):
    action: Literal["accept", "reject", "merge"]
    category_id: Id | None = None
    reason: str | None = Field(None, max_length=2000)
    merge_into: Id | None = None


class ReasonBody(Strict):
    reason: str = Field(min_length=1, max_length=2000)


class FollowOut(BaseModel):
    following: bool


class SimilarQuery(BaseModel):
    title: str = Field(min_length=1, max_length=120)
    description: str | None = Field(None, max_length=5000)
    place_id: Id


class SimilarNeed(BaseModel):
    id: int
    title: str
    status: NeedStatus
    place_name: str
    supports: int
