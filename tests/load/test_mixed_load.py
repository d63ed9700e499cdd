"""A mixed read/write load on SQLite, the default database, with 4 gunicorn workers for 30 s:
writers submit needs and support others' needs, readers with bearer tokens and with session
cookies fetch lists, detail pages and statistics. Not one answer may be a 5xx."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import select

from coordination.extensions import db
from coordination.needs.models import Need
from coordination.places.models import Place
from tests.factories import build
from tests.load.conftest import bearer
from tests.load.conftest import web_login
from tests.load.server import bulk_accounts
from tests.load.server import token_for

SECONDS = 30
WRITERS, TOKEN_READERS, COOKIE_READERS = 4, 3, 3


@pytest.mark.stress
def test_mixed_load_on_sqlite_never_answers_5xx(sqlite_url, local_app, serve):
    app = local_app(sqlite_url)
    writer_tokens = bulk_accounts(app, "mixw", WRITERS, "resident")
    reader_token = token_for(app, "staff")
    with app.app_context():
        place_id = db.session.scalar(select(Place.id).where(Place.name == "福山居民区"))
        project_id = build(db, "published", title="负载项目").id
        need_ids = db.session.scalars(select(Need.id)).all()
        db.session.remove()
    server = serve(sqlite_url, workers=4)
    base = server.url
    browsers = [web_login(base, name) for name in ("resident", "staff", "street")]
    deadline = time.monotonic() + SECONDS
    counts: dict[str, Counter] = {"write": Counter(), "token read": Counter(), "cookie read": Counter()}
    lock = threading.Lock()
    new_needs: list[int] = []

    def tally(kind, path, response):
        with lock:
            counts[kind][response.status_code] += 1
            if response.status_code >= 500:
                counts.setdefault("errors", Counter())[f"{response.status_code} {path}"] += 1

    def writer(w):
        rng = random.Random(w)
        with requests.Session() as http:
            for i in range(100_000):
                if time.monotonic() >= deadline:
                    return
                if i % 3 == 2 and new_needs:
                    target = rng.choice(new_needs)
                    r = http.post(f"{base}/api/v1/needs/{target}/support", headers=bearer(writer_tokens[w]), timeout=60)
                    # one's own need cannot be supported (409), anyone else's can (200)
                    tally("write", "support", r)
                else:
                    r = http.post(f"{base}/api/v1/needs", headers=bearer(writer_tokens[w]), timeout=60, json={
                        "kind": "idea", "title": f"混合负载{w}-{i}", "description": "增设休息座椅。", "place_id": place_id})
                    tally("write", "need", r)
                    if r.status_code == 201:
                        with lock:
                            new_needs.append(r.json()["id"])

    def pick(rng):
        with lock:
            pool = new_needs[-50:] or need_ids
        return rng.choice(pool + need_ids)

    def token_reader(n):
        rng = random.Random(100 + n)
        with requests.Session() as http:
            for i in range(100_000):
                if time.monotonic() >= deadline:
                    return
                path = rng.choice(["/api/v1/needs", f"/api/v1/needs/{pick(rng)}", "/api/v1/projects",
                                   f"/api/v1/projects/{project_id}", "/api/v1/stats/summary", "/api/v1/me",
                                   "/api/v1/needs?status=submitted&per_page=100"])
                tally("token read", path, http.get(base + path, headers=bearer(reader_token), timeout=60))

    def cookie_reader(n):
        rng = random.Random(200 + n)
        browser = browsers[n % len(browsers)]
        for i in range(100_000):
            if time.monotonic() >= deadline:
                return
            path = rng.choice(["/", "/needs", f"/needs/{pick(rng)}", "/projects", f"/projects/{project_id}", "/me",
                               "/notifications"])
            tally("cookie read", path, browser.get(base + path, timeout=60))

    started = time.monotonic()
    with ThreadPoolExecutor(WRITERS + TOKEN_READERS + COOKIE_READERS) as pool:
        futures = ([pool.submit(writer, w) for w in range(WRITERS)]
                   + [pool.submit(token_reader, n) for n in range(TOKEN_READERS)]
                   + [pool.submit(cookie_reader, n) for n in range(COOKIE_READERS)])
        for future in futures:
            future.result()
    elapsed = time.monotonic() - started
    total = sum(sum(c.values()) for k, c in counts.items() if k != "errors")
    fives = sum(n for k, c in counts.items() if k != "errors" for s, n in c.items() if s >= 500)
    print(f"\nSQLite, 4 workers, {elapsed:.0f} s: {total} requests ({total / elapsed:.0f}/s), {fives} × 5xx; "
          + "; ".join(f"{k} {dict(sorted(c.items()))}" for k, c in counts.items()))
    assert fives == 0, (counts, server.log()[-3000:])
    assert set(counts["token read"]) == {200} and set(counts["cookie read"]) == {200}
    assert set(counts["write"]) <= {200, 201, 409} and counts["write"][201] > 0
