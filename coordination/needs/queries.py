"""Reading needs: the menu with its filters, search and counts; similar needs; history."""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_
from sqlalchemy import false
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.accounts.models import User
from coordination.core import search
from coordination.core.loading import visible
from coordination.core.models import AuditRecord
from coordination.core.paging import Page
from coordination.core.paging import SortKey
from coordination.core.paging import count
from coordination.core.paging import keyset_page
from coordination.extensions import db
from coordination.needs import figures
from coordination.needs import permissions
from coordination.needs.enums import NeedChannel
from coordination.needs.enums import NeedKind
from coordination.needs.enums import NeedStatus
from coordination.needs.models import Category
from coordination.needs.models import ContentReport
from coordination.needs.models import Need
from coordination.needs.models import NeedFollower
from coordination.needs.models import NeedSupport
from coordination.places.models import Place

SORTS = {
    "supports": [SortKey(Need.support_count, True), SortKey(Need.id, True)],
    "newest": [SortKey(Need.created_at, True, datetime), SortKey(Need.id, True)],
    "oldest": [SortKey(Need.created_at, False, datetime), SortKey(Need.id, False)],
}


def visible_need(user, need_id: int, *options) -> Need:
    """The need ``user`` may see (hidden ones only for staff), or ``NotFound``."""
    return visible(Need, need_id, user, permissions.can_view_need, _("There is no such need."), *options)


@dataclass
class NeedFilter:
    """The menu's filters; an empty filter lists the public menu (accepted and later)."""

    status: list[str] = field(default_factory=list)
    category_id: int | None = None
    area_id: int | None = None
    place_id: int | None = None
    kind: str | None = None
    channel: str | None = None
    q: str | None = None
    sort: str = "supports"
    include_hidden: bool = False


def search_terms(q: str | None) -> list[str]:
    """Words of a query; Chinese text without spaces is matched as a substring."""
    return search.query_terms(q)


def text_search(model, q: str | None, *fields):
    """The condition of a free-text search: the full-text index, or (a query of punctuation
    only, which the index does not hold) a substring match on ``fields``."""
    if search.is_searchable(q):
        return search.match(model, q, db.session.get_bind().dialect.name)
    conditions = []
    for term in search_terms(q):
        pattern = f"%{_escape_like(term.lower())}%"
        conditions.append(or_(*(func.lower(field).like(pattern, escape="\\") for field in fields)))
    return and_(*conditions) if conditions else None


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def statuses_of(f: NeedFilter) -> list[NeedStatus]:
    return [NeedStatus(s) for s in f.status if s in {x.value for x in NeedStatus}] or list(NeedStatus.on_menu())


def filtered(f: NeedFilter):
    query = select(Need).where(Need.status.in_(statuses_of(f)))
    if not f.include_hidden:
        query = query.where(Need.hidden == false())
    if f.category_id:
        query = query.where(Need.category_id == f.category_id)
    if f.area_id:
        query = query.where(Need.area_id == f.area_id)
    if f.place_id:
        query = query.where(Need.place_id == f.place_id)
    if f.kind in {k.value for k in NeedKind}:
        query = query.where(Need.kind == NeedKind(f.kind))
    if f.channel in {c.value for c in NeedChannel}:
        query = query.where(Need.channel == NeedChannel(f.channel))
    if f.q:
        condition = text_search(Need, f.q, Need.title, Need.description)
        if condition is not None:
            query = query.where(condition)
    return query


def _tally_args(f: NeedFilter) -> dict | None:
    """The filter as arguments of the maintained tally, or None when it does not map onto it
    (a text search or a single place)."""
    if f.q and search_terms(f.q) or f.place_id:
        return None
    return {"statuses": statuses_of(f), "include_hidden": f.include_hidden, "area_id": f.area_id,
            "kind": f.kind if f.kind in {k.value for k in NeedKind} else None,
            "channel": f.channel if f.channel in {c.value for c in NeedChannel} else None}


def menu_total(f: NeedFilter) -> tuple[int, bool]:
    """(needs matching the filter, whether the count stopped at the search cap)."""
    args = _tally_args(f)
    if args is not None:
        return figures.tally(category_id=f.category_id, **args)[None], False
    return count(filtered(f), cap=search.SEARCH_TOTAL_CAP if f.q else None)


def menu_page(f: NeedFilter, page: int, per_page: int, after: str | None = None, *,
              with_people: bool = False) -> Page:
    """One page of the menu, by number or after a cursor (raises ``BadCursor``). The cards
    show the category and the place; ``with_people`` also loads the submitters and photos
    (the API's answer names them)."""
    per_page = max(1, min(per_page, 100))
    sort = f.sort if f.sort in SORTS else "supports"
    options = (selectinload(Need.category), selectinload(Need.place))
    if with_people:
        options += (selectinload(Need.submitter).lazyload(User.role_links), selectinload(Need.photos))
    total, capped = menu_total(f)
    return keyset_page(filtered(f), sort=sort, keys=SORTS[sort], page=page, per_page=per_page, after=after,
                       total=total, total_capped=capped, options=options)


