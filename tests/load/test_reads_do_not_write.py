"""Every page and API route reached by GET, as every role, issues no INSERT, UPDATE or DELETE in
its own transaction (on SQLite such a write fails while another request writes); only the
views marked ``writes_on_get`` may, and they begin as writers."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from coordination.core.transactions import request_writes
from coordination.extensions import db as _db
from tests.conftest import DEMO_USERS
from tests.conftest import login
from tests.factories import build

WRITE_RE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


@pytest.fixture()
def writes_seen(app):
    seen: list[tuple[str, str]] = []

    def check(conn, cursor, statement, parameters, context, executemany):
        from flask import has_request_context
        from flask import request

        if conn.get_execution_options().get("gr_writer"):
            return  # try_short_write: its own short transaction, never the request's
        if has_request_context() and not request_writes() and WRITE_RE.match(statement):
            seen.append((request.path, statement.split("\n")[0][:120]))

    with app.app_context():
        engine = _db.engine
    event.listen(engine, "before_cursor_execute", check)
    yield seen
    event.remove(engine, "before_cursor_execute", check)


def test_no_get_writes(app, db, client, writes_seen, api_token):
    project = build(db, "completed")
    args = {"project_id": project.id}
    tokens = {role: api_token(role) for role in DEMO_USERS}
    visited = 0
    for role in [None, *DEMO_USERS]:
        web = app.test_client()
        if role:
            assert login(web, DEMO_USERS[role]).status_code == 302
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            values = {name: args.get(name, 1) for name in rule.arguments}
            try:
                path = rule.build(values)[1] if values else rule.rule
            except Exception:
                continue
            headers = tokens[role] if role and path.startswith("/api/") else {}
            web.get(path, headers=headers)
            visited += 1
    print(f"\n{visited} GET requests as anonymous and {len(DEMO_USERS)} roles: {len(writes_seen)} writes")
    assert writes_seen == []
