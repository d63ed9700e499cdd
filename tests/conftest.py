"""Test fixtures: the app on each database, a rolled-back session per test, clients per role.

Every test runs once on SQLite (a real file) and once on PostgreSQL (a throwaway server on
127.0.0.1 started here). ``--db sqlite`` or ``--db postgresql`` runs just one of them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy.orm import scoped_session
from sqlalchemy.orm import sessionmaker

from coordination import create_app
from coordination.dashboards import cache as dashboard_cache
from coordination.extensions import db as _db
from tests import factories

DATABASES = ("sqlite", "postgresql")


def pytest_addoption(parser):
    parser.addoption("--db", action="append", choices=DATABASES,
                     help="run on this database only (repeatable); default: both")


def pytest_generate_tests(metafunc):
    if "database_kind" in metafunc.fixturenames:
        chosen = metafunc.config.getoption("--db") or list(DATABASES)
        metafunc.parametrize("database_kind", chosen, scope="session")


@pytest.fixture(scope="session")
def postgres(request):
    """A factory of fresh PostgreSQL databases on one throwaway server (started on demand)."""
    from tests.pg_server import postgres_server

    manager = postgres_server()
    create_database = manager.__enter__()
    request.addfinalizer(lambda: manager.__exit__(None, None, None))
    return create_database


@pytest.fixture(scope="session")
def database_url_factory(request, tmp_path_factory):
    """Makes URLs of new, empty databases of the kind under test."""
    counter = {"n": 0}

    def make(kind: str) -> str:
        if kind == "sqlite":
            counter["n"] += 1
            path = tmp_path_factory.mktemp("sqlite") / f"test-{counter['n']}.sqlite3"
            return f"sqlite:///{path}"
        return request.getfixturevalue("postgres")()

    return make


class RequestIsolatedClient(FlaskClient):
    """A test client whose every request gets its own application context (``g``, the
    database session), as in production, even while the test itself holds one open."""

    def open(self, *args, **kwargs):
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


def make_app(database_url: str, **overrides):
    config = {"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url}
    config.update(overrides)
    application = create_app(config)
    application.test_client_class = RequestIsolatedClient
    return application


def migrate_and_seed(app) -> None:
    from flask_migrate import upgrade

    from coordination.demo import load_demo

    with app.app_context():
        upgrade()
        load_demo(out=lambda *_: None, with_needs=False)  # tests make the needs they need
        _db.session.commit()
        _db.session.remove()


@pytest.fixture(scope="session")
def app(database_kind, database_url_factory):
    """The application on a migrated database holding the demo street."""
    application = make_app(database_url_factory(database_kind))
    migrate_and_seed(application)
    yield application
    with application.app_context():
        _db.engine.dispose()


@pytest.fixture()
def db(app):
    """The database session of one test: everything it does is rolled back afterwards.

    Each request still gets its own session (as in production), all of them joined to one
    outer transaction through savepoints.
    """
    with app.app_context():
        connection = _db.engine.connect()
        outer = connection.begin()
        original = _db.session
        _db.session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
            scopefunc=_app_ctx_id,
        )
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.session = original
            outer.rollback()
            connection.close()
            # The rollback above bypasses the session, so the cached dashboards must be told.
            dashboard_cache.invalidate()


@pytest.fixture()
def client(app, db):
    return app.test_client()


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client, url: str = "/login") -> str:
    html = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {url}"
    return match.group(1) or match.group(2)



def assert_chains_and_figures_check_out(app) -> None:
    """What the operators' own checks say of the app's database: ``audit verify`` finds every
    hash chain intact and ``figures check`` every maintained figure equal to a recount."""
    runner = app.test_cli_runner()
    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "Audit chains intact" in verified.output
    checked = runner.invoke(args=["figures", "check"])
    assert checked.exit_code == 0, checked.output
    assert "Every maintained figure matches a fresh recount." in checked.output


def login(client, username: str, password: str = "Ribbon-2026"):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token})


# For accounts a test creates: the password policy refuses the demo accounts' shared one.
STRONG_PASSWORD = "Tide-Mango-Violin-58"

DEMO_USERS = {
    "resident": "resident",
    "worker": "worker",
    "unit_rep": "unitrep",
    "staff": "staff",
    "council": "council",
    "community_committee": "community",
    "street_committee": "street",
    "admin": "admin",
}


@pytest.fixture()
def client_as(app, db):
    """``client_as("staff")``: a test client logged in as the demo user with that role."""

    def make(role: str):
        test_client = app.test_client()
        response = login(test_client, DEMO_USERS.get(role, role))
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return test_client

    return make


@pytest.fixture()
def api_token(client):
    """``api_token("staff")``: a bearer token of the demo user with that role."""

    def make(role: str, password: str = "Ribbon-2026") -> dict:
        response = client.post("/api/v1/auth/token",
                               json={"username": DEMO_USERS.get(role, role), "password": password})
        assert response.status_code == 200, response.json
        return {"Authorization": f"Bearer {response.json['token']}"}

    return make


@pytest.fixture()
def places(db):
    """{name: id} of the demo communities and buildings."""
    return factories.place_ids(db)


@pytest.fixture()
def submit(client, api_token, places):
    """Submit a need through the API as ``role``; returns the JSON answer."""

    def make(role="resident", title="楼道感应灯坏了", place="福山居民区", **extra):
        body = {"kind": "wish", "title": title, "description": "3号楼2单元楼道的感应灯坏了一个月。",
                "place_id": places[place]}
        body.update(extra)
        response = client.post("/api/v1/needs", json=body, headers=api_token(role))
        assert response.status_code == 201, response.json
        return response.json

    return make


@pytest.fixture()
def triage(client, api_token):
    def make(need_id, **body):
        return client.post(f"/api/v1/needs/{need_id}/triage", json=body, headers=api_token("staff"))

    return make


@pytest.fixture()
def make_project(db):
    """``make_project("claimed", title=...)``: a project in that status (see ``factories.build``)."""
    return lambda status="draft", **kw: factories.build(db, status, **kw)


@pytest.fixture()
def completed(db):
    """A completed project."""
    return factories.build(db, "completed")


@pytest.fixture()
def opened(client, api_token, completed):
    """A completed project whose evaluation is open; returns (project_id, survey JSON)."""
    return completed.id, factories.open_evaluation(client, api_token, completed.id)


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    path = Path(__file__).resolve().parent.parent / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture()
def worker(app):
    """``with worker():`` runs a real background consumer (Huey worker threads) on the app's
    queue for the block; ``worker(other_app)`` for an app of the test's own."""
    from coordination.core.jobs import running_worker

    return lambda application=None: running_worker(application or app)


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.05):
    """Poll ``predicate`` until it returns something true, at most ``timeout`` seconds."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"not reached within {timeout} s")
