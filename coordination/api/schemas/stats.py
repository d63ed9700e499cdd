"""Schemas of the headline figures (GET /stats/summary)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel
from pydantic import Field

from coordination.needs.enums import NeedStatus
from coordination.projects.enums import ProjectStatus

CategoryCode = Annotated[str, Field(pattern=r"^[1-7]$")]


class NeedFigures(BaseModel):
    by_status: dict[NeedStatus, int] = Field(description="Needs per status (statuses with none left out)")
    by_category: dict[CategoryCode, int] = Field(description="Needs per category code 1–7")


class ProjectFigures(BaseModel):
    by_status: dict[ProjectStatus, int] = Field(description="Projects per status (statuses with none left out)")


class StatsOut(BaseModel):
    needs: NeedFigures
    projects: ProjectFigures
    units: int
    party_members: int
    beneficiaries: int
    satisfaction_rate: float | None
