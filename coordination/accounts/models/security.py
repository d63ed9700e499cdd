"""Server-side login sessions, login attempts and second factors of accounts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy import false
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from coordination.core.models.base import Entity
from coordination.core.models.base import part_of
from coordination.core.models.base import utcnow


class UserSession(Entity):
    """One login of a person in one browser (登录会话).

    The signed session cookie (and the remember-me cookie) carries a random key; only its
    SHA-256 digest is stored. Every request checks that the record exists, is not revoked and
    has not passed its idle or absolute lifetime, so logging out really ends the session.
    """

    __tablename__ = "user_sessions"

    user_id: Mapped[int] = part_of("users")
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    remember: Mapped[bool] = mapped_column(default=False, server_default=false())
    user_agent: Mapped[str | None] = mapped_column(String(120))

    user = relationship("User")


class LoginAttempt(Entity):
    """Failed logins of one account from one address (登录失败记录).

    The row of an (account, address) pair counts its failures and says until when the pair
    must wait; a successful login deletes it. Kept in the database so that every worker and
    every app server shares it.
    """

    __tablename__ = "login_attempts"
    __table_args__ = (
        UniqueConstraint("username", "address", name="uq_login_attempts_username_address"),
        Index("ix_login_attempts_address_last", "address", "last_failure_at"),
        Index("ix_login_attempts_username_last", "username", "last_failure_at"),
    )

    username: Mapped[str] = mapped_column(String(80))
    address: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(default=0, server_default="0")
    first_failure_at: Mapped[datetime | None]
    last_failure_at: Mapped[datetime | None]
    blocked_until: Mapped[datetime | None]


class TotpFactor(Entity):
    """A person's time-based one-time password app (动态验证码，双重验证).

    The secret is stored encrypted; ``confirmed_at`` is set once the person has typed a code
    from the app; ``last_step`` is the time step of the last accepted code, so a code is
    never accepted twice.
    """

    __tablename__ = "totp_factors"

    user_id: Mapped[int] = part_of("users", unique=True)
    secret_encrypted: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    last_step: Mapped[int | None] = mapped_column(BigInteger)

    user = relationship("User")


class RecoveryCode(Entity):
    """A one-time recovery code for a lost authenticator app (恢复码), stored hashed."""

    __tablename__ = "recovery_codes"
    __table_args__ = (UniqueConstraint("user_id", "code_hash", name="uq_recovery_codes_user_code"),)

    user_id: Mapped[int] = part_of("users")
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]
