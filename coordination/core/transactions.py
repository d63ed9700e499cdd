"""How a request's transaction begins and ends, and the one kind of write a reading request may make.

On SQLite a request that changes data takes the write lock when its transaction begins
(``BEGIN IMMEDIATE``), so concurrent writers queue up behind the busy timeout. A reading
request begins a plain read transaction, and SQLite refuses at once, without waiting, to turn
a read transaction into a write transaction while another connection writes: so a GET must
never write inside its own transaction. A page reached by GET that does change something (a
notification link, the language switch) says so with ``writes_on_get`` and is treated as a
writer; bookkeeping of a reading request (a token's last use) goes through ``try_short_write``.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager

from flask import current_app
from flask import has_request_context
from flask import request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.exc import OperationalError

from coordination.core.errors import Conflict
from coordination.extensions import db

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SQLITE_BUSY_TIMEOUT_MS = 10_000
# Only the connection of try_short_write: waits this long for a lock, then gives up.
SHORT_WRITE_LOCK_TIMEOUT_MS = 50


def writes_on_get(view):
    """Mark a view reached by GET that changes data: its transaction begins as a writer's."""
    view.writes_on_get = True
    return view


def request_writes() -> bool:
    """Whether the current request may change data (and so begins as a writer on SQLite)."""
    if not has_request_context():
        return False
    if request.method not in SAFE_METHODS:
        return True
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return bool(getattr(view, "writes_on_get", False))


@contextmanager
def committed():
    """The boundary of a request's or a command's one transaction: commit when the block ends,
    roll back (and let the exception go on) when anything in it, or the commit, fails.

        try:
            with committed():
                operations.submit_need(user, data)
        except InvalidInput as exc:
            ...  # nothing was saved
    """
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def insert_once(row, message: str, **extra):
    """Add ``row`` where a unique constraint allows it once ("once per person"): in a savepoint,
    so that a duplicate, even one inserted at the same moment by another request, is a
    ``Conflict`` saying ``message`` (with ``extra`` in its body) and leaves the transaction usable."""
    savepoint = db.session.begin_nested()
    try:
        db.session.add(row)
        db.session.flush()
        savepoint.commit()
    except IntegrityError:
        savepoint.rollback()
        raise Conflict(message, **extra) from None
    return row


def try_short_write(statement) -> bool:
    """Run ``statement`` in its own short transaction on its own connection and commit it.

    For bookkeeping that nobody asked for and that may be skipped: when the database is busy
    (another writer holds SQLite's lock, or the PostgreSQL row is locked) it gives up at once
    and returns False instead of failing or slowing the request.
    """
    engine = db.engine
    sqlite = engine.dialect.name == "sqlite"
    try:
        with engine.connect().execution_options(gr_writer=True, gr_bookkeeping=True) as conn:
            raw = conn.connection.dbapi_connection
            if sqlite:
                raw.execute("PRAGMA busy_timeout=0")  # before BEGIN IMMEDIATE: fail fast
            try:
                with conn.begin():
                    if not sqlite:
                        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{SHORT_WRITE_LOCK_TIMEOUT_MS}ms'")
                    conn.execute(statement)
            finally:
                if sqlite:
                    raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    except OperationalError as exc:
        log.debug("short write skipped: %s", exc.orig)
        return False
    return True
