"""Issue 10, item 1: on SQLite a request that only reads must never answer "database is
locked" because some other request is writing.

A GET with a bearer token used to write ``last_used_at`` inside its read transaction (a plain
BEGIN); SQLite refuses to turn a read transaction into a write transaction while another
connection holds the write lock, at once and without waiting (the busy timeout does not apply),
so the GET answered 500. The same held for the two web pages reached by GET that do change
something (opening a notification, choosing the language).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import requests
from sqlalchemy import select

from coordination.accounts.models import ApiToken
from coordination.accounts.models import User
from coordination.core.models import Notification
from coordination.extensions import db
from coordination.places.models import Place
from tests.load.conftest import bearer
from tests.load.conftest import web_login
from tests.load.server import token_for


def _hold_write_lock(url: str, seconds: float) -> threading.Thread:
    """Another writer: takes SQLite's write lock and keeps it for ``seconds``."""
    path = url.removeprefix("sqlite:///")
    taken = threading.Event()

    def hold():
        conn = sqlite3.connect(path, isolation_level=None, timeout=30)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE places SET description = description WHERE id = 1")
        taken.set()
        time.sleep(seconds)
        conn.execute("COMMIT")
        conn.close()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert taken.wait(30)
    return thread


def test_token_reads_answer_while_another_request_holds_the_write_lock(sqlite_url, local_app, serve):
    app = local_app(sqlite_url)
    raw = token_for(app, "resident")
    server = serve(sqlite_url, workers=1)
    holder = _hold_write_lock(sqlite_url, 2.0)
    started = time.monotonic()
    response = requests.get(f"{server.url}/api/v1/me", headers=bearer(raw), timeout=30)
    waited = time.monotonic() - started
    assert response.status_code == 200, response.text[:300]
    assert response.json()["username"] == "resident"
    assert waited < 1.5, f"a read waited {waited:.1f} s for the write lock"
    holder.join()
    with app.app_context():
        token = db.session.scalar(select(ApiToken).where(ApiToken.client == "load test"))
        assert token.last_used_at is None  # the lock was taken: the stamp gave up silently
        db.session.remove()
    # with the lock free, the next request stamps the token
    assert requests.get(f"{server.url}/api/v1/me", headers=bearer(raw), timeout=30).status_code == 200
    with app.app_context():
        token = db.session.scalar(select(ApiToken).where(ApiToken.client == "load test"))
        first = token.last_used_at
        assert first is not None
        db.session.remove()
    # … and at most once per interval, so a busy reader does not write on every request
    assert requests.get(f"{server.url}/api/v1/needs", headers=bearer(raw), timeout=30).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(ApiToken.last_used_at).where(ApiToken.client == "load test")) == first
        db.session.remove()


def test_pages_reached_by_get_that_change_something_wait_for_the_lock(sqlite_url, local_app, serve):
    app = local_app(sqlite_url)
    with app.app_context():
        resident = db.session.scalar(select(User).where(User.username == "resident"))
        note = Notification(user_id=resident.id, kind="need.accepted", params={"title": "楼道灯"}, link="/needs")
        db.session.add(note)
        db.session.commit()
        note_id = note.id
        db.session.remove()
    server = serve(sqlite_url, workers=1)
    browser = web_login(server.url, "resident")

    holder = _hold_write_lock(sqlite_url, 1.0)
    opened = browser.get(f"{server.url}/notifications/{note_id}", allow_redirects=False, timeout=30)
    assert opened.status_code == 302, opened.text[:300]
    assert opened.headers["Location"] == "/needs"
    holder.join()

    holder = _hold_write_lock(sqlite_url, 1.0)
    language = browser.get(f"{server.url}/lang/en", allow_redirects=False, timeout=30)
    assert language.status_code == 302, language.text[:300]
    holder.join()
    with app.app_context():
        assert db.session.get(Notification, note_id).read_at is not None
        assert db.session.scalar(select(User.locale).where(User.username == "resident")) == "en"
        db.session.remove()


WRITERS, READERS, SECONDS = 4, 4, 5


def test_token_reads_beside_need_submissions_never_fail(sqlite_url, local_app, serve):
    """The issue's own load: 4 workers, 4 threads submitting needs, 4 reading with a token."""
    app = local_app(sqlite_url)
    raw = token_for(app, "resident")
    with app.app_context():
        place_id = db.session.scalar(select(Place.id).where(Place.name == "福山居民区"))
        db.session.remove()
    server = serve(sqlite_url, workers=4)
    deadline = time.monotonic() + SECONDS
    writes, reads = Counter(), Counter()
    lock = threading.Lock()

    def writer(n):
        with requests.Session() as http:
            i = 0
            while time.monotonic() < deadline and i < 2000:
                i += 1
                r = http.post(f"{server.url}/api/v1/needs", headers=bearer(raw), timeout=60, json={
                    "kind": "wish", "title": f"负载测试{n}-{i}", "description": "楼道灯坏了。", "place_id": place_id})
                with lock:
                    writes[r.status_code] += 1

    def reader(n):
        paths = ["/api/v1/me", "/api/v1/needs", "/api/v1/projects", "/api/v1/stats/summary"]
        with requests.Session() as http:
            i = 0
            while time.monotonic() < deadline and i < 5000:
                r = http.get(server.url + paths[i % len(paths)], headers=bearer(raw), timeout=60)
                i += 1
                with lock:
                    reads[r.status_code] += 1

    with ThreadPoolExecutor(WRITERS + READERS) as pool:
        futures = [pool.submit(writer, n) for n in range(WRITERS)] + [pool.submit(reader, n) for n in range(READERS)]
        for future in futures:
            future.result()
    print(f"\nSQLite, 4 workers, {SECONDS} s: writes {dict(writes)}, token reads {dict(reads)}")
    assert set(writes) == {201} and set(reads) == {200}, (writes, reads, server.log()[-2000:])
    assert writes[201] > 0 and reads[200] > 0
