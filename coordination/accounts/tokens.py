"""Issuing, checking and revoking API bearer tokens (only a SHA-256 digest is stored)."""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from coordination.accounts.models import ApiToken
from coordination.accounts.models import User
from coordination.core import audit
from coordination.core.models.base import utcnow
from coordination.core.transactions import request_writes
from coordination.core.transactions import try_short_write
from coordination.extensions import db

TOKEN_PREFIX = "gr_"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def issue_token(user: User, client: str | None = None) -> tuple[str, ApiToken]:
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        user=user,
        token_hash=_digest(raw),
        created_at=now,
        expires_at=now + current_app.config["API_TOKEN_TTL"],
        client=(client or "")[:200] or None,
    )
    db.session.add(token)
    db.session.flush()
    audit.record(user, "token.issue", token, object_type="ApiToken")
    return raw, token


def user_for_token(raw: str) -> tuple[User, ApiToken] | None:
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(raw)))
    now = utcnow()
    if token is None or not token.is_valid(now) or not token.user.active:
        return None
    _stamp_last_use(token, now)
    return token.user, token


def _stamp_last_use(token: ApiToken, now) -> None:
    """Note when a token was last used, at most once per ``API_TOKEN_TOUCH_INTERVAL``.

    A request that writes anyway stamps it in its own transaction; a reading request never
    writes in its transaction (SQLite would refuse it while another request writes), so it
    stamps in a separate short one that gives up silently when the database is busy.
    """
    interval = current_app.config["API_TOKEN_TOUCH_INTERVAL"]
    if token.last_used_at is not None and now - token.last_used_at < interval:
        return
    if request_writes():
        token.last_used_at = now
        return
    stale = or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - interval)
    if try_short_write(update(ApiToken).where(ApiToken.id == token.id, stale).values(last_used_at=now)):
        set_committed_value(token, "last_used_at", now)


def revoke_token(actor, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(actor, "token.revoke", token, object_type="ApiToken")


def revoke_all_tokens(user: User) -> None:
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
