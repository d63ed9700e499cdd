"""Reading pledges: the one loader, the pledge list per community, a volunteer's pledges, the
people of a pledge (its pledger and followers) and what a reader has done with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coordination.accounts.models import User
from coordination.core.loading import visible
from coordination.core.paging import Page
from coordination.core.paging import SortKey
from coordination.core.paging import count
from coordination.core.paging import keyset_page
from coordination.extensions import db
from coordination.places.enums import PlaceKind
from coordination.places.models import Place
from coordination.pledges.enums import PledgeStatus
from coordination.pledges.models import Pledge
from coordination.pledges.models import PledgeFollower
from coordination.pledges.models import PledgeRating
from coordination.volunteers.models import VolunteerProfile

NEWEST = [SortKey(Pledge.created_at, True, datetime), SortKey(Pledge.id, True)]
CARD = (joinedload(Pledge.profile).joinedload(VolunteerProfile.user).lazyload(User.role_links),
        joinedload(Pledge.community))


def _public(user, pledge) -> bool:
    return True  # pledges are public (公开承诺): everyone may read every one


def visible_pledge(user, pledge_id: int, *options) -> Pledge:
    """The pledge (with its pledger and place, and ``options``), or ``NotFound``."""
    return visible(Pledge, pledge_id, user, _public, _("There is no such pledge."), *CARD, *options)


def profile_of(user) -> VolunteerProfile | None:
    """The volunteer profile of a logged-in person, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == user.id))


def pledger_id(pledge: Pledge) -> int:
    return pledge.profile.user_id


def pledger(pledge: Pledge) -> list[User]:
    return [pledge.profile.user]


def followers(pledge: Pledge) -> list[User]:
    return db.session.scalars(select(User).join(PledgeFollower, PledgeFollower.user_id == User.id)
                              .where(PledgeFollower.pledge_id == pledge.id)).all()


def is_following(user, pledge: Pledge) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(db.session.scalar(select(func.count()).select_from(PledgeFollower).where(
        PledgeFollower.pledge_id == pledge.id, PledgeFollower.user_id == user.id)))


def rating_by(user, pledge: Pledge) -> PledgeRating | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(PledgeRating).where(PledgeRating.pledge_id == pledge.id,
                                                        PledgeRating.rater_id == user.id))


def ratings(pledge: Pledge, limit: int = 50) -> list[PledgeRating]:
    """The latest ratings with a comment, newest first (the raters' names are not shown)."""
    return db.session.scalars(select(PledgeRating).where(PledgeRating.pledge_id == pledge.id,
                                                         PledgeRating.comment.is_not(None))
                              .order_by(PledgeRating.id.desc()).limit(limit)).all()


@dataclass
class PledgeFilter:
    """The pledge list's filters: the place it serves and its status (none: every one)."""

    community_id: int | None = None
    status: PledgeStatus | None = None


def filtered(f: PledgeFilter):
    query = select(Pledge)
    if f.community_id:
        query = query.where(Pledge.community_id == f.community_id)
    if f.status is not None:
        query = query.where(Pledge.status == f.status)
    return query


def pledge_page(f: PledgeFilter, page: int, per_page: int, after: str | None = None, *,
                options: tuple = ()) -> Page:
    """One page of the pledge list, newest first (raises ``BadCursor`` for a bad ``after``)."""
    per_page = max(1, min(per_page, 100))
    total, _capped = count(filtered(f))
    return keyset_page(filtered(f), sort="newest", keys=NEWEST, page=page, per_page=per_page, after=after,
                       total=total, options=CARD + options)


def pledges_of(profile_id: int) -> list[Pledge]:
    """A volunteer's pledges, newest first (their public card and their own page show them)."""
    return db.session.scalars(select(Pledge).where(Pledge.profile_id == profile_id)
                              .options(joinedload(Pledge.community)).order_by(Pledge.id.desc())).all()


def pledges_of_many(profile_ids: list[int]) -> dict[int, list[Pledge]]:
    """The pledges of each of these volunteers, newest first, in one query (a page of cards)."""
    found: dict[int, list[Pledge]] = {}
    if profile_ids:
        for pledge in db.session.scalars(select(Pledge).where(Pledge.profile_id.in_(profile_ids))
                                         .order_by(Pledge.id.desc())):
            found.setdefault(pledge.profile_id, []).append(pledge)
    return found


def my_pledges(user) -> list[Pledge]:
    profile = profile_of(user)
    return pledges_of(profile.id) if profile is not None else []


def followed_by(user, pledge_ids: list[int]) -> set[int]:
    if not getattr(user, "is_authenticated", False) or not pledge_ids:
        return set()
    return set(db.session.scalars(select(PledgeFollower.pledge_id).where(
        PledgeFollower.user_id == user.id, PledgeFollower.pledge_id.in_(pledge_ids))))


def places() -> list[Place]:
    """The communities and buildings a pledge may serve (the list's filter and the form's choice)."""
    return db.session.scalars(select(Place).where(Place.active, Place.kind != PlaceKind.AREA)
                              .order_by(Place.kind.desc(), Place.area_id, Place.name)).all()
