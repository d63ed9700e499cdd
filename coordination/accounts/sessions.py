"""Server-side login sessions: started at login, checked on every request, revocable.

The signed Flask session (and the remember-me cookie) holds ``"<user id>.<random key>"``,
Flask-Login's user id; the ``user_sessions`` table holds the key's SHA-256 digest. A session
is valid while its record is not revoked, its user is active, it is younger than
``SESSION_ABSOLUTE_LIFETIME`` (``REMEMBER_COOKIE_DURATION`` for "keep me logged in") and has
seen a request within ``SESSION_IDLE_TIMEOUT``. Reading a page never writes in the request's
transaction: ``last_seen_at`` is refreshed at most once per ``SESSION_TOUCH_INTERVAL`` in a
short transaction of its own that gives up quietly when the database is busy.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime

from flask import current_app
from flask import g
from flask import has_request_context
from flask import request
from sqlalchemy import bindparam
from sqlalchemy import create_engine
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy import update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import joinedload

from coordination.accounts.models import User
from coordination.accounts.models import UserSession
from coordination.core.models.base import utcnow
from coordination.core.notifications import unread_of
from coordination.extensions import db

log = logging.getLogger(__name__)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def user_agent_summary(raw: str | None) -> str | None:
    """A short description of the browser ("Chrome on Android"), never the whole header."""
    raw = raw or ""
    if not raw:
        return None
    lowered = raw.lower()
    browser = next((name for key, name in (
        ("edg/", "Edge"), ("micromessenger", "WeChat"), ("firefox", "Firefox"),
        ("chrome", "Chrome"), ("safari", "Safari"), ("curl", "curl"), ("python", "Python"),
    ) if key in lowered), None)
    system = next((name for key, name in (
        ("android", "Android"), ("iphone", "iPhone"), ("ipad", "iPad"), ("windows", "Windows"),
        ("mac os", "macOS"), ("linux", "Linux"),
    ) if key in lowered), None)
    if browser and system:
        return f"{browser} · {system}"[:120]
    return (browser or system or raw[:60])[:120]


def start_session(user: User, *, remember: bool = False) -> UserSession:
    """Record a new login of ``user``; ``user.get_id()`` then carries the session's key."""
    key = secrets.token_urlsafe(32)
    now = utcnow()
    record = UserSession(
        user=user, key_hash=_digest(key), created_at=now, last_seen_at=now, remember=remember,
        user_agent=user_agent_summary(request.headers.get("User-Agent")) if has_request_context() else None,
    )
    db.session.add(record)
    db.session.flush()
    user.session_key = key
    if has_request_context():
        g.user_session = record
    return record


def expires_at(record: UserSession) -> datetime:
    """When the session ends at the latest (absolute lifetime, or idle lifetime if sooner)."""
    config = current_app.config
    if record.remember:
        return record.created_at + config["REMEMBER_COOKIE_DURATION"]
    return min(record.created_at + config["SESSION_ABSOLUTE_LIFETIME"],
               record.last_seen_at + config["SESSION_IDLE_TIMEOUT"])


def is_current(record: UserSession, now: datetime) -> bool:
    return record.revoked_at is None and record.user.active and now < expires_at(record)


# One statement for the session, its user, the user's roles and unread notifications (every
# page asks for them), built once: a request then pays neither for lazy loads nor for building
# the query.
_SESSION_QUERY = (
    select(UserSession, unread_of(UserSession.user_id))
    .options(joinedload(UserSession.user).joinedload(User.role_links))
    .where(UserSession.key_hash == bindparam("key_hash"))
)


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's user loader: the user of a valid session, or None (logged out)."""
    user_id, _sep, key = str(session_id).partition(".")
    if not user_id.isascii() or not user_id.isdigit() or len(user_id) > 10 or not 20 <= len(key) <= 64:
        return None
    record, unread = db.session.execute(_SESSION_QUERY, {"key_hash": _digest(key)}).unique().first() or (None, 0)
    now = utcnow()
    if record is None or record.user_id != int(user_id) or not is_current(record, now):
        return None
    user = record.user
    user.session_key = key
    g.user_session = record
    g.unread_notifications = unread
    if now - record.last_seen_at >= current_app.config["SESSION_TOUCH_INTERVAL"]:
        _touch(record.id, now)
    return user


def current_session() -> UserSession | None:
    return g.get("user_session") if has_request_context() else None


# ---------------------------------------------------------------------------- last seen

def _touch_engine():
    """SQLite: a small engine of our own whose connections wait at most 0.2 s for a lock
    (the app's engine waits 10 s and begins write transactions IMMEDIATE). PostgreSQL: the
    app's engine, with a lock timeout set for the one statement."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        return engine
    cache = current_app.extensions.setdefault("gr_touch_engines", {})
    url = str(engine.url)
    if url not in cache:
        cache[url] = create_engine(engine.url, connect_args={"timeout": 0.2}, pool_size=2,
                                   max_overflow=2)
    return cache[url]


def _touch(session_id: int, now: datetime) -> None:
    """Refresh ``last_seen_at`` in its own short transaction; a busy database only skips it."""
    interval = current_app.config["SESSION_TOUCH_INTERVAL"]
    engine = _touch_engine()
    try:
        with engine.connect().execution_options(gr_bookkeeping=True) as conn, conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(text("SET LOCAL lock_timeout = '200ms'"))
            conn.execute(update(UserSession)
                         .where(UserSession.id == session_id,
                                UserSession.last_seen_at < now - interval)
                         .values(last_seen_at=now))
    except DBAPIError as exc:  # locked or busy: the next request tries again
        log.info("session last-seen update skipped: %s", exc.__class__.__name__)


# ---------------------------------------------------------------------------- revoking

def revoke_session(record: UserSession | None) -> None:
    if record is not None and record.revoked_at is None:
        record.revoked_at = utcnow()


def revoke_user_sessions(user: User, *, keep: UserSession | None = None) -> int:
    """End every session of ``user`` (but ``keep``); returns how many were ended.

    Called on password changes, deactivation and account deletion; flushes, never commits.
    """
    statement = (update(UserSession)
                 .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
                 .values(revoked_at=utcnow())
                 .execution_options(synchronize_session=False))
    if keep is not None:
        statement = statement.where(UserSession.id != keep.id)
    result = db.session.execute(statement)
    if keep is not None:
        db.session.expire(keep)
    return result.rowcount or 0


def active_sessions(user: User) -> list[UserSession]:
    """The person's sessions that are still valid, most recent first (for /me)."""
    now = utcnow()
    config = current_app.config
    oldest = now - max(config["SESSION_ABSOLUTE_LIFETIME"], config["REMEMBER_COOKIE_DURATION"])
    records = db.session.scalars(
        select(UserSession).options(joinedload(UserSession.user))
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None),
               UserSession.created_at > oldest)
        .order_by(UserSession.last_seen_at.desc())).all()
    return [record for record in records if is_current(record, now)]
