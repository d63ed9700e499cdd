"""Reading a page never fails because the session's last-seen time cannot be written: the
write happens at most once a minute, in its own short transaction that gives up when the
database is busy (SQLite's write lock, a PostgreSQL row lock)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import create_engine
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy import update

from coordination.accounts.models import UserSession
from coordination.core.models.base import utcnow
from coordination.extensions import db
from tests.conftest import login
from tests.conftest import make_app
from tests.conftest import migrate_and_seed


@pytest.fixture()
def fresh_app(database_kind, database_url_factory):
    application = make_app(database_url_factory(database_kind))
    migrate_and_seed(application)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def last_seen(application):
    with application.app_context():
        value = db.session.scalar(select(UserSession.last_seen_at))
        db.session.remove()
        return value


def test_a_busy_database_only_skips_the_last_seen_update(fresh_app):
    client = fresh_app.test_client()
    assert login(client, "resident").status_code == 302
    five_minutes_ago = utcnow() - timedelta(minutes=5)
    with fresh_app.app_context():
        db.session.execute(update(UserSession).values(last_seen_at=five_minutes_ago))
        db.session.commit()
        db.session.remove()
        url = db.engine.url

    blocker = create_engine(url)
    with blocker.connect() as conn:
        if url.get_backend_name() == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # hold SQLite's write lock
        else:
            conn.execute(text("BEGIN"))
            conn.execute(text("SELECT id FROM user_sessions FOR UPDATE"))  # hold the row lock
        started = time.monotonic()
        answer = client.get("/me")
        waited = time.monotonic() - started
        conn.rollback()
    blocker.dispose()
    assert answer.status_code == 200
    assert waited < 2
    assert abs(last_seen(fresh_app) - five_minutes_ago) < timedelta(seconds=1)  # skipped, not failed

    assert client.get("/me").status_code == 200  # the database is free again: written now
    assert utcnow() - last_seen(fresh_app) < timedelta(seconds=30)
