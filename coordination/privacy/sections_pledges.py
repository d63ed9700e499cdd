"""The pledges in a person's data document: the pledges they made (through their volunteer
profile), the ones they follow and their ratings."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.extensions import db
from coordination.pledges.models import Pledge
from coordination.pledges.models import PledgeFollower
from coordination.pledges.models import PledgeRating
from coordination.privacy.export import json_value
from coordination.privacy.export import row
from coordination.privacy.export import section
from coordination.volunteers.models import VolunteerProfile


@section("pledges")
def _pledges(user) -> list[dict]:
    """The person's own pledges, with their fulfilment and the number of its photos."""
    mine = select(VolunteerProfile.id).where(VolunteerProfile.user_id == user.id).scalar_subquery()
    result = []
    for pledge in db.session.scalars(select(Pledge).where(Pledge.profile_id == mine)
                                     .options(selectinload(Pledge.photos)).order_by(Pledge.id)):
        item = row(pledge)
        item["photos"] = len(pledge.photos)
        result.append(item)
    return result


@section("pledge_follows", "pledge_followers.user_id")
def _pledge_follows(user) -> list[dict]:
    query = (select(PledgeFollower.pledge_id, Pledge.title, PledgeFollower.created_at)
             .join(Pledge, Pledge.id == PledgeFollower.pledge_id)
             .where(PledgeFollower.user_id == user.id).order_by(PledgeFollower.id))
    return [{"pledge_id": pledge_id, "title": title, "created_at": json_value(at)}
            for pledge_id, title, at in db.session.execute(query)]


@section("pledge_ratings", "pledge_ratings.rater_id")
def _pledge_ratings(user) -> list[dict]:
    query = (select(PledgeRating, Pledge.title).join(Pledge, Pledge.id == PledgeRating.pledge_id)
             .where(PledgeRating.rater_id == user.id).order_by(PledgeRating.id))
    return [{**row(rating, exclude=("rater_id",)), "title": title} for rating, title in db.session.execute(query)]