def category_counts(f: NeedFilter) -> dict[int | None, int]:
    """How many needs of the current filter (ignoring its category) fall in each category."""
    base = NeedFilter(**{**f.__dict__, "category_id": None})
    args = _tally_args(base)
    if args is not None:
        return figures.tally("category_id", **args)
    sub = filtered(base).with_only_columns(Need.category_id).subquery()
    rows = db.session.execute(select(sub.c.category_id, func.count()).group_by(sub.c.category_id)).all()
    return {category_id: count for category_id, count in rows}


def categories() -> list[Category]:
    return db.session.scalars(select(Category).order_by(Category.code)).all()


def bigrams(text: str) -> set[str]:
    text = re.sub(r"[\s\W_]+", "", (text or "").lower())
    return {text[i:i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def similar_needs(title: str, description: str, area_id: int | None, *, exclude_id: int | None = None,
                  limit: int = 5) -> list[Need]:
    """Open needs of the same area that look alike (shared character pairs of the title)."""
    probe = bigrams(title)
    if not probe or area_id is None:
        return []
    likes = [func.lower(Need.title).like(f"%{_escape_like(gram)}%", escape="\\") for gram in sorted(probe)[:12]]
    query = (select(Need).where(Need.area_id == area_id, Need.hidden.is_(False),
                                Need.status.in_([NeedStatus.SUBMITTED, NeedStatus.ACCEPTED, NeedStatus.IN_PROJECT]),
                                or_(*likes))
             .order_by(Need.support_count.desc(), Need.id.desc()).limit(60))
    if exclude_id:
        query = query.where(Need.id != exclude_id)
    words = probe | bigrams(description)
    scored = []
    for need in db.session.scalars(query):
        title_score = len(probe & bigrams(need.title)) / len(probe | bigrams(need.title))
        text_score = len(words & bigrams(need.description)) / max(len(words), 1)
        score = title_score * 0.8 + text_score * 0.2
        if title_score >= 0.2:
            scored.append((score, need))
    scored.sort(key=lambda pair: -pair[0])
    return [need for _score, need in scored[:limit]]


def triage_queue(page: int, per_page: int = 30):
    query = (select(Need).where(Need.status == NeedStatus.SUBMITTED, Need.hidden.is_(False))
             .options(selectinload(Need.place), selectinload(Need.submitter), selectinload(Need.category))
             .order_by(Need.created_at.asc(), Need.id.asc()))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def open_reports():
    return db.session.scalars(
        select(ContentReport).where(ContentReport.resolved.is_(False))
        .options(selectinload(ContentReport.need), selectinload(ContentReport.reporter))
        .order_by(ContentReport.created_at)
    ).all()


def open_report_count(need: Need) -> int:
    return db.session.scalar(select(func.count()).select_from(ContentReport).where(
        ContentReport.need_id == need.id, ContentReport.resolved.is_(False))) or 0


def history(need: Need) -> list[AuditRecord]:
    """The need's status changes and moderation steps, oldest first, from the audit log."""
    return db.session.scalars(
        select(AuditRecord).where(AuditRecord.object_type == "Need", AuditRecord.object_id == need.id,
                                  or_(AuditRecord.to_state.is_not(None), AuditRecord.action == "need.merged_in"))
        .order_by(AuditRecord.id)
    ).all()


def supported_by(user, need_ids: list[int]) -> set[int]:
    if not getattr(user, "is_authenticated", False) or not need_ids:
        return set()
    return set(db.session.scalars(select(NeedSupport.need_id).where(
        NeedSupport.user_id == user.id, NeedSupport.need_id.in_(need_ids))))


def followed_by(user, need_ids: list[int]) -> set[int]:
    if not getattr(user, "is_authenticated", False) or not need_ids:
        return set()
    return set(db.session.scalars(select(NeedFollower.need_id).where(
        NeedFollower.user_id == user.id, NeedFollower.need_id.in_(need_ids))))


def my_needs(user) -> list[Need]:
    return db.session.scalars(
        select(Need).where(Need.submitter_id == user.id).options(selectinload(Need.category))
        .order_by(Need.created_at.desc())
    ).all()


def my_supported(user) -> list[Need]:
    return db.session.scalars(
        select(Need).join(NeedSupport, and_(NeedSupport.need_id == Need.id, NeedSupport.user_id == user.id))
        .where(Need.hidden.is_(False)).order_by(NeedSupport.created_at.desc())
    ).all()


def places_for_filters() -> list[Place]:
    return db.session.scalars(select(Place).where(Place.active).order_by(Place.area_id.nulls_first(), Place.name)).all()


def followers(need: Need) -> list[User]:
    """The people who follow ``need`` (the submitter, its supporters and whoever chose to)."""
    return db.session.scalars(
        select(User).join(NeedFollower, NeedFollower.user_id == User.id).where(NeedFollower.need_id == need.id)
    ).all()
