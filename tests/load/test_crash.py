"""kill -9 of the server at random points during writes, and on PostgreSQL crashes of the
database server itself (``pg_ctl stop -m immediate``): after every round the database is
intact, every acknowledged write is there, the figures agree with the rows, and the audit
chain verifies."""

from __future__ import annotations

import random
import threading
import time
from contextlib import contextmanager

import pytest
import requests
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text

from coordination.core.models import AuditRecord
from coordination.core.models.base import Base
from coordination.extensions import db
from coordination.needs.models import Need
from coordination.needs.models import NeedSupport
from coordination.places.models import Place
from tests.load.conftest import bearer
from tests.load.server import GunicornServer
from tests.load.server import app_for
from tests.load.server import bulk_accounts
from tests.load.server import seeded_database

WRITERS = 3
SECONDS_PER_ROUND = (0.2, 1.5)


class Writers:
    """A small write load: each writer submits needs and supports others' needs, and notes
    every write the server acknowledged (201 need, 200 support)."""

    def __init__(self, base: str, tokens: list[str], place_id: int, round_no: int, seed: int):
        self.base, self.tokens, self.place_id, self.round_no = base, tokens, place_id, round_no
        self.random = random.Random(seed)
        self.needs: dict[int, str] = {}
        self.owners: dict[int, int] = {}
        self.supports: set[tuple[int, int]] = set()
        self.statuses: dict[int, int] = {}
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def run(self, w: int) -> None:
        token = self.tokens[w]
        with requests.Session() as http:
            for i in range(10_000):
                if self.stop.is_set():
                    return
                try:
                    with self.lock:
                        others = [n for n, owner in self.owners.items() if owner != w]
                    if i % 2 and others:
                        target = self.random.choice(others)
                        r = http.post(f"{self.base}/api/v1/needs/{target}/support", headers=bearer(token), timeout=10)
                        ok = r.status_code == 200
                        if ok:
                            with self.lock:
                                self.supports.add((target, w))
                    else:
                        title = f"崩溃测试{self.round_no}-{w}-{i}"
                        r = http.post(f"{self.base}/api/v1/needs", headers=bearer(token), timeout=10, json={
                            "kind": "wish", "title": title, "description": "楼道灯坏了。", "place_id": self.place_id})
                        if r.status_code == 201:
                            with self.lock:
                                self.needs[r.json()["id"]] = title
                                self.owners[r.json()["id"]] = w
                    with self.lock:
                        self.statuses[r.status_code] = self.statuses.get(r.status_code, 0) + 1
                except requests.RequestException:
                    return  # the server is gone

    @contextmanager
    def running(self):
        threads = [threading.Thread(target=self.run, args=(w,), daemon=True) for w in range(len(self.tokens))]
        for t in threads:
            t.start()
        try:
            yield self
        finally:
            self.stop.set()
            for t in threads:
                t.join(30)


def orphans(session) -> list[str]:
    """Foreign keys pointing nowhere, for every foreign key of the schema."""
    found = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            column, target = fk.parent, fk.column
            t = target.table.alias("t")
            query = (select(func.count()).select_from(table.outerjoin(t, column == t.c[target.name]))
                     .where(column.is_not(None), t.c[target.name].is_(None)))
            if session.scalar(query):
                found.append(f"{table.name}.{column.name} → {target.table.name}")
    return found


def amcheck(session) -> list[str]:
    """PostgreSQL's own checks (contrib ``amcheck``): every table's heap pages and every B-tree
    index of the schema, including that each index holds every row of its table."""
    session.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
    session.commit()
    problems = []
    tables = session.execute(text(
        "SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind = 'r'")).all()
    for oid, name in tables:
        if rows := session.execute(text("SELECT * FROM verify_heapam(:oid) LIMIT 3"), {"oid": oid}).all():
            problems.append(f"verify_heapam({name}): {rows}")
    indexes = session.execute(text(
        "SELECT c.oid, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND am.amname = 'btree'")).all()
    for oid, name in indexes:
        try:
            session.execute(text("SELECT bt_index_check(:oid, true)"), {"oid": oid})
        except Exception as exc:  # noqa: BLE001 - the report names the index and the finding
            session.rollback()
            problems.append(f"bt_index_check({name}): {exc}")
    session.commit()
    AMCHECKED.update(tables=len(tables), indexes=len(indexes))
    return problems


