"""Login throttling holds across gunicorn worker processes (real HTTP, 4 workers)."""

from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.conftest import make_app
from tests.conftest import migrate_and_seed
from tests.live_server import gunicorn_server

FREE_FAILURES = 5  # LOGIN_FREE_FAILURES, the default


@pytest.fixture()
def served(database_kind, database_url_factory):
    url = database_url_factory(database_kind)
    application = make_app(url)
    migrate_and_seed(application)
    from coordination.extensions import db

    with application.app_context():
        db.engine.dispose()
    # as in production: the flood guard on, one proxy in front saying who the client is
    with gunicorn_server(url, workers=4, env={"FLASK_RATELIMIT_ENABLED": "true",
                                              "PROXY_FIX_X_FOR": "1"}) as base:
        yield base


def token(base, username, password, address):
    return requests.post(base + "/api/v1/auth/token", json={"username": username, "password": password},
                         headers={"X-Forwarded-For": address}, timeout=30)


def test_forty_wrong_passwords_across_four_workers(served):
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _i: token(served, "staff", "wrong-password", "10.20.30.40"), range(40)))
    elapsed = time.monotonic() - started
    statuses = [answer.status_code for answer in answers]
    refused = sum(status == 401 for status in statuses)
    throttled = [answer for answer in answers if answer.status_code == 429]
    # after the free failures each wait doubles (1 s, 2 s, 4 s …): in T seconds at most
    # log2(T + 1) more failures can be answered
    allowed = FREE_FAILURES + math.floor(math.log2(elapsed + 1))
    print(f"\n40 wrong passwords, 4 workers: {refused} × 401, {len(throttled)} × 429 in {elapsed:.1f} s "
          f"(at most {allowed} × 401 allowed)")
    assert refused + len(throttled) == 40, statuses
    assert FREE_FAILURES <= refused <= allowed
    assert all(int(answer.headers["Retry-After"]) >= 1 for answer in throttled)
    assert throttled[0].json()["error"]["message"].startswith("登录失败次数过多")
    # a colleague behind the same address, and the owner elsewhere, still log in
    assert token(served, "worker", "Ribbon-2026", "10.20.30.40").status_code == 200
    assert token(served, "staff", "Ribbon-2026", "10.99.99.99").status_code == 200
