"""Checking the hash chains (``flask audit verify``) and the decisions that rest on them.

Every chained table is read in ``chain_seq`` order in batches (a server-side cursor on
PostgreSQL), so a log of millions of records is checked in bounded memory. For each record the
content hash is recomputed and the link to the record before it checked; at the end the chain
must be exactly as long as its head says and end on the head's hash, so deleted, changed,
inserted and truncated records all show. Domain modules add consistency checks (a project's
status agrees with its latest audit record, a vote with its record, …) through ``CHECKS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import Callable
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.core import chain
from coordination.core.models.base import Base
from coordination.core.models.chain import ChainHead
from coordination.core.models.chain import HashChained

BATCH = 5000


@dataclass(frozen=True)
class Problem:
    table: str
    record_id: int | str | None
    what: str

    def __str__(self) -> str:
        where = f"{self.table} id {self.record_id}" if self.record_id is not None else self.table
        return f"{where}: {self.what}"


@dataclass
class Verification:
    checked: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def total(self) -> int:
        return sum(self.checked.values())


Check = Callable[[Session], Iterable[Problem]]
CHECKS: list[Check] = []


def consistency_check(function: Check) -> Check:
    """Register a domain check run after the chains (see ``projects/integrity.py``)."""
    CHECKS.append(function)
    return function


def chained_models() -> list[type[HashChained]]:
    models = [m.class_ for m in Base.registry.mappers if issubclass(m.class_, HashChained)]
    return sorted(models, key=lambda model: model.__tablename__)


def verify_table(session: Session, model: type[HashChained], head: ChainHead | None) -> tuple[int, Problem | None]:
    """(records checked, the first problem or None) for one table's chain."""
    table = model.__table__
    name = table.name
    columns = [table.c.id, table.c.chain_seq, table.c.content_hash, table.c.prev_hash, table.c.chain_hash,
               *(table.c[c] for c in model.__chained__)]
    unchained = session.scalar(select(table.c.id).where(table.c.chain_seq.is_(None)).order_by(table.c.id).limit(1))
    if unchained is not None:
        return 0, Problem(name, unchained, "it is not linked into the chain (inserted behind the application's back)")
    result = session.execute(select(*columns).order_by(table.c.chain_seq).execution_options(yield_per=BATCH))
    seq, last = 0, chain.GENESIS
    try:
        for row in result:
            values = row._mapping
            if row.chain_seq != seq + 1:
                missing = row.chain_seq - seq - 1
                return seq, Problem(name, row.id, f"{missing} record(s) before it are missing "
                                                  f"(chain position {seq + 1} to {row.chain_seq - 1})")
            content = chain.content_hash({"chain_seq": row.chain_seq, **{c: values[c] for c in model.__chained__}})
            if content != row.content_hash:
                return seq, Problem(name, row.id, f"its content was changed (chain position {row.chain_seq}: "
                                                  "the recomputed content hash differs)")
            if row.prev_hash != last:
                return seq, Problem(name, row.id, f"it does not follow the record before it "
                                                  f"(chain position {row.chain_seq}: prev_hash differs)")
            if chain.link(row.prev_hash, row.content_hash) != row.chain_hash:
                return seq, Problem(name, row.id, f"its chain hash was changed (chain position {row.chain_seq})")
            seq, last = row.chain_seq, row.chain_hash
    finally:
        result.close()
    if head is None:
        return seq, Problem(name, None, "the chain head (checkpoint) is missing")
    if head.record_count > seq:
        return seq, Problem(name, None, f"the last {head.record_count - seq} record(s) are missing: the chain "
                                        f"ends at position {seq}, its head records {head.record_count}")
    if head.record_count < seq:
        return seq, Problem(name, None, f"{seq - head.record_count} record(s) were added behind the chain head "
                                        f"(head records {head.record_count}, chain has {seq})")
    if head.last_hash != last:
        return seq, Problem(name, None, "the last record's chain hash differs from the chain head")
    return seq, None


def verify(session: Session, checks: Iterable[Check] | None = None) -> Verification:
    heads = {head.name: head for head in session.scalars(select(ChainHead))}
    report = Verification()
    for model in chained_models():
        checked, problem = verify_table(session, model, heads.get(model.__tablename__))
        report.checked[model.__tablename__] = checked
        if problem is not None:
            report.problems.append(problem)
    for check in CHECKS if checks is None else checks:
        report.problems.extend(check(session))
    return report