AMCHECKED = {"tables": 0, "indexes": 0}


def check(app, writers: Writers | None, acknowledged: dict, supports: set, user_ids: list[int]) -> list[str]:
    """Everything that must hold after a crash; returns what does not."""
    problems = []
    with app.app_context():
        session = db.session
        if db.engine.dialect.name == "sqlite":
            integrity = [row[0] for row in session.execute(text("PRAGMA integrity_check"))]
            if integrity != ["ok"]:
                problems.append(f"integrity_check: {integrity[:5]}")
            if fk := session.execute(text("PRAGMA foreign_key_check")).all():
                problems.append(f"foreign_key_check: {fk[:5]}")
        else:
            problems += amcheck(session)
        problems += [f"orphan {o}" for o in orphans(session)]
        stored = dict(session.execute(select(Need.id, Need.title).where(Need.id.in_(list(acknowledged)))).all()) \
            if acknowledged else {}
        lost = {i: t for i, t in acknowledged.items() if stored.get(i) != t}
        if lost:
            problems.append(f"{len(lost)} acknowledged needs lost, e.g. {list(lost.items())[:3]}")
        rows = set(session.execute(select(NeedSupport.need_id, NeedSupport.user_id)).all())
        missing = {(n, user_ids[w]) for n, w in supports} - rows
        if missing:
            problems.append(f"{len(missing)} acknowledged supports lost")
        counted = session.execute(
            select(Need.id, Need.support_count, func.count(NeedSupport.id))
            .outerjoin(NeedSupport, NeedSupport.need_id == Need.id).group_by(Need.id, Need.support_count)
            .having(Need.support_count != func.count(NeedSupport.id))).all()
        if counted:
            problems.append(f"support_count differs from the rows for {len(counted)} needs: {counted[:3]}")
        created = (select(AuditRecord.object_id)
                   .where(AuditRecord.action.in_(["need.submit", "need.record"]), AuditRecord.object_type == "Need"))
        unaudited = session.scalar(select(func.count()).select_from(Need).where(Need.id.not_in(created)))
        if unaudited:
            problems.append(f"{unaudited} needs without their submission record")
        twice = session.execute(select(AuditRecord.object_id).where(AuditRecord.action == "need.submit")
                                .group_by(AuditRecord.object_id).having(func.count() > 1)).all()
        dangling = session.scalar(select(func.count()).select_from(AuditRecord).where(
            AuditRecord.action == "need.submit", AuditRecord.object_id.not_in(select(Need.id))))
        if twice or dangling:
            problems.append(f"submission records: {len(twice)} doubled, {dangling} without their need")
        session.remove()
        db.engine.dispose()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    if result.exit_code != 0:
        problems.append(f"audit verify exit {result.exit_code}: {result.output[-500:]}")
    with app.app_context():
        db.engine.dispose()
    return problems


