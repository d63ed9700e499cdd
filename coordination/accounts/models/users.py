"""People who use the platform and the roles they hold."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy import true
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from coordination.core.enums import Role
from coordination.core.enums import enum_column
from coordination.core.models.base import Entity
from coordination.core.models.base import TimestampMixin
from coordination.core.models.base import key_of
from coordination.core.models.base import part_of
from coordination.places.models import MemberUnit
from coordination.places.models import Place


class UserRole(Entity):
    """One role held by a user (a person may hold several)."""

    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role", name="uq_user_roles_user_role"),)

    user_id: Mapped[int] = part_of("users")
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))

    user: Mapped["User"] = relationship(back_populates="role_links")


class User(UserMixin, TimestampMixin, Entity):
    """A person with an account (用户): resident, office worker, unit contact, staff, …

    ``real_name``, ``phone`` and ``email`` are personal data: only staff and admins see them
    unmasked.
    """

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("username = lower(username)", name="username_lower"),)

    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(255))
    real_name: Mapped[str | None] = mapped_column(String(60))
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254))
    place_id: Mapped[int | None] = key_of("places", index=True)
    unit_id: Mapped[int | None] = key_of("member_units", index=True)
    locale: Mapped[str | None] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    last_login_at: Mapped[datetime | None]
    # Set when the person deleted their account (PIPL): the row stays, anonymised, so that
    # their needs, supports, responses and ballots still count (see privacy/erasure.py).
    deleted_at: Mapped[datetime | None]

    place: Mapped[Place | None] = relationship()
    unit: Mapped[MemberUnit | None] = relationship()
    role_links: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> set[Role]:
        return {link.role for link in self.role_links}

    @property
    def sorted_roles(self) -> list[Role]:
        order = list(Role)
        return sorted(self.roles, key=order.index)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    def set_roles(self, roles) -> None:
        wanted = {Role(r) for r in roles}
        self.role_links = [link for link in self.role_links if link.role in wanted]
        for role in wanted - self.roles:
            self.role_links.append(UserRole(role=role))

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    #: the key of the login session of this request (set by ``accounts.sessions``)
    session_key = None

    def get_id(self) -> str:  # Flask-Login: stored in the session and the remember cookie
        return f"{self.id}.{self.session_key or '-'}"

    def __eq__(self, other) -> bool:
        return isinstance(other, User) and other.id is not None and other.id == self.id

    def __ne__(self, other) -> bool:
        return not self.__eq__(other)

    __hash__ = object.__hash__

    @property
    def area_id(self) -> int | None:
        if self.place is not None:
            return self.place.area_or_self_id
        if self.unit is not None:
            return self.unit.area_id
        return None

    @property
    def audit_label(self) -> None:
        """Audit records name a user by id only: names are personal data, and the
        hash-chained log cannot be edited when the person deletes their account."""
        return None

    def __str__(self) -> str:
        return self.display_name
