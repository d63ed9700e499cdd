"""A generated street at benchmark scale (``flask --app coordination seed scale``).

Years of needs, projects, surveys and answers with the audit rows the operations would have
written, bulk-inserted with SQLAlchemy Core in chunks (not the ORM per row), from a fixed
random seed so that two runs build the same street. It runs on a migrated database and loads
the demo reference data itself (idempotent); the operations are not used because they would
take hours at this size, so ``tests/core/test_scale_seed.py`` checks that the result obeys the
same rules (every constraint, the status ↔ column ties, histories in the audit log).
"""

from __future__ import annotations

import importlib.util
import random
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from coordination.core import planner
from coordination.extensions import db

START = datetime(2023, 12, 1, tzinfo=UTC)
END = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)
SPAN = (END - START).total_seconds()
CHUNK = 10_000


class AlreadySeeded(RuntimeError):
    pass


class Loader:
    """Buffers rows per table and inserts them in chunks, parents before children.

    Ids are given here (max id + 1 onwards) so that children can point at their parents
    before anything is inserted; ``finish`` moves PostgreSQL's sequences past them.
    """

    def __init__(self, session):
        self.connection = session.connection()
        self.dialect = self.connection.dialect.name
        self.order = list(db.metadata.sorted_tables)
        self.buffers: dict = {}
        self.next: dict = {}
        self.inserted: Counter = Counter()

    def peek_id(self, model) -> int:
        """The id the next ``new_id`` gives."""
        table = model.__table__
        if table not in self.next:
            self.next[table] = (self.connection.scalar(select(func.max(table.c.id))) or 0) + 1
        return self.next[table]

    def new_id(self, model) -> int:
        table = model.__table__
        value = self.peek_id(model)
        self.next[table] = value + 1
        return value

    def add(self, model, row: dict) -> None:
        buffer = self.buffers.setdefault(model.__table__, [])
        buffer.append(row)
        if len(buffer) >= CHUNK:
            self.flush()

    def add_audit(self, row: dict) -> None:
        """An audit row; ids follow the order rows are added, so each object's history is in order."""
        from coordination.core.models import AuditRecord

        row["id"] = self.new_id(AuditRecord)
        self.add(AuditRecord, row)

    def flush(self) -> None:
        for table in self.order:  # foreign keys are checked at once: parents go first
            rows = self.buffers.get(table)
            if rows:
                self.connection.execute(table.insert(), rows)
                self.inserted[table.name] += len(rows)
                self.buffers[table] = []

    def finish(self) -> None:
        self.flush()
        if self.dialect == "postgresql":
            for table in self.next:
                highest = select(func.coalesce(func.max(table.c.id), 1)).scalar_subquery()
                self.connection.execute(select(func.setval(func.pg_get_serial_sequence(table.name, "id"),
                                                           highest)))


def moment(fraction: float) -> datetime:
    """The instant at ``fraction`` (0–1) of the three years."""
    return START + timedelta(seconds=SPAN * min(max(fraction, 0.0), 1.0))


def rebuild_maintained_figures() -> bool:
    """The one place that brings derived data up to date after a bulk load: the rows inserted
    without the ORM join the hash chains when the caller commits, the dashboards forget their
    cached figures, and the maintained figures and the search index are rebuilt (once the
    fast-queries work provides ``coordination.core.counters.rebuild_all()``)."""
    from coordination.core.chaining import mark_bulk_insert
    from coordination.core.models.base import Base
    from coordination.core.models.chain import HashChained
    from coordination.dashboards import cache as dashboard_cache

    for mapper in Base.registry.mappers:
        if issubclass(mapper.class_, HashChained):
            mark_bulk_insert(db.session, mapper.class_)
    dashboard_cache.invalidate()
    if importlib.util.find_spec("coordination.core.counters") is None:
        return False
    from coordination.core import counters

    counters.rebuild_all()
    return True


def seed_scale(needs: int, projects: int, answers: int, seed: int = 2026, out=print) -> Counter:
    """Generate the street into the current session's database (the caller commits)."""
    from coordination.demo import load_demo
    from coordination.scale import evaluation as evaluation_rows
    from coordination.scale import needs as need_rows
    from coordination.scale import people
    from coordination.scale import projects as project_rows

    started = time.perf_counter()
    load_demo(out=lambda *_: None, with_needs=False)
    db.session.flush()
    if people.already_seeded():
        raise AlreadySeeded("this database already holds a generated street; use an empty one")
    rng = random.Random(seed)
    loader = Loader(db.session)
    street = people.load(loader, rng, needs=needs, projects=projects)
    out(f"  places, {len(street.units)} units and {len(street.people)} residents and workers "
        f"({time.perf_counter() - started:.1f}s)")
    plan = project_rows.plan(loader, rng, street, projects)
    links = need_rows.load(loader, rng, street, plan, needs)
    out(f"  {needs} needs with supports and histories ({time.perf_counter() - started:.1f}s)")
    project_rows.load(loader, rng, street, plan, links)
    out(f"  {projects} projects with votes, claims and progress ({time.perf_counter() - started:.1f}s)")
    evaluation_rows.load(loader, rng, street, plan, answers)
    loader.finish()
    out(f"  surveys and {answers} answers ({time.perf_counter() - started:.1f}s)")
    if rebuild_maintained_figures():
        out(f"  maintained figures and search index rebuilt ({time.perf_counter() - started:.1f}s)")
    planner.analyze()
    out(f"  table statistics gathered for the query planner ({time.perf_counter() - started:.1f}s)")
    return loader.inserted
