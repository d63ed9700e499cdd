"""Notifying people: an in-app notification, and an e-mail where the person gave an address
and mail is configured (``MAIL_SERVER``). E-mails are queued as background jobs only after the
transaction that created them commits, so a rolled-back change never mails anyone; the worker
sends them with retries (``core/mail.py``).
"""

from __future__ import annotations

from collections import defaultdict
from functools import partial
from typing import Callable
from typing import Iterable

from flask import current_app
from flask import g
from flask import has_request_context
from sqlalchemy import bindparam
from sqlalchemy import event
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import ScalarSelect

from coordination.core.models.base import utcnow
from coordination.core.models.notifications import Notification
from coordination.extensions import db

# kind → function(params) returning the text, rendered in the reader's language.
RENDERERS: dict[str, Callable[[dict], str]] = {}


def renderer(kind: str):
    def decorator(fn):
        RENDERERS[kind] = fn
        return fn

    return decorator


def texts(table: dict, *, labels: dict | None = None) -> None:
    """Declare the text of each notification kind in ``table``: a translatable message
    (``lazy_gettext``) whose ``%(name)s`` placeholders are filled from the notification's
    parameters. A missing parameter reads as nothing; one named in ``labels`` holds an enum
    code and reads as its member's label (``labels={"status": NeedStatus}``)."""
    for kind, message in table.items():
        RENDERERS[kind] = partial(_fill, message, labels or {})


def _fill(message, labels: dict, params: dict) -> str:
    values = defaultdict(str, params)
    for name, enum_cls in labels.items():
        member = enum_cls.of(values[name])
        if member is not None:
            values[name] = member.label
    return str(message) % values


def render(notification: Notification) -> str:
    fn = RENDERERS.get(notification.kind)
    return fn(notification.params or {}) if fn else notification.kind


def notify(users: Iterable, kind: str, *, link: str | None = None, exclude=None, **params) -> int:
    """Queue a notification of ``kind`` to each distinct active user (except ``exclude``)."""
    seen: set[int] = set()
    count = 0
    for user in users:
        if user is None or user.id in seen or not user.active:
            continue
        if exclude is not None and user.id == getattr(exclude, "id", None):
            continue
        seen.add(user.id)
        db.session.add(Notification(user_id=user.id, kind=kind, params=params, link=link))
        _forget_unread()
        if user.email and current_app.config.get("MAIL_SERVER"):
            _outbox(db.session).append((user.email, user.locale, kind, params, link))
        count += 1
    return count


def unread_of(user_id) -> ScalarSelect:
    """How many notifications ``user_id`` (a value or a column) has not read, as a scalar
    subquery: every page of a logged-in person shows it (the bell in the header), so the
    session's own query reads it too (``accounts/sessions.py``)."""
    return (select(func.count()).select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
            .scalar_subquery())


_UNREAD = select(unread_of(bindparam("user_id")))


def unread_count(user) -> int:
    return db.session.scalar(_UNREAD, {"user_id": user.id}) or 0


def _forget_unread() -> None:
    """The count read with the session is out of date once this request marks or adds some."""
    if has_request_context():
        g.pop("unread_notifications", None)


def mark_read(user, ids: int | Iterable[int] | None = None) -> int:
    """Mark the person's notifications read: all of them (``ids`` None), one id or several.
    Ids of other people's notifications change nothing. Returns how many were marked."""
    _forget_unread()
    query = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if ids is not None:
        query = query.where(Notification.id.in_([ids] if isinstance(ids, int) else list(ids)))
    return db.session.execute(query.values(read_at=utcnow())).rowcount or 0


def inbox(user, *, unread: bool = False):
    """The query of the person's notifications (only the unread ones, if asked), newest first."""
    query = select(Notification).where(Notification.user_id == user.id)
    if unread:
        query = query.where(Notification.read_at.is_(None))
    return query.order_by(Notification.id.desc())


# ------------------------------------------------------------------------------ e-mail

def _outbox(session) -> list:
    return session.info.setdefault("mail_outbox", [])


@event.listens_for(Session, "after_commit")
def _enqueue_after_commit(session) -> None:
    """Committed: one background job per e-mail (core/mail.py sends it, with retries)."""
    messages = session.info.pop("mail_outbox", None)
    if not messages:
        return
    # a real cycle: mail imports this module (the texts)
    from coordination.core.mail import send_email

    for address, locale, kind, params, link in messages:
        try:
            send_email.enqueue(address, locale, kind, params, link)
        except Exception:  # noqa: BLE001 - the change is committed; the queue being down must not undo it
            current_app.logger.exception("A notification e-mail could not be queued")


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session) -> None:
    session.info.pop("mail_outbox", None)
