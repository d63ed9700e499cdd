"""No personal data in URLs or logs: canary values go through the real app, under gunicorn with its
access and error logs written to files, and through the test client with every logger captured;
none of them may show up in a log line."""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from tests.conftest import CSRF_RE
from tests.conftest import make_app
from tests.conftest import migrate_and_seed

ROOT = Path(__file__).resolve().parents[2]
CANARIES = {
    "phone": "13765432109",
    "email": "log.canary.z9@example.cn",
    "display_name": "钱多宝日志",
    "real_name": "钱真名日志",
    "need_text": "钱多宝住5号楼电话13765432109",
    "answer_text": "钱多宝的意见13765432109",
}


def _csrf(session, base, path) -> str:
    match = CSRF_RE.search(session.get(base + path, timeout=10).text)
    assert match, path
    return match.group(1) or match.group(2)


def seed_through_the_app(base: str, place_id: int, project_id: int) -> None:
    """Register, submit a need, answer a survey, and let an admin find and add people by name."""
    web = requests.Session()
    registered = web.post(base + "/register", timeout=10, data={
        "csrf_token": _csrf(web, base, "/register"), "role": "resident", "place_id": str(place_id),
        "username": "logcanary", "display_name": CANARIES["display_name"], "password": "Log-canary-pass-7",
        "confirm": "Log-canary-pass-7", "phone": CANARIES["phone"], "email": CANARIES["email"]},
        allow_redirects=False)
    assert registered.status_code == 302, registered.text[:500]
    api = base + "/api/v1"
    token = requests.post(api + "/auth/token", json={"username": "logcanary", "password": "Log-canary-pass-7"},
                          timeout=10).json()["token"]
    me = {"Authorization": f"Bearer {token}"}
    need = requests.post(api + "/needs", headers=me, timeout=10, json={
        "kind": "wish", "title": "增设休息长椅", "description": CANARIES["need_text"], "place_id": place_id})
    assert need.status_code == 201, need.text
    staff_token = requests.post(api + "/auth/token", json={"username": "staff", "password": "Ribbon-2026"},
                                timeout=10).json()["token"]
    opened = requests.post(f"{api}/projects/{project_id}/evaluation/open", json={}, timeout=10,
                           headers={"Authorization": f"Bearer {staff_token}"})
    assert opened.status_code == 200, opened.text
    survey = requests.get(f"{api}/surveys/{opened.json()['survey_id']}", headers=me, timeout=10).json()
    answers = [{"question_id": q["id"], "score": 4} if q["kind"] == "likert"
               else {"question_id": q["id"], "text": CANARIES["answer_text"]} for q in survey["questions"]]
    answered = requests.post(f"{api}/surveys/{survey['id']}/responses", headers=me, json={"answers": answers},
                             timeout=10)
    assert answered.status_code == 201, answered.text
    assert requests.get(api + "/me/data", headers=me, timeout=10).status_code == 200

    admin = requests.Session()
    logged_in = admin.post(base + "/login", data={"csrf_token": _csrf(admin, base, "/login"), "username": "admin",
                                                  "password": "Ribbon-2026"}, allow_redirects=False, timeout=10)
    assert logged_in.status_code == 302
    created = admin.post(base + "/admin/users/new", allow_redirects=False, timeout=10, data={
        "csrf_token": _csrf(admin, base, "/admin/users/new"), "username": "logcanary2",
        "display_name": "另一位", "password": "Log-canary-pass-8", "roles": "resident",
        "real_name": CANARIES["real_name"], "phone": CANARIES["phone"], "email": CANARIES["email"]})
    assert created.status_code == 302, created.text[:800]
    # staff search people by name and phone: the query string must not reach the logs
    found = admin.get(base + "/admin/users/", params={"q": CANARIES["display_name"]}, timeout=10)
    assert found.status_code == 200 and "logcanary" in found.text
    assert admin.get(base + "/needs", params={"q": CANARIES["phone"]}, timeout=10).status_code == 200


def found_canaries(text: str) -> list[str]:
    from urllib.parse import quote

    return [name for name, value in CANARIES.items() if value in text or quote(value) in text]


