"""Pledge operations: make (承诺), keep (践诺), follow and stop following, rate (评诺).

Each one checks the step in the table (``rules.py``), changes the state, writes the audit
record, queues the notifications and flushes; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from coordination.core.errors import Forbidden
from coordination.core.errors import NotFound
from coordination.core.forms import MAX_ID
from coordination.core.models.base import utcnow
from coordination.core.transactions import insert_once
from coordination.core.workflow import invalid
from coordination.extensions import db
from coordination.needs.photos import store_photo
from coordination.places.enums import PlaceKind
from coordination.places.models import Place
from coordination.pledges import queries
from coordination.pledges.enums import PledgeStatus
from coordination.pledges.enums import PledgeStep
from coordination.pledges.models import Pledge
from coordination.pledges.models import PledgeFollower
from coordination.pledges.models import PledgePhoto
from coordination.pledges.models import PledgeRating
from coordination.pledges.models.pledges import SCORE_MAX
from coordination.pledges.models.pledges import SCORE_MIN
from coordination.pledges.rules import PLEDGE_WORKFLOW

TITLE_MAX, CONTENT_MAX, NOTE_MAX, COMMENT_MAX = 120, 2000, 2000, 500
HORIZON = timedelta(days=5 * 366)  # a pledge is kept within a few years, not "by 9999"


@dataclass
class PledgeInput:
    """What a volunteer pledges, from the form or the API."""

    title: str
    content: str
    due_on: date | None
    community_id: int | None = None


def _text(errors: dict, field: str, value: str | None, maximum: int, *, required: bool = True) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            errors[field] = _("This field is required.")
        return None
    if len(text) > maximum:
        errors[field] = _("Use at most %(n)d characters.", n=maximum)
    return text


def _place(errors: dict, place_id: int | None, profile) -> Place | None:
    """The community or building the pledge serves: the one chosen, else the volunteer's team's
    community, else the person's own place."""
    if place_id is None:
        place_id = profile.team.community_id if profile.team is not None else profile.user.place_id
    place = db.session.get(Place, place_id) if place_id and 0 < place_id <= MAX_ID else None
    if place is None or not place.active or place.kind == PlaceKind.AREA:
        errors["community_id"] = _("Choose the residential community or office building the pledge serves.")
        return None
    return place


def _pledger_profile(user):
    """The volunteer profile of ``user``, if they may make pledges (else Forbidden: why not)."""
    PLEDGE_WORKFLOW.check_role(user, PledgeStep.MAKE)
    profile = queries.profile_of(user)
    if profile is None:
        raise Forbidden(_("Public pledges are made by volunteers: fill in your volunteer profile first."))
    PLEDGE_WORKFLOW.check_guard(user, None, PledgeStep.MAKE)
    return profile


def why_not_pledge(user) -> str | None:
    """What ``user`` lacks to make a pledge, in words (None: nothing)."""
    try:
        _pledger_profile(user)
    except Forbidden as exc:
        return exc.message
    return None


def make_pledge(user, data: PledgeInput) -> Pledge:
    """A Party-member volunteer makes a public pledge: what they will do, and by when."""
    profile = _pledger_profile(user)
    errors: dict[str, str] = {}
    title = _text(errors, "title", data.title, TITLE_MAX)
    content = _text(errors, "content", data.content, CONTENT_MAX)
    today = date.today()
    if data.due_on is None:
        errors["due_on"] = _("Say by when you will keep the pledge.")
    elif data.due_on < today:
        errors["due_on"] = _("Choose a date from today on.")
    elif data.due_on > today + HORIZON:
        errors["due_on"] = _("Choose a date within five years.")
    place = _place(errors, data.community_id, profile)
    if errors:
        raise invalid(errors)
    pledge = Pledge(profile=profile, community=place, title=title, content=content, due_on=data.due_on,
                    status=PledgeStatus.MADE)
    db.session.add(pledge)
    db.session.flush()
    PLEDGE_WORKFLOW.taken(user, pledge, PledgeStep.MAKE, None)
    return pledge


