"""Headline figures for the home page and the public statistics (SQL aggregates)."""

from __future__ import annotations

from sqlalchemy import func, select

from coordination.core.enums import PlaceKind
from coordination.extensions import db
from coordination.places.models import MemberUnit, PartyOrganisation, Place


def organisation_figures() -> dict[str, int]:
    units = db.session.scalar(select(func.count()).select_from(MemberUnit).where(MemberUnit.active))
    party = db.session.execute(
        select(func.count(PartyOrganisation.id), func.coalesce(func.sum(PartyOrganisation.member_count), 0))
        .join(MemberUnit, MemberUnit.id == PartyOrganisation.unit_id)
        .where(MemberUnit.active)
    ).one()
    places = dict(
        db.session.execute(
            select(Place.kind, func.count()).where(Place.active).group_by(Place.kind)
        ).all()
    )
    return {
        "units": units or 0,
        "party_organisations": party[0] or 0,
        "party_members": int(party[1] or 0),
        "areas": places.get(PlaceKind.AREA, 0),
        "communities": places.get(PlaceKind.COMMUNITY, 0),
        "buildings": places.get(PlaceKind.BUILDING, 0),
    }
