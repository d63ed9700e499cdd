"""Schemas of accounts: registering, logging in, the caller, and the second factor."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel
from pydantic import Field

from coordination.api.schemas.common import Id
from coordination.api.schemas.common import Strict
from coordination.core.enums import Role
from coordination.places.enums import PlaceKind


class RegisterBody(Strict):
    username: str = Field(min_length=1, max_length=40)
    password: str = Field(min_length=1, max_length=128)
    display_name: str = Field(min_length=1, max_length=60)
    role: Literal["resident", "worker"]
    place_id: Id
    phone: str | None = Field(None, max_length=30)
    email: str | None = Field(None, max_length=254)


class TokenBody(Strict):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=128)
    otp: str | None = Field(default=None, max_length=20,
                            description="Code of the second factor (or a recovery code), when the account has one")


class UnitRef(BaseModel):
    id: int
    name: str


class PlaceRef(BaseModel):
    id: int
    name: str
    kind: PlaceKind
    area_id: int | None


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    roles: list[Role]
    unit: UnitRef | None = None
    place: PlaceRef | None = None
    created_at: datetime | None = None


class TokenUser(BaseModel):
    id: int
    username: str
    display_name: str
    roles: list[Role]


class TokenOut(BaseModel):
    token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_at: datetime
    user: TokenUser


# --------------------------------------------------------------------------- second factor

class TwoFactorEnrolmentOut(BaseModel):
    secret: str = Field(description="Base32 key for the authenticator app")
    otpauth_uri: str = Field(description="otpauth:// URI (what the QR code holds)")


class OtpBody(Strict):
    otp: str = Field(min_length=1, max_length=20)


class TwoFactorDisableBody(Strict):
    password: str = Field(min_length=1, max_length=128)
    otp: str = Field(min_length=1, max_length=20)


class TwoFactorStatusOut(BaseModel):
    enabled: bool
    recovery_codes: list[str] = Field(default_factory=list,
                                      description="One-time recovery codes, given only when switching on")
