"""The lead unit's check-in code of the day: a signed, short-lived code (no table) that a
volunteer's phone reads from the QR code the lead shows; valid for that project, today only."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from itsdangerous import BadSignature
from itsdangerous import URLSafeTimedSerializer

SALT = "volunteer-check-in"
MAX_AGE = 24 * 3600


def local_today() -> date:
    """Today in the street's time zone."""
    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def local_date(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def code_for(project_id: int) -> str:
    """Today's check-in code of the project."""
    return _serializer().dumps({"p": project_id, "d": local_today().isoformat()})


def is_valid(code: str | None, project_id: int) -> bool:
    """Is ``code`` the project's check-in code of today?"""
    if not code:
        return False
    try:
        data = _serializer().loads(code, max_age=MAX_AGE)
    except (BadSignature, ValueError, TypeError):
        return False
    return isinstance(data, dict) and data.get("p") == project_id and data.get("d") == local_today().isoformat()
