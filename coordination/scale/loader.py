"""Bulk loading for the generated street: rows straight to the database driver, in big batches.

Rows are buffered per table as dicts and written parents before children (foreign keys are
checked at once): ``COPY … FROM STDIN`` on PostgreSQL; on SQLite ``executemany`` into an
untyped temporary table and one ``INSERT … SELECT`` from it. Values are converted with the
column types' own bind processors, as SQLAlchemy would bind them, so the rows read back
exactly as if Core had inserted them (timestamps take a quicker path to the same value).

While a table loads, its row-by-row upkeep is suspended (``Loader.suspend_upkeep``): the tally
and full-text triggers, and on PostgreSQL the foreign key checks; ``finish`` restores them and
the caller rebuilds the maintained figures from the rows. Hash-chained rows get their chain
columns as they are written (``chains.py``); ``finish`` moves the chain heads past them.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from datetime import UTC

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import DBAPIError

from coordination.core.models.audit import AuditRecord
from coordination.core.models.base import Base
from coordination.core.models.base import UTCDateTime
from coordination.core.models.chain import ChainHead
from coordination.core.models.chain import HashChained
from coordination.extensions import db
from coordination.scale import chains

CHUNK = 50_000  # rows buffered over all tables before they are written
SQLITE_CACHE_KIB = 128 * 1024  # page cache while loading (SQLite's default is 2 MiB)
AFTER_INSERT = re.compile(r"\bAFTER\s+INSERT\b", re.IGNORECASE)


def _aware(value):
    """A timestamp for a UTC column, refused when naive (as ``UTCDateTime`` refuses it)."""
    if value is not None and value.tzinfo is None:
        raise ValueError("naive datetime given for a UTC column")
    return value


def _sqlite_timestamp(value):
    """What SQLAlchemy's SQLite DATETIME stores for an aware datetime: UTC, microseconds always."""
    if value is None:
        return None
    if _aware(value).tzinfo is not UTC:
        value = value.astimezone(UTC)
    text = str(value)  # "YYYY-MM-DD HH:MM:SS[.ffffff]+00:00", quicker than isoformat(" ", "microseconds")
    return text[:26] if value.microsecond else text[:19] + ".000000"


class _TableWriter:
    """How rows of one table are turned into driver values and written."""

    def __init__(self, loader: Loader, table, names: list[str]):
        self.table = table
        model = loader.models.get(table.name)
        chained = model is not None and issubclass(model, HashChained)
        self.chain = chains.ChainLinks(table, model.__chained__) if chained else None
        missing = [c for c in table.columns if c.name not in names and c.default is not None
                   and c.name not in chains.COLUMNS]
        for column in missing:
            if column.default.is_callable:
                raise ValueError(f"{table.name}.{column.name} has a computed default: give it in every row")
        self.given = names
        self.defaults = {c.name: c.default.arg for c in missing}
        self.names = names + list(self.defaults) + (list(chains.COLUMNS) if chained else [])
        dialect = loader.dialect
        self.converters = []
        for position, name in enumerate(self.names):
            column_type = table.c[name].type
            if isinstance(column_type, UTCDateTime):
                convert = _sqlite_timestamp if dialect.name == "sqlite" else _aware
            else:
                convert = column_type.dialect_impl(dialect).bind_processor(dialect)
            if convert is not None:
                self.converters.append((position, convert))
        # Names below come from the models, never from input.
        columns = ", ".join(dialect.identifier_preparer.quote(name) for name in self.names)
        self.copy = dialect.name == "postgresql"
        self.stage = f"temp.scale_{table.name}"
        marks = ", ".join("?" for _ in self.names)
        self.copy_rows = f"COPY {table.name} ({columns}) FROM STDIN"
        self.create_stage = f"CREATE TEMP TABLE IF NOT EXISTS scale_{table.name} ({columns})"
        self.insert_stage = f"INSERT INTO {self.stage} ({columns}) VALUES ({marks})"  # nosec B608
        self.move_stage = f"INSERT INTO {table.name} ({columns}) SELECT {columns} FROM {self.stage}"  # nosec B608
        self.empty_stage = f"DELETE FROM {self.stage}"  # nosec B608

    def write(self, cursor, values: list[tuple]) -> None:
        """PostgreSQL: one COPY. SQLite: the rows go to an untyped staging table first and on with
        one INSERT … SELECT, as a statement per row costs more than the staging where a table
        has many indexes (needs: 3.8 s instead of 5.4 s for 100,000) and far more where a
        trigger runs (the full-text index flushes its pending terms after each statement)."""
        if self.copy:
            with cursor.copy(self.copy_rows) as copy:
                for value in values:
                    copy.write_row(value)
            return
        cursor.execute(self.create_stage)
        cursor.executemany(self.insert_stage, values)
        cursor.execute(self.move_stage)
        cursor.execute(self.empty_stage)

    def values(self, loader: Loader, rows: list[dict]) -> list[tuple]:
        count = len(rows)
        columns = [[row[name] for row in rows] for name in self.given]
        columns += [[value] * count for value in self.defaults.values()]
        if self.chain is not None:
            seq, last = loader.chain_head(self.table)
            links, seq, last = self.chain.link(rows, seq, last)
            loader.heads[self.table.name] = [seq, last]
            columns += links
        for position, convert in self.converters:
            columns[position] = list(map(convert, columns[position]))
        return list(zip(*columns))


