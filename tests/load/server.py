"""The real app under gunicorn on a free 127.0.0.1 port, and what the load tests need around it.

``seeded_database(kind, make_url)`` makes a migrated database holding the demo street (with its
needs); ``bulk_accounts`` adds many accounts at once; ``GunicornServer`` serves ``wsgi:app`` on
that database with production settings (secure cookies and rate limits off, so plain HTTP and
hundreds of requests per second work) and can be killed with SIGKILL and started again.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Ribbon-2026"


def seeded_database(url: str) -> None:
    """Migrate the database at ``url`` and load the demo street with its needs."""
    from flask_migrate import upgrade

    from coordination.demo import load_demo
    from coordination.extensions import db
    from tests.conftest import make_app

    app = make_app(url)
    with app.app_context():
        upgrade()
        load_demo(out=lambda *_: None, with_needs=True)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def app_for(url: str):
    """An in-process app on the same database, to prepare data and check the outcome."""
    from tests.conftest import make_app

    return make_app(url)


def bulk_accounts(app, prefix: str, count: int, role: str, *, unit_ids=(), place_ids=()) -> list[str]:
    """``count`` accounts ``<prefix>000`` … with ``role`` and a bearer token each, in one
    transaction (one password hash shared by all); returns the raw tokens in order."""
    from coordination.accounts.models import User
    from coordination.accounts.models import UserRole
    from coordination.accounts.passwords import hash_password
    from coordination.accounts.tokens import issue_token
    from coordination.core.enums import Role
    from coordination.extensions import db

    with app.app_context():
        password_hash = hash_password(PASSWORD)
        users = []
        for i in range(count):
            user = User(username=f"{prefix}{i:03d}", display_name=f"{prefix}{i:03d}",
                        password_hash=password_hash,
                        unit_id=unit_ids[i % len(unit_ids)] if unit_ids else None,
                        place_id=place_ids[i % len(place_ids)] if place_ids else None)
            user.role_links = [UserRole(role=Role(role))]
            users.append(user)
        db.session.add_all(users)
        db.session.flush()
        tokens = [issue_token(user, "load test")[0] for user in users]
        db.session.commit()
        db.session.remove()
        return tokens


def token_for(app, username: str) -> str:
    from sqlalchemy import select

    from coordination.accounts.models import User
    from coordination.accounts.tokens import issue_token
    from coordination.extensions import db

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        raw, _token = issue_token(user, "load test")
        db.session.commit()
        db.session.remove()
        return raw


def _listening_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    return sock


def _live_members(group: int) -> list[int]:
    """Processes of a process group that have not exited (zombies do not count)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            alive.append(int(entry.name))
    return alive


class GunicornServer:
    """``gunicorn wsgi:app`` with ``workers`` processes (× ``threads``) on ``database_url``.

    The listening socket is bound here (port 0, so always free) and handed to gunicorn as
    ``fd://``; gunicorn runs in its own process group, so ``kill()`` ends master and workers
    at once with SIGKILL, as a crash would.
    """

    def __init__(self, database_url: str, workers: int = 4, threads: int = 1, log_dir: Path | None = None,
                 env: dict | None = None, preload: bool = False):
        self.database_url = database_url
        self.workers, self.threads = workers, threads
        self.log_dir = log_dir or Path(os.environ.get("TMPDIR", "/tmp"))
        self.extra_env = env or {}
        self.preload = preload  # import the app once in the master: workers start at once
        self.process: subprocess.Popen | None = None
        self.port: int | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> "GunicornServer":
        sock = _listening_socket()
        self.port = sock.getsockname()[1]
        env = dict(os.environ)
        env.update({
            "APP_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),  # production refuses weak keys
            "REQUIRE_2FA_ROLES": "",  # the load tests act as staff without an authenticator app
            "DATABASE_URL": self.database_url,
            "FLASK_SESSION_COOKIE_SECURE": "false",
            "FLASK_REMEMBER_COOKIE_SECURE": "false",
            "FLASK_RATELIMIT_ENABLED": "false",
            "PYTHONPATH": str(ROOT),
        })
        env.update(self.extra_env)
        self.starts += 1
        self.log_path = self.log_dir / f"gunicorn-{os.getpid()}-{self.port}-{self.starts}.log"
        command = [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(self.workers),
                   "--bind", f"fd://{sock.fileno()}", "--timeout", "60", "--graceful-timeout", "5",
                   "--error-logfile", str(self.log_path), "--log-level", "warning", "wsgi:app"]
        if self.preload:
            command[1:1] = ["--preload"]
        if self.threads > 1:
            command[1:1] = ["--worker-class", "gthread", "--threads", str(self.threads)]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, pass_fds=[sock.fileno()],
                                        start_new_session=True, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        sock.close()  # gunicorn holds it now: when gunicorn dies, connections are refused
        self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}: {self.log()[-3000:]}")
            try:
                if requests.get(f"{self.url}/api/v1/categories", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"gunicorn did not answer within {timeout} s: {self.log()[-3000:]}")

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def kill(self) -> None:
        """SIGKILL to master and workers (its process group), then reap the master."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        # the workers are in the same group: wait until none of them runs any more
        deadline = time.monotonic() + 10
        while _live_members(self.process.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        self.process = None

    def stop(self) -> None:
        """A normal shutdown (SIGTERM, then SIGKILL if it lingers)."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
        except ProcessLookupError:
            pass
        self.kill()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
