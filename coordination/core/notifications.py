"""Notifying people: an in-app notification, and an e-mail where the person gave an address
and mail is configured (``MAIL_SERVER``). E-mails are sent only after the transaction that
created them commits, so a rolled-back change never mails anyone.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from typing import Callable, Iterable

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

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
        if user.email and current_app.config.get("MAIL_SERVER"):
            _outbox(db.session).append((user.email, user.locale, kind, params, link))
        count += 1
    return count


def unread_count(user) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ) or 0


def mark_read(user, notification_id: int | None = None) -> None:
    query = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    db.session.execute(query.values(read_at=utcnow()))


# ------------------------------------------------------------------------------ e-mail

def _outbox(session) -> list:
    return session.info.setdefault("mail_outbox", [])


def _site_url() -> str:
    """Links in e-mails always use SITE_URL, never the request's Host header (which a client
    can set to any site)."""
    return current_app.config.get("SITE_URL", "").rstrip("/")


def _send(messages: list) -> None:
    config = current_app.config
    site = _site_url()
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT", 25)), timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
            for address, locale, kind, params, link in messages:
                with force_locale(locale or config["BABEL_DEFAULT_LOCALE"]):
                    text = RENDERERS[kind](params) if kind in RENDERERS else kind
                    message = EmailMessage()
                    message["Subject"] = _("Golden Ribbon: %(text)s", text=text)[:200]
                    message["From"] = config.get("MAIL_DEFAULT_SENDER", "noreply@localhost")
                    message["To"] = address
                    body = text
                    if link:
                        body += "\n\n" + site + link
                    body += "\n\n" + _("You receive this because you follow this on Golden Ribbon.")
                    message.set_content(body)
                smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("Sending %d notification e-mail(s) failed", len(messages))


@event.listens_for(Session, "after_commit")
def _send_after_commit(session) -> None:
    messages = session.info.pop("mail_outbox", None)
    if messages:
        _send(messages)


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session) -> None:
    session.info.pop("mail_outbox", None)
