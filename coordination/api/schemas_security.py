"""API schemas of the second factor."""

from __future__ import annotations

from pydantic import BaseModel, Field

from coordination.api.schemas import Strict


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
