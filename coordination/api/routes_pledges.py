"""API: pledges — the list per community, one pledge, make, record the fulfilment, follow and
stop following, rate (once each)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from coordination.api import api
from coordination.api.errors import ApiError
from coordination.api.schemas.common import CursorPage
from coordination.api.schemas.pledges import FollowState
from coordination.api.schemas.pledges import FulfilmentBody
from coordination.api.schemas.pledges import PledgeCreate
from coordination.api.schemas.pledges import PledgeOut
from coordination.api.schemas.pledges import PledgeQuery
from coordination.api.schemas.pledges import RatingBody
from coordination.api.schemas.pledges import RatingOut
from coordination.api.spec import ANYONE
from coordination.core.paging import BadCursor
from coordination.pledges import operations
from coordination.pledges import presenters
from coordination.pledges import queries
from coordination.pledges.enums import PledgeStatus
from coordination.pledges.models import Pledge
from coordination.pledges.models import PledgeRating
from coordination.pledges.operations import PledgeInput
from coordination.pledges.rules import PLEDGE_WORKFLOW
from coordination.pledges.rules import PledgeStep

TAGS = ("pledges",)


def pledge_out(pledge: Pledge, user, following: set[int] | None = None, mine: PledgeRating | None = None) -> PledgeOut:
    """One pledge as the API shows it (``following``: the ids the caller follows, None without a token)."""
    view = presenters.pledge(pledge)
    return PledgeOut(
        id=view.id, title=view.title, content=view.content, due_on=view.due_on, status=view.status,
        status_label=str(view.status.label), overdue=view.overdue, pledger_name=view.pledger_name,
        party_member=view.party_member, community_id=view.community_id, community_name=view.community_name,
        fulfilment_note=view.fulfilment_note, fulfilled_at=view.fulfilled_at,
        photos=[url_for("pledges.photo", photo_id=p.id, _external=True) for p in pledge.photos],
        rating_count=view.rating_count, average_rating=view.average_rating,
        following=(pledge.id in following) if following is not None else None,
        my_score=mine.score if mine is not None else None, created_at=view.created_at,
    )


def one_pledge(pledge_id: int, user) -> PledgeOut:
    pledge = queries.visible_pledge(user, pledge_id, selectinload(Pledge.photos))
    if user is None:
        return pledge_out(pledge, user)
    return pledge_out(pledge, user, queries.followed_by(user, [pledge.id]), queries.rating_by(user, pledge))


@api.route("GET", "/pledges", summary="The public pledges, newest first (per community, by status)",
           query=PledgeQuery, response=CursorPage[PledgeOut], auth=ANYONE, tags=TAGS)
def list_pledges(user, query: PledgeQuery):
    f = queries.PledgeFilter(community_id=query.community_id, status=PledgeStatus.of(query.status))
    try:
        page = queries.pledge_page(f, query.page, query.per_page, after=query.after,
                                   options=(selectinload(Pledge.photos),))
    except BadCursor:
        raise ApiError(400, "invalid", _("Please correct the marked fields."),
                       {"after": _("This cursor is not valid; start again from the first page.")}) from None
    following = queries.followed_by(user, [p.id for p in page.items]) if user is not None else None
    return CursorPage[PledgeOut](items=[pledge_out(p, user, following) for p in page.items],
                                total=page.total, page=query.page, per_page=query.per_page, next=page.next_cursor)


@api.route("GET", "/pledges/<int:pledge_id>", summary="One pledge: who pledged, what, by when, how it was kept "
           "and rated", response=PledgeOut, auth=ANYONE, tags=TAGS)
def get_pledge(user, pledge_id: int):
    return one_pledge(pledge_id, user)


@api.route("POST", "/pledges", summary="Make a public pledge (Party-member volunteers)", body=PledgeCreate,
           response=PledgeOut, status=201, roles=PLEDGE_WORKFLOW.roles(PledgeStep.MAKE), tags=TAGS,
           description="403 for a resident or office worker without a volunteer profile, or whose profile "
                       "does not show them as a Party member.")
def make_pledge(user, body: PledgeCreate):
    pledge = operations.make_pledge(user, PledgeInput(title=body.title, content=body.content, due_on=body.due_on,
                                                      community_id=body.community_id))
    return one_pledge(pledge.id, user), 201


@api.route("POST", "/pledges/<int:pledge_id>/fulfilment", summary="Record how the pledge was kept (its pledger)",
           body=FulfilmentBody, response=PledgeOut, roles=PLEDGE_WORKFLOW.roles(PledgeStep.KEEP), errors=(409,),
           tags=TAGS, description="403 for anyone but the pledger; 409 once it is kept. Photos are added on the web.")
def keep_pledge(user, pledge_id: int, body: FulfilmentBody):
    queries.visible_pledge(user, pledge_id)
    operations.keep_pledge(user, pledge_id, body.note)
    return one_pledge(pledge_id, user)


@api.route("POST", "/pledges/<int:pledge_id>/follow", summary="Follow a pledge: be told when it is kept",
           response=FollowState, tags=TAGS)
def follow_pledge(user, pledge_id: int):
    operations.follow_pledge(user, queries.visible_pledge(user, pledge_id))
    return FollowState(following=True)


@api.route("DELETE", "/pledges/<int:pledge_id>/follow", summary="Stop following a pledge", status=204, tags=TAGS)
def unfollow_pledge(user, pledge_id: int):
    operations.unfollow_pledge(user, queries.visible_pledge(user, pledge_id))
    return "", 204


@api.route("POST", "/pledges/<int:pledge_id>/ratings", summary="Rate a kept pledge one follows (once each)",
           body=RatingBody, response=RatingOut, status=201, roles=PLEDGE_WORKFLOW.roles(PledgeStep.RATE),
           errors=(409,), tags=TAGS,
           description="403 for someone who does not follow it, or its own pledger; 409 before it is kept and "
                       "for a second rating by the same person.")
def rate_pledge(user, pledge_id: int, body: RatingBody):
    pledge = queries.visible_pledge(user, pledge_id)
    rating = operations.rate_pledge(user, pledge, body.score, body.comment)
    return RatingOut(id=rating.id, pledge_id=pledge.id, score=rating.score, comment=rating.comment,
                     created_at=rating.created_at, rating_count=pledge.rating_count,
                     average_rating=pledge.average_rating), 201
