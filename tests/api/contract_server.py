"""The real app on a fresh, seeded database, served over HTTP on a free 127.0.0.1 port.

``served_app(database_url)`` migrates the database, loads the demo street (with its needs and
projects, so the tools reach real objects), serves the app with werkzeug in a thread and counts
the requests it answers by status. Used by the contract tests (schemathesis, the generated
client), which talk to it the way a mobile app would.
"""

from __future__ import annotations

import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field

from werkzeug.serving import make_server

from coordination.extensions import db


@dataclass
class Served:
    base_url: str
    statuses: Counter = field(default_factory=Counter)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)


class _Counting:
    """WSGI middleware counting the answers by status."""

    def __init__(self, app, statuses: Counter):
        self.app, self.statuses, self.lock = app, statuses, threading.Lock()

    def __call__(self, environ, start_response):
        def counting_start(status, headers, exc_info=None):
            with self.lock:
                self.statuses[int(status.split(" ", 1)[0])] += 1
            return start_response(status, headers, exc_info)

        return self.app(environ, counting_start)


def seed(app) -> None:
    from flask_migrate import upgrade

    from coordination.demo import load_demo

    with app.app_context():
        upgrade()
        load_demo(out=lambda *_: None, with_needs=True)
        db.session.commit()
        db.session.remove()


@contextmanager
def served_app(database_url: str, **config):
    from tests.conftest import make_app

    app = make_app(database_url, **config)
    seed(app)
    served = Served(base_url="")
    server = make_server("127.0.0.1", 0, _Counting(app, served.statuses), threaded=True)
    served.base_url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, name="contract-server", daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.engine.dispose()
