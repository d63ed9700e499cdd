"""Schemas of the reference data: places, categories, member units, indicators."""

from __future__ import annotations

from pydantic import BaseModel
from pydantic import Field

from coordination.evaluation.enums import IndicatorDimension
from coordination.places.enums import PartyOrgKind
from coordination.places.enums import PlaceKind
from coordination.places.enums import UnitType


class PlaceOut(BaseModel):
    id: int
    name: str
    kind: PlaceKind
    area_id: int | None = Field(description="The area a community or building belongs to; null for an area")
    address: str | None = None


class CategoryOut(BaseModel):
    id: int
    code: int = Field(ge=1, le=7)
    name: str
    name_en: str


class PartyOrganisationOut(BaseModel):
    id: int
    name: str
    kind: PartyOrgKind
    member_count: int


class UnitOut(BaseModel):
    id: int
    name: str
    area_id: int
    unit_type: UnitType
    building_id: int | None
    party_organisations: list[PartyOrganisationOut]
    party_member_count: int
    contact_name: str | None = Field(None, description="Masked except for staff")
    contact_phone: str | None = Field(None, description="Masked except for staff")


class IndicatorOut(BaseModel):
    id: int
    dimension: IndicatorDimension
    name: str
    name_en: str
    weight: float
