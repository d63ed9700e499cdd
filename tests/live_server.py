"""The app served by a real gunicorn (several worker processes) on a free 127.0.0.1 port.

``gunicorn_server(database_url)`` starts ``gunicorn wsgi:app`` bound to port 0, reads the port
it got from its log, waits until ``/healthz`` answers and stops it (SIGTERM, then SIGKILL) at
the end. The database must already be migrated.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
LISTENING_RE = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


@contextmanager
def gunicorn_server(database_url: str, *, workers: int = 4, env: dict | None = None, timeout: float = 60):
    log = tempfile.NamedTemporaryFile(prefix="gr-gunicorn-", suffix=".log", delete=False)
    environment = dict(os.environ, APP_ENV="testing", DATABASE_URL=database_url, **(env or {}))
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "--workers", str(workers), "--bind", "127.0.0.1:0", "--timeout", "60",
         "--graceful-timeout", "5", "wsgi:app"],
        cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = _wait_until_ready(process, Path(log.name), timeout)
        yield base
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        log.close()
        Path(log.name).unlink(missing_ok=True)


def _wait_until_ready(process, log: Path, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    base = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited:\n" + log.read_text(errors="replace")[-3000:])
        if base is None:
            match = LISTENING_RE.search(log.read_text(errors="replace"))
            if match:
                base = f"http://127.0.0.1:{match.group(1)}"
        if base is not None:
            try:
                if requests.get(base + "/healthz", timeout=2).status_code == 200:
                    return base
            except requests.RequestException:
                pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start in time:\n" + log.read_text(errors="replace")[-3000:])


@contextmanager
def threaded_server(app):
    """``app`` served by werkzeug in a thread on a free 127.0.0.1 port; yields the API's base URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/api/v1"
    finally:
        server.shutdown()
