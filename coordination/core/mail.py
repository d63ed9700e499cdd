"""Notification e-mail, sent by the background worker with retries.

A request only puts one job per message on the queue, after its transaction commits
(``core/notifications.py``); the job renders the text in the reader's language and hands it
to the SMTP server. When the server is down or refuses, the job raises and Huey retries it
``MAIL_RETRIES`` times, waiting ``MAIL_RETRY_DELAY`` seconds and twice as long each time, so
the mail is delayed, not lost.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from coordination.core.jobs import jobs
from coordination.core.notifications import RENDERERS


def site_url() -> str:
    """Links in e-mails always use SITE_URL, never the request's Host header (which a client
    can set to any site)."""
    return current_app.config.get("SITE_URL", "").rstrip("/")


def compose(address: str, locale: str | None, kind: str, params: dict, link: str | None) -> EmailMessage:
    config = current_app.config
    with force_locale(locale or config["BABEL_DEFAULT_LOCALE"]):
        text = RENDERERS[kind](params) if kind in RENDERERS else kind
        message = EmailMessage()
        message["Subject"] = _("Golden Ribbon: %(text)s", text=text)[:200]
        message["From"] = config.get("MAIL_DEFAULT_SENDER", "noreply@localhost")
        message["To"] = address
        body = text
        if link:
            body += "\n\n" + site_url() + link
        body += "\n\n" + _("You receive this because you follow this on Golden Ribbon.")
        message.set_content(body)
    return message


@jobs.task(retries="MAIL_RETRIES", retry_delay="MAIL_RETRY_DELAY", retry_backoff=2)
def send_email(address: str, locale: str | None, kind: str, params: dict, link: str | None) -> str:
    """Send one notification e-mail; an SMTP failure raises, and the queue retries later."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        return "mail is off"
    message = compose(address, locale, kind, params, link)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT", 25)), timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        current_app.logger.warning("Notification e-mail not sent yet (%s); it will be retried", type(exc).__name__)
        raise
    return "sent"