def crash_rounds(url: str, rounds: int, tmp_path, *, postgres=None, pg_crash_every: int = 0,
                 time_limit: float = 900, seed: int = 20261203) -> dict:
    rng = random.Random(seed)
    app = app_for(url)
    tokens = bulk_accounts(app, "crashw", WRITERS, "resident")
    with app.app_context():
        place_id = db.session.scalar(select(Place.id).where(Place.name == "福山居民区"))
        from coordination.accounts.models import User
        user_ids = [db.session.scalar(select(User.id).where(User.username == f"crashw{w:03d}"))
                    for w in range(WRITERS)]
        db.session.remove()
        db.engine.dispose()
    acknowledged: dict[int, str] = {}
    supports: set = set()
    figures = {"rounds": 0, "pg_crashes": 0, "needs": 0, "supports": 0, "verified": 0, "statuses": {}}
    deadline = time.monotonic() + time_limit
    started = time.monotonic()
    for round_no in range(rounds):
        assert time.monotonic() < deadline, f"only {round_no} rounds in {time_limit} s"
        server = GunicornServer(url, workers=2, log_dir=tmp_path, preload=True).start()
        crash_db = bool(postgres and pg_crash_every and round_no % pg_crash_every == pg_crash_every - 1)
        writers = Writers(server.url, tokens, place_id, round_no, rng.randrange(1 << 30))
        with writers.running():
            time.sleep(rng.uniform(*SECONDS_PER_ROUND))
            if crash_db:
                postgres.crash()
                time.sleep(rng.uniform(0.05, 0.3))  # the app notices the database is gone
            server.kill()
        if crash_db:
            postgres.start()
            figures["pg_crashes"] += 1
        server_errors = {s: n for s, n in writers.statuses.items() if s >= 500}
        if not crash_db:
            assert not server_errors, f"round {round_no}: {writers.statuses}\n{server.log()[-2000:]}"
        else:  # while PostgreSQL is down: "unavailable, retry", never a server error
            assert set(server_errors) <= {503}, f"round {round_no}: {writers.statuses}\n{server.log()[-2000:]}"
        acknowledged.update(writers.needs)
        supports |= writers.supports
        problems = check(app, writers, acknowledged, supports, user_ids)
        assert not problems, f"after round {round_no}: {problems}"
        figures["rounds"] += 1
        figures["verified"] += 1  # check() ran ``flask audit verify`` and it passed
        for s, n in writers.statuses.items():
            figures["statuses"][s] = figures["statuses"].get(s, 0) + n
    figures["needs"], figures["supports"] = len(acknowledged), len(supports)
    figures["seconds"] = round(time.monotonic() - started, 1)
    return figures


def _print(kind: str, f: dict) -> None:
    crashes = f" ({f['pg_crashes']} of them with pg_ctl stop -m immediate)" if kind == "postgresql" else ""
    integrity = ("PRAGMA integrity_check ok, foreign_key_check empty" if kind == "sqlite" else
                 f"amcheck clean (verify_heapam on {AMCHECKED['tables']} tables, bt_index_check with "
                 f"heapallindexed on {AMCHECKED['indexes']} indexes)")
    answers = ", ".join(f"{n} × {s}" for s, n in sorted(f["statuses"].items()))
    print(f"\n[{kind}] kill -9 during writes: {f['rounds']} rounds{crashes} in {f['seconds']} s; "
          f"{f['needs'] + f['supports']} acknowledged writes ({f['needs']} needs, {f['supports']} supports), "
          f"lost 0; after every round: {integrity}, every foreign key resolves, counts agree with rows, "
          f"one submission record per need, audit verify passed ({f['verified']} times); answers {answers}"
          + (" (the 503 only while PostgreSQL was down)" if any(s >= 500 for s in f["statuses"]) else ""))


def _wants(request, kind: str) -> None:
    chosen = request.config.getoption("--db")
    if chosen and kind not in chosen:
        pytest.skip(f"--db {' '.join(chosen)}")


@pytest.fixture()
def crash_postgres(request):
    """A PostgreSQL server of its own (it is crashed and restarted), commits synchronous."""
    _wants(request, "postgresql")
    from tests.pg_server import postgres_server

    with postgres_server() as create_database:
        url = create_database()
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(f"host=127.0.0.1 port={create_database.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = on')
        seeded_database(url)
        yield url, create_database


@pytest.fixture()
def crash_sqlite(request, database_url_factory):
    _wants(request, "sqlite")
    url = database_url_factory("sqlite")
    seeded_database(url)
    return url


def test_kill_during_writes_sqlite_quick(crash_sqlite, tmp_path):
    _print("sqlite", crash_rounds(crash_sqlite, 3, tmp_path, time_limit=120))


def test_kill_during_writes_postgresql_quick(crash_postgres, tmp_path):
    url, server = crash_postgres
    _print("postgresql", crash_rounds(url, 2, tmp_path, postgres=server, pg_crash_every=2, time_limit=120))


@pytest.mark.stress
def test_kill_during_writes_sqlite(crash_sqlite, tmp_path):
    _print("sqlite", crash_rounds(crash_sqlite, 100, tmp_path, time_limit=1500))


@pytest.mark.stress
def test_kill_during_writes_postgresql(crash_postgres, tmp_path):
    url, server = crash_postgres
    _print("postgresql", crash_rounds(url, 25, tmp_path, postgres=server, pg_crash_every=3, time_limit=600))
