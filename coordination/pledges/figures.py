"""Pledges' maintained figures: each pledge's rating count and sum, added to in the transaction
that adds a rating; how to rebuild them and check them (see ``core/counters.py``)."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update

from coordination.core import counters
from coordination.extensions import db
from coordination.pledges.models import Pledge
from coordination.pledges.models import PledgeRating


def _recount():
    return (select(PledgeRating.pledge_id, func.count(), func.sum(PledgeRating.score))
            .group_by(PledgeRating.pledge_id))


def rebuild() -> None:
    fresh = {pledge_id: (int(n), int(total)) for pledge_id, n, total in db.session.execute(_recount())}
    db.session.execute(update(Pledge).values(rating_count=0, rating_sum=0))
    for pledge_id, (n, total) in fresh.items():
        db.session.execute(update(Pledge).where(Pledge.id == pledge_id).values(rating_count=n, rating_sum=total))


def differences() -> list[str]:
    stored = {(pledge_id,): (n, total) for pledge_id, n, total in db.session.execute(
        select(Pledge.id, Pledge.rating_count, Pledge.rating_sum).where(Pledge.rating_count > 0))}
    fresh = {(pledge_id,): (int(n), int(total)) for pledge_id, n, total in db.session.execute(_recount())}
    return counters.compare("pledges.rating", stored, fresh)


counters.register("pledges", rebuild, differences)
