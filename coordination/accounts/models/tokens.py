"""API bearer tokens, stored hashed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from coordination.core.models.base import Entity
from coordination.core.models.base import part_of
from coordination.core.models.base import utcnow


class ApiToken(Entity):
    """A bearer token of the JSON API (接口令牌). Only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"

    user_id: Mapped[int] = part_of("users")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    client: Mapped[str | None] = mapped_column(String(200))

    user = relationship("User")

    def is_valid(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now
