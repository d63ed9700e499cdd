"""Hash-chained, append-only records and the chain heads that anchor them.

A model that mixes in ``HashChained`` and names its hashed columns in ``__chained__`` gets
``chain_seq`` (its place in its table's chain), ``content_hash``, ``prev_hash`` and
``chain_hash`` filled in when its transaction commits (``coordination/core/chaining.py``); the rules of the
hash are in ``coordination/core/chain.py``. ``ChainHead`` keeps, per chained table, how many
records the chain holds and the last chain hash: the checkpoint that shows a truncated tail.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import String
from sqlalchemy import func
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from coordination.core.models.base import Base
from coordination.core.models.base import utcnow


class HashChained:
    """Columns of a record in a hash chain (one chain per table)."""

    __chained__: ClassVar[tuple[str, ...]] = ()

    # Empty only between the insert and the commit that links the record into its chain.
    chain_seq: Mapped[int | None] = mapped_column(unique=True)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    chain_hash: Mapped[str | None] = mapped_column(String(64))


class ChainHead(Base):
    """The head of one table's hash chain (审计链头): its length and last chain hash.

    Committing new records takes this row under a lock (``SELECT … FOR UPDATE`` on PostgreSQL;
    SQLite serialises writers anyway), so concurrent writers line up and the chain never forks.
    A database trigger refuses to shorten it, delete it or truncate the table.
    """

    __tablename__ = "audit_chain_head"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    record_count: Mapped[int] = mapped_column(default=0, server_default="0")
    last_hash: Mapped[str] = mapped_column(String(64), default="0" * 64, server_default="0" * 64)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow,
                                                 server_default=func.current_timestamp())
