"""What the pages and the API show of a pledge, built once for both."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime
from decimal import Decimal

from coordination.pledges.enums import PledgeStatus
from coordination.pledges.models import Pledge
from coordination.pledges.rules import is_overdue


@dataclass(frozen=True)
class PledgeView:
    """One pledge as a reader sees it: who pledged (their name and that they are a Party member,
    never their contact data), what, by when, and how it was kept and rated."""

    id: int
    title: str
    content: str
    due_on: date
    status: PledgeStatus
    overdue: bool
    pledger_name: str
    party_member: bool
    party_org: str | None
    community_id: int
    community_name: str
    fulfilment_note: str | None
    fulfilled_at: datetime | None
    rating_count: int
    average_rating: Decimal | None
    created_at: datetime


def pledge(item: Pledge, today: date | None = None) -> PledgeView:
    profile = item.profile
    return PledgeView(
        id=item.id, title=item.title, content=item.content, due_on=item.due_on, status=item.status,
        overdue=is_overdue(item, today), pledger_name=profile.user.display_name,
        party_member=profile.party_member, party_org=profile.party_org if profile.public else None,
        community_id=item.community_id, community_name=item.community.name,
        fulfilment_note=item.fulfilment_note, fulfilled_at=item.fulfilled_at, rating_count=item.rating_count,
        average_rating=item.average_rating, created_at=item.created_at,
    )
