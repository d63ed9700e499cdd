"""`flask --app coordination worker`: a real consumer process that runs queued jobs and stops
cleanly on SIGTERM and SIGINT."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from coordination.core.jobs import huey_of
from coordination.core.mail import send_email
from tests.conftest import make_app
from tests.conftest import wait_for
from tests.core.test_mail_queue import SmtpServer
from tests.core.test_mail_queue import free_port

FLASK = str(Path(sys.executable).with_name("flask"))


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_the_worker_command_runs_jobs_and_stops_cleanly(tmp_path, stop_signal):
    queue_file = tmp_path / "jobs.sqlite3"
    database = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    port = free_port()
    app = make_app(database, JOBS_QUEUE_FILE=str(queue_file), MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    env = dict(os.environ, APP_ENV="testing", DATABASE_URL=database, JOBS_QUEUE_FILE=str(queue_file),
               MAIL_SERVER="127.0.0.1", MAIL_PORT=str(port), WORKER_THREADS="2")
    with SmtpServer(port) as smtp:
        with app.app_context():
            send_email.enqueue("li@example.org", "zh_CN", "need.status", {"title": "路灯", "status": "accepted"},
                               "/needs/7")
        process = subprocess.Popen([FLASK, "--app", "coordination", "worker"], env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        try:
            wait_for(lambda: smtp.received, timeout=30)
        finally:
            process.send_signal(stop_signal)
            output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "Worker started with 2 threads" in output and "Worker stopped." in output
    assert [e.rcpt_tos for e in smtp.received] == [["li@example.org"]]
    assert huey_of(app).pending_count() == 0


def test_the_queue_is_redis_when_redis_url_is_set(tmp_path):
    from huey import RedisHuey
    from huey import SqliteHuey

    sqlite = make_app(f"sqlite:///{tmp_path / 'a.sqlite3'}", JOBS_QUEUE_FILE=str(tmp_path / "q.sqlite3"))
    assert isinstance(huey_of(sqlite), SqliteHuey) and huey_of(sqlite).storage.filename.endswith("q.sqlite3")
    redis = make_app(f"sqlite:///{tmp_path / 'b.sqlite3'}", REDIS_URL="redis://127.0.0.1:6399/0")
    assert isinstance(huey_of(redis), RedisHuey)


from coordination.core.jobs import jobs  # noqa: E402


@jobs.task(writes=True)
def record_then_maybe_fail(action: str, fail: bool) -> str:
    """A job for this test only: writes an audit record, then raises when asked."""
    from coordination.core import audit

    audit.record(None, action, object_type="test")
    if fail:
        raise RuntimeError("the job failed")
    return "done"


def test_each_job_runs_in_its_own_transaction(tmp_path, database_kind, database_url_factory):
    from huey.exceptions import TaskException
    from sqlalchemy import func
    from sqlalchemy import select

    from coordination.core.jobs import running_worker
    from coordination.core.models import AuditRecord
    from coordination.extensions import db
    from tests.conftest import migrate_and_seed

    app = make_app(database_url_factory(database_kind), JOBS_QUEUE_FILE=str(tmp_path / "jobs.sqlite3"))
    migrate_and_seed(app)
    with app.app_context():
        good = record_then_maybe_fail.enqueue("test.job.ok", False)
        bad = record_then_maybe_fail.enqueue("test.job.fail", True)
    with running_worker(app):
        assert good.get(blocking=True, timeout=20) == "done"
        with pytest.raises(TaskException):
            bad.get(blocking=True, timeout=20)
    with app.app_context():
        actions = dict(db.session.execute(select(AuditRecord.action, func.count()).where(
            AuditRecord.action.like("test.job.%")).group_by(AuditRecord.action)).all())
        assert actions == {"test.job.ok": 1}  # committed on success, rolled back on error
        db.session.remove()
        db.engine.dispose()
