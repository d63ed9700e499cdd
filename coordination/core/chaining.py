"""Appending to the hash chains: every commit links the chained records it inserted.

Records (audit records, votes, reviews, ballots) are inserted as usual when the session
flushes; ``after_flush`` notes their ids. Just before the transaction commits, ``before_commit``
flushes what is left, takes the chain heads with one ``SELECT … ORDER BY name FOR UPDATE``, reads
the new rows back (the exact values the verifier will read), gives each its ``chain_seq``,
``content_hash``, ``prev_hash`` and ``chain_hash`` and moves the heads on. Every existing
``audit.record(...)`` call is chained without knowing it.

Race-free: the head lock is the last lock a transaction takes and is held only until its
commit, so concurrent writers line up behind it (never deadlock on it), and the chain follows
the order of commits. SQLite has one writer at a time: a transaction with rows to chain already
holds the write lock. A unique index on ``chain_seq`` is the last guard against a fork. Cost per
committing transaction that added chained rows: the head lock, one read of its new rows, one
batched update of them and one update of each moved head; other transactions pay nothing.

A bulk write (``insert_linked``: ``audit.record_many`` for a spreadsheet import) takes the same
head lock when it writes, after the transaction's other writes, and inserts its rows already
linked: thousands of records with no read-back and no update at the commit.
"""

from __future__ import annotations

from sqlalchemy import bindparam
from sqlalchemy import event
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from coordination.core import chain
from coordination.core.models.chain import ChainHead
from coordination.core.models.chain import HashChained

_PENDING = "coordination.chain_pending"
ALL = "all unchained rows"
INSERT_BATCH = 1000


def mark_bulk_insert(session: Session, model) -> None:
    """Rows of ``model`` were inserted without the ORM (a bulk import, a generated street): link
    every row of it still unchained when this transaction commits."""
    session.info.setdefault(_PENDING, {})[model] = ALL


def _lock_heads(connection) -> dict[str, list]:
    """{table: [record count, last chain hash]} of every chain, locked until the transaction ends."""
    return {name: [count, last] for name, count, last in connection.execute(
        select(ChainHead.name, ChainHead.record_count, ChainHead.last_hash)
        .order_by(ChainHead.name).with_for_update())}


_SCALARS = frozenset({str, int, float, bool, type(None)})
_KEYS = frozenset({str})


def _canonical(value):
    """``chain._canonical_value``, at once for the plain values most columns hold (and for a
    flat JSON object of them, which its JSON round trip would give back unchanged)."""
    kind = type(value)
    if kind in _SCALARS or (kind is dict and {*map(type, value)} <= _KEYS
                            and {*map(type, value.values())} <= _SCALARS):
        return value
    return chain._canonical_value(value)


def insert_linked(session: Session, model, rows: list[dict], common: dict | None = None) -> None:
    """Insert rows of ``model`` already linked into its chain: a bulk write of thousands of
    records in a few statements, with nothing to read back and update when it commits.

    Each row holds the columns that differ, ``common`` those all rows share. The values must be
    what the columns read back (ints, strings, aware UTC datetimes, JSON values): they are
    hashed as given. The chain heads are locked here, as the commit would lock them, and stay
    locked until the transaction ends: call this after the transaction's other writes. Records
    the ORM adds to the same transaction are linked after these when it commits."""
    if not rows:
        return
    common = common or {}
    table, name = model.__table__, model.__tablename__
    connection = session.connection()
    heads = _lock_heads(connection)
    if name not in heads:
        raise RuntimeError(f"no chain head for {name}; run 'flask db upgrade'")
    seq, last = heads[name]
    shared = {column: chain._canonical_value(common[column])
              for column in model.__chained__ if column in common}
    varying = [column for column in model.__chained__ if column not in common]
    blank = dict.fromkeys(model.__chained__)  # a chained column left out is stored (and hashed) as NULL
    linked = []
    for row in rows:
        seq += 1
        fields = {**shared, "chain_seq": seq}
        for column in varying:
            fields[column] = _canonical(row.get(column))
        content = chain.content_hash_of_canonical(fields)
        link = chain.link(last, content)
        linked.append({**blank, **common, **row, "chain_seq": seq, "content_hash": content,
                       "prev_hash": last, "chain_hash": link})
        last = link
    for row in (linked[0], linked[-1]):  # the quick hash must be chain.content_hash's
        expected = chain.content_hash({"chain_seq": row["chain_seq"],
                                       **{column: row[column] for column in model.__chained__}})
        if row["content_hash"] != expected:
            raise RuntimeError(f"{name}: the bulk hash of chain position {row['chain_seq']} "
                               "differs from core/chain.py")
    for start in range(0, len(linked), INSERT_BATCH):
        connection.execute(insert(table), linked[start:start + INSERT_BATCH])
    connection.execute(update(ChainHead).where(ChainHead.name == name)
                       .values(record_count=seq, last_hash=last))


@event.listens_for(Session, "after_flush")
def _note_new_records(session: Session, flush_context) -> None:
    for obj in session.new:
        if isinstance(obj, HashChained) and obj.chain_hash is None:
            ids = session.info.setdefault(_PENDING, {}).setdefault(type(obj), set())
            if ids is not ALL:
                ids.add(obj.id)


@event.listens_for(Session, "before_commit")
def _link_new_records(session: Session) -> None:
    session.flush()
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    connection = session.connection()
    heads = _lock_heads(connection)
    for model in sorted(pending, key=lambda m: m.__tablename__):
        table, name = model.__table__, model.__tablename__
        if name not in heads:
            raise RuntimeError(f"no chain head for {name}; run 'flask db upgrade'")
        query = select(table.c.id, *(table.c[c] for c in model.__chained__)).where(table.c.chain_seq.is_(None))
        if pending[model] is not ALL:
            query = query.where(table.c.id.in_(sorted(pending[model])))
        rows = connection.execute(query.order_by(table.c.id)).all()
        if not rows:  # rolled back with a savepoint
            continue
        seq, last = heads[name]
        links = []
        for row in rows:
            seq += 1
            content = chain.content_hash({"chain_seq": seq, **{c: row._mapping[c] for c in model.__chained__}})
            link = chain.link(last, content)
            links.append({"row_id": row.id, "seq": seq, "content": content, "prev": last, "link": link})
            last = link
        connection.execute(
            update(table).where(table.c.id == bindparam("row_id"))
            .values(chain_seq=bindparam("seq"), content_hash=bindparam("content"), prev_hash=bindparam("prev"),
                    chain_hash=bindparam("link")), links)
        connection.execute(update(ChainHead).where(ChainHead.name == name)
                           .values(record_count=seq, last_hash=last))
        heads[name] = [seq, last]
        for entry in links:  # objects still in the session learn their place without a reload
            obj = session.identity_map.get(session.identity_key(model, entry["row_id"]))
            if obj is not None:
                for attribute, key in (("chain_seq", "seq"), ("content_hash", "content"),
                                       ("prev_hash", "prev"), ("chain_hash", "link")):
                    _set_committed(obj, attribute, entry[key])


def _set_committed(obj, attribute: str, value) -> None:
    from sqlalchemy.orm.attributes import set_committed_value

    set_committed_value(obj, attribute, value)


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous_transaction) -> None:
    if not session.in_transaction():
        session.info.pop(_PENDING, None)
