"""Schemas of projects: drafting, the council's votes, claiming, progress and completion."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import Literal

from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field

from coordination.api.schemas.common import Count
from coordination.api.schemas.common import Hours
from coordination.api.schemas.common import Id
from coordination.api.schemas.common import Money
from coordination.api.schemas.common import PageQuery
from coordination.api.schemas.common import Strict
from coordination.api.schemas.common import status_list
from coordination.api.schemas.needs import CategoryRef
from coordination.projects.enums import FundingSource
from coordination.projects.enums import ProjectStatus
from coordination.projects.enums import VoteChoice


class FundingItem(Strict):
    source: Literal["self_governance", "unit", "street", "other"]
    amount: Money
    note: str | None = Field(None, max_length=200)


class ProjectCreate(Strict):
    title: str = Field(min_length=1, max_length=120)
    description: str = Field(min_length=1, max_length=10000)
    category_id: Id
    place_id: Id = Field(description="The area, community or building of the project")
    need_ids: list[Id] = Field(min_length=1, max_length=100, description="Accepted needs the project is built on")
    budget: Money = Field(description="Yuan")
    planned_start: date
    planned_end: date
    committee_id: Id | None = None
    goals: str | None = Field(None, max_length=5000)
    expected_beneficiaries: Count | None = Field(None)
    volunteer_places: Count | None = Field(None)
    funding: list[FundingItem] = Field(default_factory=list, description="Sources adding up to the budget")


class ProjectQuery(PageQuery):
    status: status_list(ProjectStatus) | None = Field(None, description="One status or several separated by commas")
    category_id: Id | None = None
    place_id: Id | None = None
    unit_id: Id | None = Field(None, description="Projects led or joined by this member unit")
    committee_id: Id | None = None
    q: str | None = Field(None, max_length=100)
    overdue: bool = False
    after: str | None = Field(None, max_length=200, description="The `next` cursor of the previous page "
                                                                "(deep pages; `page` is then ignored)")


class UnitBrief(BaseModel):
    id: int
    name: str


class HistoryEntry(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: ProjectStatus | None = Field(None, alias="from", serialization_alias="from")
    to: ProjectStatus | None
    by: str | None
    at: datetime
    comment: str | None


class Tally(BaseModel):
    approve: int
    reject: int
    abstain: int


class VoteOut(BaseModel):
    round: int
    voter: str
    vote: VoteChoice
    comment: str | None
    at: datetime


class FundingOut(BaseModel):
    source: FundingSource
    amount: float
    note: str | None


class ProjectOut(BaseModel):
    id: int
    title: str
    description: str
    goals: str | None
    status: ProjectStatus
    status_label: str
    category_id: Id
    category: CategoryRef
    area_id: int
    place_id: int | None
    committee_id: int | None
    committee: str | None
    budget: float
    funding: list[FundingOut]
    planned_start: date
    planned_end: date
    expected_beneficiaries: int | None
    volunteer_places: int | None
    lead_unit: UnitBrief | None
    partner_units: list[UnitBrief]
    need_ids: list[int]
    round: int
    tally: Tally | None = Field(None, description="The current round's votes")
    votes: list[VoteOut] | None = Field(None, description="For staff, the council and the committees")
    progress_percent: int
    spent: float
    volunteer_hours: float
    beneficiaries: int
    overdue: bool
    completion_report: str | None
    history: list[HistoryEntry]
    created_at: datetime
    updated_at: datetime


class VoteBody(Strict):
    vote: Literal["approve", "reject", "abstain"]
    comment: str | None = Field(None, max_length=2000)


class VoteResult(BaseModel):
    project_status: ProjectStatus
    tally: Tally


class DecisionBody(Strict):
    decision: Literal["approve", "return", "reject"]
    comment: str | None = Field(None, max_length=2000)


class ClaimBody(Strict):
    note: str | None = Field(None, max_length=2000)


class ReleaseBody(Strict):
    reason: str = Field(min_length=1, max_length=2000)


class ProgressBody(Strict):
    percent: int = Field(ge=0, le=100)
    note: str = Field(min_length=1, max_length=5000)
    participants: Count | None = Field(None, description="Member units taking part")
    party_members: Count | None = Field(None)
    volunteers: Count | None = Field(None)
    volunteer_hours: Hours | None = None
    beneficiaries: Count | None = Field(None, description="People served (residents unless split below)")
    beneficiaries_residents: Count | None = Field(None)
    beneficiaries_workers: Count | None = Field(None)
    spent: Money | None = Field(None, description="Yuan spent in this period")


class ProgressOut(BaseModel):
    id: int
    project_id: int
    percent: int
    note: str
    spent: float
    created_at: datetime


class CompleteBody(Strict):
    report: str = Field(min_length=1, max_length=20000)


class JoinOut(BaseModel):
    project_id: int
    partner_units: list[UnitBrief]
