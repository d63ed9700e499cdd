"""Pydantic schemas of the API's bodies and answers (shared by every route module)."""

from __future__ import annotations

from datetime import datetime
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Strict(BaseModel):
    """Request bodies: unknown fields are an error, strings are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ErrorDetail(BaseModel):
    code: str = Field(description="Machine-readable error code")
    message: str = Field(description="Human-readable text in the requested language")
    fields: dict[str, str] = Field(default_factory=dict, description="Bad field → what is wrong")


class ErrorResponse(BaseModel):
    error: ErrorDetail


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int


class PageQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    page: int = Field(1, ge=1, le=100000)
    per_page: int = Field(20, ge=1, le=100)


class ItemList(BaseModel, Generic[T]):
    items: list[T]


# --------------------------------------------------------------------------- accounts

class RegisterBody(Strict):
    username: str = Field(min_length=1, max_length=40)
    password: str = Field(min_length=1, max_length=128)
    display_name: str = Field(min_length=1, max_length=60)
    role: Literal["resident", "worker"]
    place_id: int
    phone: str | None = Field(None, max_length=30)
    email: str | None = Field(None, max_length=254)


class TokenBody(Strict):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=128)


class UnitRef(BaseModel):
    id: int
    name: str


class PlaceRef(BaseModel):
    id: int
    name: str
    kind: Literal["area", "community", "building"]
    area_id: int | None


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    roles: list[str]
    unit: UnitRef | None = None
    place: PlaceRef | None = None
    created_at: datetime | None = None


class TokenUser(BaseModel):
    id: int
    username: str
    display_name: str
    roles: list[str]


class TokenOut(BaseModel):
    token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_at: datetime
    user: TokenUser


# --------------------------------------------------------------------------- places

class PlaceOut(BaseModel):
    id: int
    name: str
    kind: Literal["area", "community", "building"]
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
    kind: str
    member_count: int


class UnitOut(BaseModel):
    id: int
    name: str
    area_id: int
    unit_type: str
    building_id: int | None
    party_organisations: list[PartyOrganisationOut]
    party_member_count: int
    contact_name: str | None = Field(None, description="Masked except for staff")
    contact_phone: str | None = Field(None, description="Masked except for staff")


class IndicatorOut(BaseModel):
    id: int
    dimension: Literal["performance", "funds", "process"]
    name: str
    name_en: str
    weight: float