def _locked(pledge_id: int) -> Pledge:
    """The pledge, locked for update (PostgreSQL), so two fulfilments cannot both be recorded."""
    pledge = db.session.scalar(select(Pledge).where(Pledge.id == pledge_id).with_for_update(of=Pledge)
                               .execution_options(populate_existing=True))
    if pledge is None:
        raise NotFound(_("There is no such pledge."))
    return pledge


def keep_pledge(user, pledge_id: int, note: str | None, photos: list[bytes] | None = None) -> Pledge:
    """The pledger records the fulfilment (践诺): a note, and photos if they like. The followers
    are told, and may rate it from then on."""
    PLEDGE_WORKFLOW.check_role(user, PledgeStep.KEEP)
    pledge = _locked(pledge_id)
    PLEDGE_WORKFLOW.check(user, pledge, PledgeStep.KEEP)
    errors: dict[str, str] = {}
    note = _text(errors, "note", note, NOTE_MAX)
    photos = photos or []
    if len(photos) > current_app.config["PHOTO_MAX_COUNT"]:
        errors["photos"] = _("At most %(n)d photos.", n=current_app.config["PHOTO_MAX_COUNT"])
    if errors:
        raise invalid(errors)
    for data in photos:
        pledge.photos.append(PledgePhoto(**store_photo(data)))
    pledge.status, pledge.fulfilment_note, pledge.fulfilled_at = PledgeStatus.KEPT, note, utcnow()
    db.session.flush()
    # The note stays on the pledge (erased if the person deletes their account), not in the audit
    # log, which can never be edited: the record says that it was kept, and with how many photos.
    PLEDGE_WORKFLOW.taken(user, pledge, PledgeStep.KEEP, PledgeStatus.MADE,
                          details={"count": len(photos)} if photos else None)
    return pledge


def follow_pledge(user, pledge: Pledge) -> None:
    """Follow a pledge: be told when it is kept (a second follow changes nothing)."""
    PLEDGE_WORKFLOW.check(user, pledge, PledgeStep.FOLLOW)
    savepoint = db.session.begin_nested()
    try:
        db.session.execute(insert(PledgeFollower).values(pledge_id=pledge.id, user_id=user.id, created_at=utcnow()))
        savepoint.commit()
    except IntegrityError:
        savepoint.rollback()  # already following
        return
    PLEDGE_WORKFLOW.taken(user, pledge, PledgeStep.FOLLOW, pledge.status)


def unfollow_pledge(user, pledge: Pledge) -> None:
    PLEDGE_WORKFLOW.check(user, pledge, PledgeStep.UNFOLLOW)
    result = db.session.execute(delete(PledgeFollower).where(PledgeFollower.pledge_id == pledge.id,
                                                             PledgeFollower.user_id == user.id))
    if result.rowcount:
        PLEDGE_WORKFLOW.taken(user, pledge, PledgeStep.UNFOLLOW, pledge.status)


def rate_pledge(user, pledge: Pledge, score: int | None, comment: str | None = None) -> PledgeRating:
    """A follower rates a kept pledge (评诺), once: a score of 1 to 5 and, if they like, a comment.
    The pledger is told."""
    PLEDGE_WORKFLOW.check(user, pledge, PledgeStep.RATE)
    errors: dict[str, str] = {}
    if not isinstance(score, int) or isinstance(score, bool) or not SCORE_MIN <= score <= SCORE_MAX:
        errors["score"] = _("Give a score from %(low)d to %(high)d.", low=SCORE_MIN, high=SCORE_MAX)
    comment = _text(errors, "comment", comment, COMMENT_MAX, required=False)
    if errors:
        raise invalid(errors)
    rating = PledgeRating(pledge_id=pledge.id, rater_id=user.id, score=score, comment=comment, created_at=utcnow())
    insert_once(rating, _("You have already rated this pledge."))
    db.session.execute(update(Pledge).where(Pledge.id == pledge.id).values(
        rating_count=Pledge.rating_count + 1, rating_sum=Pledge.rating_sum + score))
    db.session.refresh(pledge, ["rating_count", "rating_sum"])
    PLEDGE_WORKFLOW.taken(user, pledge, PledgeStep.RATE, pledge.status, params={"score": score})
    return rating
