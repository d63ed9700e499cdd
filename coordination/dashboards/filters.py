"""The dashboard's filters from the query string: an area and a period. A date that is not a
date, or an end before the start, is refused naming the field, never silently dropped."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from coordination.core.errors import InvalidInput
from coordination.core.forms import positive_int_arg
from coordination.dashboards.queries import Period

DATE_FIELDS = ("start", "end")


def field_labels() -> dict:
    return {"start": _("Start date"), "end": _("End date")}


def period_from(args) -> Period:
    """The ``Period`` the query string asks for; ``InvalidInput`` naming each bad date field."""
    days: dict[str, date | None] = {}
    errors: dict[str, str] = {}
    for name in DATE_FIELDS:
        raw = (args.get(name) or "").strip()
        days[name] = None
        if not raw:
            continue
        try:
            days[name] = date.fromisoformat(raw)
        except ValueError:
            errors[name] = _("%(field)s: “%(value)s” is not a date; write it as 2026-12-31.",
                             field=field_labels()[name], value=raw[:40])
    if not errors and days["start"] and days["end"] and days["end"] < days["start"]:
        errors["end"] = _("%(field)s is before the start date.", field=field_labels()["end"])
    if errors:
        raise InvalidInput(_("Check the dates of the filter."), fields=errors)
    area = positive_int_arg("area_id", args)
    return Period(area_id=area, start=days["start"], end=days["end"])
