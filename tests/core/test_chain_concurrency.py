"""Many writers at once through gunicorn workers: the audit chain never forks and verifies."""

import os
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from sqlalchemy import func
from sqlalchemy import select

from coordination.accounts import operations as accounts
from coordination.core.models import AuditRecord
from coordination.core.models import ChainHead
from coordination.extensions import db
from coordination.places.models import Place
from tests.conftest import make_app
from tests.conftest import migrate_and_seed

WRITERS = 40
NEEDS_EACH = 3


def start_gunicorn(database_url: str, log: Path):
    env = {**os.environ, "APP_ENV": "testing", "DATABASE_URL": database_url}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen([str(gunicorn), "-w", "4", "--threads", "4", "-b", "127.0.0.1:0", "--timeout", "60",
                                "coordination:create_app()"], env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ports = re.findall(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text())
        if ports and log.read_text().count("Booting worker") >= 4:
            return process, int(ports[0])
        if process.poll() is not None:
            break
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(log.read_text())


def test_concurrent_writers_on_several_workers_make_one_unbroken_chain(database_kind, database_url_factory,
                                                                        tmp_path):
    url = database_url_factory(database_kind)
    app = make_app(url)
    migrate_and_seed(app)
    with app.app_context():
        place_id = db.session.scalar(select(Place.id).where(Place.name == "福山居民区"))
        for i in range(WRITERS):
            accounts.create_user(None, username=f"writer{i:02d}", password="Jinse-Niudai-7", roles=["resident"],
                                 place_id=place_id, display_name=f"居民{i}")
        db.session.commit()
        db.session.remove()
    process, port = start_gunicorn(url, tmp_path / "gunicorn.log")
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        tokens = [requests.post(f"{base}/auth/token", json={"username": f"writer{i:02d}",
                                                          "password": "Jinse-Niudai-7"}, timeout=60).json()["token"]
                  for i in range(WRITERS)]
        barrier = threading.Barrier(WRITERS)

        def write(token):
            barrier.wait()
            return [requests.post(f"{base}/needs", headers={"Authorization": f"Bearer {token}"}, timeout=60,
                                  json={"kind": "wish", "title": f"并发需求{n}", "description": "楼道灯坏了",
                                        "place_id": place_id}).status_code for n in range(NEEDS_EACH)]

        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            statuses = [status for answer in pool.map(write, tokens) for status in answer]
        elapsed = time.monotonic() - started
    finally:
        process.terminate()
        process.wait(timeout=30)
    print(f"\n{database_kind}: {len(statuses)} chained writes from {WRITERS} clients on 4 workers in {elapsed:.1f} s")
    assert statuses == [201] * (WRITERS * NEEDS_EACH)

    with app.app_context():
        records = db.session.scalar(select(func.count()).select_from(AuditRecord))
        seqs = db.session.scalars(select(AuditRecord.chain_seq).order_by(AuditRecord.chain_seq)).all()
        assert seqs == list(range(1, records + 1))
        assert db.session.get(ChainHead, "audit_records").record_count == records
        assert db.session.scalar(select(func.count()).select_from(AuditRecord)
                                 .where(AuditRecord.action == "need.submit")) == WRITERS * NEEDS_EACH
        db.session.remove()
        result = app.test_cli_runner().invoke(args=["audit", "verify"])
        assert result.exit_code == 0, result.output
        assert f"audit_records: {records} records" in result.output
        db.engine.dispose()
