"""Login throttling shared by the web login and ``POST /api/v1/auth/token``.

Failed attempts are kept in the database (``login_attempts``), so every gunicorn worker and
every app server sees the same counts with the default settings. The rules:

* per (account, address) pair: ``LOGIN_FREE_FAILURES`` failures are free, then each further
  failure doubles the wait, from ``LOGIN_FIRST_DELAY`` up to ``LOGIN_MAX_DELAY``; a success
  clears the pair. A stranger guessing a password therefore slows down only themself: the
  owner from another address, and colleagues behind the same address, still log in;
* per account across addresses: beyond ``LOGIN_ACCOUNT_FAILURES`` failures within
  ``LOGIN_FAILURE_WINDOW``, every attempt waits a growing delay of at most
  ``LOGIN_ACCOUNT_MAX_DELAY`` after the last failure (slowed, never locked);
* per address: once it has failed on ``LOGIN_ADDRESS_ACCOUNTS`` distinct accounts within the
  window, it may not try further accounts until the window has passed.

A generous Flask-Limiter limit per address (``LOGIN_ATTEMPT_LIMIT``) still caps floods.
"""

from __future__ import annotations

import math
import random
from datetime import timedelta

from flask import current_app
from flask import g
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite

from coordination.accounts.models import LoginAttempt
from coordination.core.models.base import utcnow
from coordination.extensions import client_address
from coordination.extensions import db
from coordination.extensions import limiter


class Throttled(Exception):
    """Too many failures: wait ``retry_after`` seconds."""

    def __init__(self, retry_after: float):
        self.retry_after = max(1, math.ceil(retry_after))
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if self.retry_after >= 120:
            return _("Too many failed logins. Please wait %(minutes)d minutes and try again.",
                     minutes=math.ceil(self.retry_after / 60))
        return ngettext("Too many failed logins. Please wait %(num)d second and try again.",
                        "Too many failed logins. Please wait %(num)d seconds and try again.", self.retry_after)

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


def _key(username: str | None) -> str:
    return str(username or "").strip().lower()[:80]


def _address() -> str:
    return client_address()[:64]


def _enabled() -> bool:
    return bool(current_app.config["LOGIN_THROTTLE_ENABLED"])


def _pair(username: str, address: str) -> LoginAttempt:
    """The pair's row, created if missing and locked (PostgreSQL) until the request ends, so
    concurrent attempts on one pair queue up (SQLite: the request holds the write lock)."""
    dialect = db.engine.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(LoginAttempt).values(username=username, address=address, failures=0)
                       .on_conflict_do_nothing(index_elements=["username", "address"]))
    return db.session.scalars(
        select(LoginAttempt).where(LoginAttempt.username == username, LoginAttempt.address == address)
        .with_for_update().execution_options(populate_existing=True)).one()


def _doubling(first: timedelta, exponent: int, cap: timedelta) -> timedelta:
    return min(cap, first * (2 ** min(exponent, 40)))


def check(username: str) -> None:
    """Raise ``Throttled`` when this attempt must wait; call before checking the password."""
    if not _enabled():
        return
    config, now = current_app.config, utcnow()
    username, address = _key(username), _address()
    window_start = now - config["LOGIN_FAILURE_WINDOW"]
    if random.random() < 0.01:  # forget old failures now and then
        db.session.execute(delete(LoginAttempt).where(LoginAttempt.last_failure_at < now - timedelta(days=1)))
    pair = _pair(username, address)
    g.login_attempt = pair
    if pair.last_failure_at is not None and pair.last_failure_at < window_start \
            and (pair.blocked_until is None or pair.blocked_until <= now):
        pair.failures, pair.first_failure_at, pair.blocked_until = 0, None, None
    if pair.blocked_until is not None and pair.blocked_until > now:
        raise Throttled((pair.blocked_until - now).total_seconds())

    total, last = db.session.execute(
        select(func.coalesce(func.sum(LoginAttempt.failures), 0), func.max(LoginAttempt.last_failure_at))
        .where(LoginAttempt.username == username, LoginAttempt.last_failure_at >= window_start)).one()
    excess = int(total) - config["LOGIN_ACCOUNT_FAILURES"]
    if excess >= 0 and last is not None:
        until = last + _doubling(config["LOGIN_FIRST_DELAY"], excess, config["LOGIN_ACCOUNT_MAX_DELAY"])
        if until > now:
            raise Throttled((until - now).total_seconds())

    if pair.failures == 0:  # an account this address has not failed on lately
        cap = config["LOGIN_ADDRESS_ACCOUNTS"]
        recent = db.session.scalars(
            select(LoginAttempt.last_failure_at)
            .where(LoginAttempt.address == address, LoginAttempt.failures > 0,
                   LoginAttempt.last_failure_at >= window_start)
            .order_by(LoginAttempt.last_failure_at.desc()).limit(cap)).all()
        if len(recent) >= cap:
            raise Throttled((recent[-1] + config["LOGIN_FAILURE_WINDOW"] - now).total_seconds())


def failed(username: str) -> None:
    """Count a wrong password or code; the caller commits even though the answer is an error."""
    if not _enabled():
        return
    config, now = current_app.config, utcnow()
    pair = g.get("login_attempt") or _pair(_key(username), _address())
    pair.failures += 1
    pair.first_failure_at = pair.first_failure_at or now
    pair.last_failure_at = now
    if pair.failures >= config["LOGIN_FREE_FAILURES"]:
        pair.blocked_until = now + _doubling(config["LOGIN_FIRST_DELAY"],
                                             pair.failures - config["LOGIN_FREE_FAILURES"],
                                             config["LOGIN_MAX_DELAY"])
    db.session.flush()


def succeeded(username: str) -> None:
    """A correct login clears the failures of its (account, address) pair."""
    if not _enabled():
        return
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.username == _key(username),
                                                  LoginAttempt.address == _address()))
    g.pop("login_attempt", None)


def _attempt_limit() -> str:
    return current_app.config["LOGIN_ATTEMPT_LIMIT"]


def _registration_limit() -> str:
    return current_app.config["REGISTRATION_LIMIT"]


def login_limits(view):
    """A coarse flood guard per address on login and token views (the real throttle is above)."""
    return limiter.limit(_attempt_limit, key_func=client_address, methods=["POST"],
                         scope="login-attempts")(view)


def registration_limit(view):
    return limiter.limit(_registration_limit, key_func=client_address, methods=["POST"],
                         scope="registration")(view)