@pytest.fixture()
def served_database(tmp_path):
    """A migrated SQLite database with the demo street and one completed project."""
    from tests.factories import build

    url = f"sqlite:///{tmp_path / 'logs.sqlite3'}"
    app = make_app(url)
    migrate_and_seed(app)
    from coordination.extensions import db
    from coordination.places.models import Place

    with app.app_context():
        place_id = db.session.scalar(select(Place.id).where(Place.name == "福山居民区"))
        project_id = build(db, "completed").id
        db.engine.dispose()
    return url, place_id, project_id


def test_gunicorn_logs_hold_no_personal_data(served_database, tmp_path):
    url, place_id, project_id = served_database
    access, errors = tmp_path / "access.log", tmp_path / "error.log"
    env = dict(os.environ, APP_ENV="testing", DATABASE_URL=url)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--bind", "127.0.0.1:0",
         "--workers", "2", "--access-logfile", str(access), "--error-logfile", str(errors),
         "--capture-output", "--log-level", "debug", "--no-control-socket", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline, port = time.monotonic() + 90, None
        while port is None and time.monotonic() < deadline and server.poll() is None:
            match = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", errors.read_text() if errors.exists() else "")
            port = int(match.group(1)) if match else None
            time.sleep(0.2)
        assert port, "gunicorn did not start: " + (errors.read_text() if errors.exists() else "")
        base = f"http://127.0.0.1:{port}"
        ready = False
        while not ready and time.monotonic() < deadline:
            try:
                ready = requests.get(base + "/healthz", timeout=10).status_code == 200
            except requests.RequestException:
                time.sleep(0.5)
        assert ready, "gunicorn did not answer"
        seed_through_the_app(base, place_id, project_id)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    access_log, error_log = access.read_text(), errors.read_text()
    assert '"GET /admin/users/ HTTP/1.1" 200' in access_log  # the searches were logged, without their terms
    assert '"POST /api/v1/needs HTTP/1.1" 201' in access_log
    assert found_canaries(access_log) == []
    assert found_canaries(error_log) == []


def test_application_logs_hold_no_personal_data(served_database, caplog):
    """The same flow through the test client, every logger captured at DEBUG."""
    url, place_id, project_id = served_database
    app = make_app(url)
    caplog.set_level(logging.DEBUG)
    # Alembic's logging set-up (run in-process by the migration above) disables the loggers that
    # existed before it; a server process never runs it, so turn them back on to hear everything.
    for logger in list(logging.root.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger):
            logger.disabled = False
    client = app.test_client()
    if True:
        # the development server's access log (``flask run``), serving one real request
        import threading

        from werkzeug.serving import make_server

        server = make_server("127.0.0.1", 0, app)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            searched = requests.get(f"http://127.0.0.1:{server.server_port}/needs",
                                    params={"q": CANARIES["phone"]}, timeout=30)
            assert searched.status_code == 200
        finally:
            server.shutdown()
            thread.join(timeout=10)
        token = client.post("/api/v1/auth/token", json={"username": "resident", "password": "Ribbon-2026"}).json["token"]
        response = client.post("/api/v1/needs", headers={"Authorization": f"Bearer {token}"}, json={
            "kind": "wish", "title": "增设休息长椅", "description": CANARIES["need_text"], "place_id": place_id})
        assert response.status_code == 201
        assert client.post("/api/v1/auth/register", json={
            "username": "logcanary3", "password": "Log-canary-pass-9", "display_name": CANARIES["display_name"],
            "role": "resident", "place_id": place_id, "phone": CANARIES["phone"],
            "email": CANARIES["email"]}).status_code == 201
    # the app's and its servers' loggers (the test's own HTTP client, urllib3, is not the app)
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records
                       if not r.name.startswith("urllib3"))
    assert '"GET /needs HTTP/1.1" 200' in logged
    assert found_canaries(logged) == []


def test_database_errors_never_quote_the_values(app, db):
    """A traceback in the log (an unexpected error) shows the statement, not the personal data in it."""
    from sqlalchemy.exc import IntegrityError

    from coordination.accounts.models import User

    savepoint = db.session.begin_nested()
    db.session.add(User(username="resident", display_name=CANARIES["display_name"], password_hash="x",
                        phone=CANARIES["phone"], email=CANARIES["email"]))
    with pytest.raises(IntegrityError) as error:
        db.session.flush()
    savepoint.rollback()
    assert "INSERT INTO users" in str(error.value)
    assert found_canaries(str(error.value)) == []