class Loader:
    """Buffers rows per table and writes them in batches, parents before children.

    Ids are given here (max id + 1 onwards) so that children can point at their parents
    before anything is inserted; ``finish`` moves PostgreSQL's sequences past them.
    """

    def __init__(self, session):
        self.session = session
        self.connection = session.connection()
        self.dialect = self.connection.dialect
        self.order = list(db.metadata.sorted_tables)
        self.models = {m.local_table.name: m.class_ for m in Base.registry.mappers}
        self.buffers: dict = {}
        self.buffered = 0
        self.tables: dict = {}
        self.next: dict = {}
        self.heads: dict = {}
        self.inserted: Counter = Counter()
        self.seconds: Counter = Counter()  # time the database took to write them, per table
        self.restore: list[str] = []  # statements that restore the upkeep suspended while loading
        self.cache_size = None
        if self.dialect.name == "sqlite":
            # A bigger page cache for this connection while it loads: the needs' sixteen indexes
            # and the audit log's five are written all over, and a small cache sends every page
            # to the WAL and back many times. Given back in finish().
            self.cache_size = self.connection.exec_driver_sql("PRAGMA cache_size").scalar()
            self.connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")

    def peek_id(self, model) -> int:
        """The id the next ``new_id`` gives."""
        table = model.__table__
        if table not in self.next:
            self.next[table] = (self.connection.scalar(select(func.max(table.c.id))) or 0) + 1
        return self.next[table]

    def new_id(self, model) -> int:
        table = model.__table__
        value = self.next.get(table) or self.peek_id(model)
        self.next[table] = value + 1
        return value

    def add(self, model, row: dict) -> None:
        """A row with the same keys as the other rows of its table (every column with a computed
        default included)."""
        buffer = self.buffers.get(model.__table__)
        if buffer is None:
            buffer = self.buffers[model.__table__] = []
        buffer.append(row)
        self.buffered += 1
        if self.buffered >= CHUNK:
            self.flush()

    def add_audit(self, row: dict) -> None:
        """An audit row; ids follow the order rows are added, so each object's history is in order."""
        row["id"] = self.new_id(AuditRecord)
        self.add(AuditRecord, row)

    def chain_head(self, table) -> tuple[int, str]:
        """(length, last chain hash) of the table's chain so far, read under lock on first use."""
        if table.name not in self.heads:
            head = self.connection.execute(select(ChainHead.record_count, ChainHead.last_hash)
                                           .where(ChainHead.name == table.name).with_for_update()).first()
            if head is None:
                raise RuntimeError(f"no chain head for {table.name}; run 'flask db upgrade'")
            self.heads[table.name] = list(head)
        seq, last = self.heads[table.name]
        return seq, last

    def suspend_upkeep(self, table) -> None:
        """Stop the row-by-row upkeep of a table while it loads, as PostgreSQL's "Populating a
        Database" advises: its AFTER INSERT triggers (the maintained tallies; on SQLite the
        full-text index too) and, on PostgreSQL, its foreign key checks. ``finish`` restores
        them, the keys checked in bulk then, and the caller rebuilds the figures from the rows.
        Row by row they took 40 % of PostgreSQL's work at street scale: each tally upsert of one
        transaction leaves a row version that the next one steps over (1,000,000 answers land on
        2,300 tallies), and each key is looked up and locked. Guards (BEFORE triggers, unique
        keys) stay; a rollback undoes it all.
        """
        if self.dialect.name == "sqlite":
            triggers = self.connection.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table.name,)).all()
            for name, sql in triggers:
                if AFTER_INSERT.search(sql):
                    self.connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
                    self.restore.append(sql)
            return
        triggers = self.connection.exec_driver_sql(
            # INSERT triggers (type bit 4), neither BEFORE (2) nor INSTEAD OF (64)
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %(table)s::regclass AND NOT tgisinternal "
            "AND tgenabled <> 'D' AND tgtype & 4 <> 0 AND tgtype & 66 = 0",
            {"table": table.name}).scalars().all()
        keys = self.connection.exec_driver_sql(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %(table)s::regclass "
            "AND contype = 'f' ORDER BY conname", {"table": table.name}).all()
        try:
            with self.session.begin_nested():
                for name in triggers:
                    self.connection.exec_driver_sql(f'ALTER TABLE {table.name} DISABLE TRIGGER "{name}"')
                for name, _definition in keys:
                    self.connection.exec_driver_sql(f'ALTER TABLE {table.name} DROP CONSTRAINT "{name}"')
        except DBAPIError:  # not the table's owner: the upkeep goes on row by row (slower, same result)
            return
        self.restore += [f'ALTER TABLE {table.name} ENABLE TRIGGER "{name}"' for name in triggers]
        self.restore += [f'ALTER TABLE {table.name} ADD CONSTRAINT "{name}" {definition}'
                         for name, definition in keys]

    def resume_upkeep(self) -> None:
        for statement in self.restore:
            self.connection.exec_driver_sql(statement)
        self.restore = []

    def flush(self) -> None:
        cursor = self.connection.connection.driver_connection.cursor()
        try:
            for table in self.order:
                rows = self.buffers.get(table)
                if not rows:
                    continue
                writer = self.tables.get(table)
                if writer is None:
                    self.suspend_upkeep(table)
                    writer = self.tables[table] = _TableWriter(self, table, list(rows[0]))
                values = writer.values(self, rows)
                started = time.perf_counter()
                writer.write(cursor, values)
                self.inserted[table.name] += len(rows)
                self.seconds[table.name] += time.perf_counter() - started
                self.buffers[table] = []
        finally:
            cursor.close()
        self.buffered = 0

    def finish(self) -> None:
        """Write what is left, restore the upkeep (triggers, foreign keys) and move the chain heads
        and sequences; the maintained figures are then to be rebuilt (``rebuild_maintained_figures``)."""
        self.flush()
        self.resume_upkeep()
        if self.dialect.name == "sqlite":
            for writer in self.tables.values():
                self.connection.exec_driver_sql(f"DROP TABLE IF EXISTS {writer.stage}")
            self.connection.exec_driver_sql(f"PRAGMA cache_size = {int(self.cache_size)}")
        for name, (seq, last) in self.heads.items():
            self.connection.execute(update(ChainHead).where(ChainHead.name == name)
                                    .values(record_count=seq, last_hash=last))
        if self.dialect.name == "postgresql":
            for table in self.next:
                highest = select(func.coalesce(func.max(table.c.id), 1)).scalar_subquery()
                self.connection.execute(select(func.setval(func.pg_get_serial_sequence(table.name, "id"),
                                                           highest)))
