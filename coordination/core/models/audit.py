"""The append-only audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import event
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from coordination.core.models.base import Entity
from coordination.core.models.base import key_of
from coordination.core.models.base import utcnow
from coordination.core.models.chain import HashChained


class AuditRecord(HashChained, Entity):
    """One state change: who, when, which object, from and to, and why (审计记录).

    Rows are never updated, deleted or truncated: database triggers refuse it (migrations
    0001 and 0005), and so do the ORM events below. The log is hash-chained in ``chain_seq``
    order: the content hash covers ``chain_seq``, ``at`` (UTC), ``actor_id``, ``action``,
    ``object_type``, ``object_id``, ``object_label``, ``from_state``, ``to_state``, ``comment``
    and ``details``. ``actor_name`` and ``ip_address`` are personal data that deleting an
    account must be able to erase (PIPL), so they are deliberately left out of the hash;
    ``flask audit verify`` recomputes the chain.
    """

    __tablename__ = "audit_records"
    __table_args__ = (Index("ix_audit_records_object", "object_type", "object_id"),)
    __chained__ = ("at", "actor_id", "action", "object_type", "object_id", "object_label", "from_state",
                   "to_state", "comment", "details")

    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = key_of("users", index=True)
    actor_name: Mapped[str | None] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[int | None]
    object_label: Mapped[str | None] = mapped_column(String(200))
    from_state: Mapped[str | None] = mapped_column(String(64))
    to_state: Mapped[str | None] = mapped_column(String(64))
    comment: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict | None] = mapped_column(JSON)
    ip_address: Mapped[str | None] = mapped_column(String(64))

    actor = relationship("User", lazy="joined")


class AuditLogIsAppendOnly(RuntimeError):
    pass


@event.listens_for(AuditRecord, "before_update")
def _refuse_update(mapper, connection, target):  # pragma: no cover - guard
    raise AuditLogIsAppendOnly("audit records cannot be changed")


@event.listens_for(AuditRecord, "before_delete")
def _refuse_delete(mapper, connection, target):  # pragma: no cover - guard
    raise AuditLogIsAppendOnly("audit records cannot be deleted")
