"""Finding people: who holds a role (the audiences of notifications)."""

from __future__ import annotations

from sqlalchemy import select

from coordination.accounts.models import User
from coordination.accounts.models import UserRole
from coordination.core.enums import Role
from coordination.extensions import db


def users_with(*roles: Role, where=()) -> list[User]:
    """The active people holding any of ``roles`` (and meeting the ``where`` conditions)."""
    role_held = (User.role_links.any(role=roles[0]) if len(roles) == 1
                 else User.role_links.any(UserRole.role.in_(roles)))
    return db.session.scalars(select(User).where(User.active, role_held, *where)).all()
