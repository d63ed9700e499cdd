"""Needs' maintained figures: the tally of every menu cell, each need's support count, and
the search column; how to read them, rebuild them and check them (see ``core/counters.py``)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update

from coordination.core import counters
from coordination.core import search
from coordination.extensions import db
from coordination.needs.enums import NeedStatus
from coordination.needs.models import NO_CATEGORY
from coordination.needs.models import Need
from coordination.needs.models import NeedSupport
from coordination.needs.models import NeedTally

_CATEGORY = func.coalesce(Need.category_id, NO_CATEGORY)
_CELL = (Need.status, Need.hidden, _CATEGORY, Need.area_id, Need.channel, Need.kind)
DIMENSIONS = {"status": NeedTally.status, "category_id": NeedTally.category_id, "area_id": NeedTally.area_id,
              "channel": NeedTally.channel, "kind": NeedTally.kind}


def tally(by: str | None = None, *, statuses=None, include_hidden: bool = False, category_id: int | None = None,
          area_id: int | None = None, channel: str | None = None, kind: str | None = None) -> dict:
    """How many needs match (``by=None``: {None: n}), or per value of one dimension.

    Read from ``need_tallies`` (a few hundred rows at most), never from the needs themselves.
    ``category_id`` None means any; per category, needs without one come under None.
    """
    column = DIMENSIONS[by] if by else None
    query = select(*(column,) if column is not None else (), func.coalesce(func.sum(NeedTally.count), 0))
    if statuses is not None:
        query = query.where(NeedTally.status.in_([NeedStatus(s).value for s in statuses]))
    if not include_hidden:
        query = query.where(NeedTally.hidden.is_(False))
    for name, value in (("category_id", category_id), ("area_id", area_id), ("channel", channel), ("kind", kind)):
        if value is not None:
            query = query.where(DIMENSIONS[name] == value)
    if column is None:
        return {None: int(db.session.scalar(query) or 0)}
    rows = db.session.execute(query.group_by(column)).all()
    out = {}
    for value, count in rows:
        if by == "category_id" and value == NO_CATEGORY:
            value = None
        if count:
            out[value] = int(count)
    return out


def total_supports() -> int:
    """Every support given, on any need (the sum of the maintained support counts)."""
    return int(db.session.scalar(select(func.coalesce(func.sum(NeedTally.supports), 0))) or 0)


def _key(row) -> tuple:
    status, hidden, category_id, area_id, channel, kind = row[:6]
    return (getattr(status, "value", status), bool(hidden), int(category_id), int(area_id),
            getattr(channel, "value", channel), getattr(kind, "value", kind))


def _recounted_supports():
    return (select(func.count()).select_from(NeedSupport).where(NeedSupport.need_id == Need.id)
            .correlate(Need).scalar_subquery())


def rebuild() -> None:
    db.session.execute(update(Need).where(Need.support_count != _recounted_supports())
                       .values(support_count=_recounted_supports())
                       .execution_options(synchronize_session=False))
    search.refresh(Need)
    db.session.execute(delete(NeedTally))
    fresh = select(*_CELL, func.count(), func.coalesce(func.sum(Need.support_count), 0)).group_by(*_CELL)
    db.session.execute(insert(NeedTally).from_select(
        ["status", "hidden", "category_id", "area_id", "channel", "kind", "count", "supports"], fresh))
    db.session.expire_all()


def differences() -> list[str]:
    stored = {_key(row): (row.count, row.supports) for row in db.session.execute(select(
        NeedTally.status, NeedTally.hidden, NeedTally.category_id, NeedTally.area_id, NeedTally.channel,
        NeedTally.kind, NeedTally.count, NeedTally.supports))}
    fresh = {_key(row): (int(row[6]), int(row[7])) for row in db.session.execute(
        select(*_CELL, func.count(), func.coalesce(func.sum(Need.support_count), 0)).group_by(*_CELL))}
    out = counters.compare("need_tallies", stored, fresh)
    wrong = db.session.scalar(select(func.count()).select_from(Need)
                              .where(Need.support_count != _recounted_supports()))
    if wrong:
        out.append(f"needs.support_count: {wrong} needs differ from their supports")
    return out + search.differences(Need, "title", "description")


counters.register("needs", rebuild, differences)
