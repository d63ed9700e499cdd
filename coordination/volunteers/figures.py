"""Volunteers' maintained figures: the hours totals of each volunteer, sign-up and team, kept
in the transaction that records the hours (``operations.credit_hours``); how to rebuild and
check them against the recorded hours (see ``core/counters.py``)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update

from coordination.core import counters
from coordination.extensions import db
from coordination.volunteers.models import VolunteerHours
from coordination.volunteers.models import VolunteerProfile
from coordination.volunteers.models import VolunteerSignup
from coordination.volunteers.models import VolunteerTeam


def _tenths(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"))


def _recounts():
    """(model, sums of the recorded hours by row id) for each total."""
    by_signup = select(VolunteerHours.signup_id, func.sum(VolunteerHours.hours)).group_by(VolunteerHours.signup_id)
    by_profile = (select(VolunteerSignup.profile_id, func.sum(VolunteerHours.hours))
                  .join(VolunteerSignup, VolunteerSignup.id == VolunteerHours.signup_id)
                  .group_by(VolunteerSignup.profile_id))
    by_team = (select(VolunteerHours.team_id, func.sum(VolunteerHours.hours))
               .where(VolunteerHours.team_id.is_not(None)).group_by(VolunteerHours.team_id))
    return ((VolunteerSignup, by_signup), (VolunteerProfile, by_profile), (VolunteerTeam, by_team))


def rebuild() -> None:
    for model, query in _recounts():
        db.session.execute(update(model).values(hours_total=0).execution_options(synchronize_session=False))
        for key, total in db.session.execute(query):
            db.session.execute(update(model).where(model.id == key).values(hours_total=total)
                               .execution_options(synchronize_session=False))


def differences() -> list[str]:
    out = []
    for model, query in _recounts():
        fresh = {(key,): (_tenths(total),) for key, total in db.session.execute(query)}
        stored = {(key,): (_tenths(total),) for key, total in db.session.execute(
            select(model.id, model.hours_total).where(model.hours_total != 0))}
        out += counters.compare(f"{model.__tablename__}.hours_total", stored, fresh)
    return out


counters.register("volunteers", rebuild, differences)
