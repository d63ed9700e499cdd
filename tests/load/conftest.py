"""Fixtures of the load tests: a seeded database of each kind and gunicorn serving it."""

from __future__ import annotations

import re

import pytest
import requests

from tests.load.server import PASSWORD
from tests.load.server import GunicornServer
from tests.load.server import app_for
from tests.load.server import seeded_database

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


@pytest.fixture()
def seeded_url(database_kind, database_url_factory):
    """A new database of the kind under test: migrated, holding the demo street and needs."""
    url = database_url_factory(database_kind)
    seeded_database(url)
    return url


@pytest.fixture()
def sqlite_url(database_url_factory):
    url = database_url_factory("sqlite")
    seeded_database(url)
    return url


@pytest.fixture()
def local_app():
    """``local_app(url)``: the app in this process on that database (engines disposed after)."""
    made = []

    def make(url):
        made.append(app_for(url))
        return made[-1]

    yield make
    from coordination.extensions import db

    for application in made:
        with application.app_context():
            db.engine.dispose()


@pytest.fixture()
def serve(tmp_path):
    """``serve(url, workers=4, threads=1)``: gunicorn on that database, stopped afterwards."""
    servers = []

    def start(url, workers=4, threads=1, **kwargs):
        servers.append(GunicornServer(url, workers=workers, threads=threads, log_dir=tmp_path, **kwargs).start())
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def web_login(base: str, username: str, password: str = PASSWORD) -> requests.Session:
    """A browser-like session logged in through the real login form."""
    session = requests.Session()
    html = session.get(f"{base}/login", timeout=30).text
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on /login"
    response = session.post(f"{base}/login", data={"username": username, "password": password,
                                                   "csrf_token": match.group(1) or match.group(2)},
                            allow_redirects=False, timeout=30)
    assert response.status_code == 302, response.text[:300]
    return session


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}
