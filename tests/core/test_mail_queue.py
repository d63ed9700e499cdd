"""Notification e-mail goes through the background queue: the request only enqueues (after its
commit), a real worker sends through a real SMTP server, and a server that is down delays the
mail without losing it."""

from __future__ import annotations

import email
import socket
import threading
from email import policy

import pytest
from huey import signals
from sqlalchemy import select

from coordination.accounts.models import User
from coordination.core.jobs import huey_of
from tests.conftest import wait_for


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """aiosmtpd on 127.0.0.1:port, collecting what it receives."""

    def __init__(self, port: int):
        from aiosmtpd.controller import Controller

        self.received = []
        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                outer.received.append(envelope)
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


@pytest.fixture()
def mail_to(app, db):
    """Mail on, to an SMTP port chosen per test; the resident has an e-mail address."""
    port = free_port()
    resident = db.session.scalar(select(User).where(User.username == "resident"))
    resident.email = "zhang@example.org"
    db.session.commit()
    saved = {k: app.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_RETRY_DELAY")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_RETRY_DELAY=1)
    huey_of(app).flush()
    yield port
    app.config.update(saved)
    huey_of(app).flush()


def accepted_need(client, api_token, places, title="楼道装感应灯") -> int:
    need = client.post("/api/v1/needs", headers=api_token("resident"), json={
        "kind": "wish", "title": title, "description": "很暗", "place_id": places["福山居民区"]}).json
    answer = client.post(f"/api/v1/needs/{need['id']}/triage", headers=api_token("staff"),
                         json={"action": "accept", "category_id": 6})
    assert answer.status_code == 200
    return need["id"]


def test_a_request_only_enqueues_and_the_worker_sends(app, client, db, api_token, places, mail_to, worker):
    with SmtpServer(mail_to) as smtp:
        need_id = accepted_need(client, api_token, places)
        assert smtp.received == []  # nothing was sent inside the request
        assert huey_of(app).pending_count() == 1
        with worker():
            wait_for(lambda: smtp.received, timeout=20)
    assert [e.rcpt_tos for e in smtp.received] == [["zhang@example.org"]]
    message = email.message_from_bytes(smtp.received[0].content, policy=policy.default)
    assert message["Subject"] == "金色纽带：需求“楼道装感应灯”的状态已变更为：已纳入需求菜单"
    assert f"http://127.0.0.1:5000/needs/{need_id}" in message.get_content()


def test_a_failed_smtp_server_delays_mail_and_does_not_drop_it(app, client, db, api_token, places, mail_to,
                                                               worker):
    retried = threading.Event()
    huey = huey_of(app)

    def on_retry(signal, task, *args):
        retried.set()

    huey.signal(signals.SIGNAL_RETRYING)(on_retry)
    try:
        need_id = accepted_need(client, api_token, places)  # the SMTP server is down
        with worker():
            assert retried.wait(15), "the e-mail job was not retried"
            with SmtpServer(mail_to) as smtp:  # the server comes back
                wait_for(lambda: smtp.received, timeout=20)
    finally:
        huey.disconnect_signal(on_retry, signals.SIGNAL_RETRYING)
    assert [e.rcpt_tos for e in smtp.received] == [["zhang@example.org"]]
    message = email.message_from_bytes(smtp.received[0].content, policy=policy.default)
    assert "楼道装感应灯" in message["Subject"]
    assert f"/needs/{need_id}" in message.get_content()


def test_a_rolled_back_change_mails_nothing(app, db, mail_to):
    from coordination.core.notifications import notify
    from coordination.extensions import db as _db

    resident = _db.session.scalar(select(User).where(User.username == "resident"))
    notify([resident], "need.status", link="/needs/1", title="回滚的需求", status="accepted")
    _db.session.rollback()
    assert huey_of(app).pending_count() == 0
    resident = _db.session.scalar(select(User).where(User.username == "resident"))
    notify([resident], "need.status", link="/needs/1", title="提交的需求", status="accepted")
    _db.session.commit()
    assert huey_of(app).pending_count() == 1
