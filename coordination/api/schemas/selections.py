"""Schemas of the annual selection: the selections, their nominees and results, a ballot."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from pydantic import Field

from coordination.api.schemas.common import Id
from coordination.api.schemas.common import Strict
from coordination.evaluation.enums import SelectionStatus


class NomineeOut(BaseModel):
    project_id: int
    title: str
    lead_unit: str | None = Field(description="The member unit that led the project")


class ResultOut(BaseModel):
    rank: int = Field(description="1 for the most votes; projects with as many votes share a rank")
    project_id: int
    title: str
    votes: int


class SelectionOut(BaseModel):
    id: int
    year: int
    status: SelectionStatus
    max_choices: int = Field(description="How many projects a ballot may choose at most")
    ballots: int = Field(description="Ballots cast so far")
    voted_by_me: bool | None = Field(description="Whether the caller has cast a ballot (null without a token)")
    closed_at: datetime | None
    nominees: list[NomineeOut]
    results: list[ResultOut] | None = Field(
        description="The nominees ranked by votes, once voting has closed; null while it is open (the counts "
                    "stay secret until then)")


class BallotBody(Strict):
    project_ids: list[Id] = Field(max_length=100, description="The chosen nominated projects, from 1 to `max_choices`")


class BallotOut(BaseModel):
    selection_id: int
    project_ids: list[int] = Field(description="The projects the ballot chose (not stored with the voter)")
