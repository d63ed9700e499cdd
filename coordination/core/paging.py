"""Pages of a list that stay fast however deep: keyset cursors and cheap totals.

A page is fetched either by number (``OFFSET``, kept for compatibility and for the first
pages) or after a cursor: the sort values of the last row of the previous page, so the
database seeks straight to the next rows through the index that matches the sort
(``WHERE (support_count, id) < (:last_supports, :last_id)``) instead of counting past
every earlier row. The total comes from the caller: a maintained figure where the filter maps
onto one, else a plain ``COUNT`` (capped for free-text searches).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlalchemy import literal
from sqlalchemy import select
from sqlalchemy import union_all

from coordination.extensions import db


class BadCursor(ValueError):
    """The ``after`` cursor is not one this list gave out."""


@dataclass(frozen=True)
class SortKey:
    column: object
    descending: bool
    kind: type = int  # int or datetime


def encode_cursor(sort: str, values: list) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    raw = json.dumps([sort, *plain], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str, keys: list[SortKey]) -> list:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        if not isinstance(data, list) or len(data) != len(keys) + 1 or data[0] != sort:
            raise BadCursor(cursor)
        values = []
        for key, value in zip(keys, data[1:]):
            if key.kind is datetime:
                values.append(datetime.fromisoformat(value))
            elif isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2 ** 62:
                values.append(value)
            else:
                raise BadCursor(cursor)
        return values
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise BadCursor(cursor) from exc


class Page:
    """One page: ``items``, ``total`` (``total_capped`` when it stopped counting), the page
    number, and ``next_cursor`` for the page after it; the attributes of Flask-SQLAlchemy's
    pagination that the templates use (``pages``, ``has_next``, ``iter_pages`` …)."""

    def __init__(self, items: list, total: int, page: int, per_page: int, next_cursor: str | None,
                 total_capped: bool = False) -> None:
        self.items, self.total, self.page, self.per_page = items, total, page, per_page
        self.next_cursor, self.total_capped = next_cursor, total_capped

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.total else 0

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def iter_pages(self, *, left_edge: int = 2, left_current: int = 2, right_current: int = 4,
                   right_edge: int = 2):
        pages, last = self.pages, 0
        for number in range(1, pages + 1):
            if (number <= left_edge or self.page - left_current - 1 < number < self.page + right_current
                    or number > pages - right_edge):
                if last + 1 != number:
                    yield None
                yield number
                last = number


def _after(query, columns, values, descending: bool, limit: int):
    """The ids of the rows after (first, id) = values, as two index seeks: the rest of the
    tie on the first key, then the rows beyond it. (SQLite seeks a row-value comparison on
    its first column only, and would walk a long tie, e.g. every need without supports.)"""
    first, last = columns
    a, b = (literal(value, column.type) for value, column in zip(values, columns))
    beyond = (lambda c, v: c < v) if descending else (lambda c, v: c > v)
    order = [c.desc() if descending else c.asc() for c in columns]
    ids = query.with_only_columns(last).order_by(None)
    tie = ids.where(first == a, beyond(last, b)).order_by(*order).limit(limit).subquery()
    rest = ids.where(beyond(first, a)).order_by(*order).limit(limit).subquery()
    return union_all(select(tie.c[last.key]), select(rest.c[last.key]))


def keyset_page(query, *, sort: str, keys: list[SortKey], page: int, per_page: int, after: str | None,
                total: int, total_capped: bool = False, options: tuple = ()) -> Page:
    """Fetch one page of ``query`` (filtered, not yet ordered) in the order of ``keys``
    (a sort key, then the id, both the same way), loading ``options`` with it."""
    descending = keys[0].descending
    columns = [key.column for key in keys]
    order = [c.desc() if descending else c.asc() for c in columns]
    if after:
        values = decode_cursor(after, sort, keys)
        query = query.where(columns[-1].in_(_after(query, columns, values, descending, per_page + 1)))
    else:
        query = query.offset((page - 1) * per_page)
    query = query.options(*options).order_by(*order)
    items = db.session.scalars(query.limit(per_page + 1)).unique().all()
    more = len(items) > per_page
    items = items[:per_page]
    cursor = None
    if more and items:
        last = items[-1]
        cursor = encode_cursor(sort, [getattr(last, c.key) for c in columns])
    return Page(items, total, page, per_page, cursor, total_capped)


def count(query, *, cap: int | None = None) -> tuple[int, bool]:
    """(rows of ``query``, whether counting stopped at ``cap``), counting ids only."""
    entity = query.column_descriptions[0]["entity"]
    ids = query.with_only_columns(entity.id).order_by(None)
    if cap is not None:
        ids = ids.limit(cap + 1)
    found = db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    if cap is not None and found > cap:
        return cap, True
    return found, False
