"""Reading places, units and the association."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.extensions import db
from coordination.places.enums import PlaceKind
from coordination.places.models import Association
from coordination.places.models import CouncilMember
from coordination.places.models import MemberUnit
from coordination.places.models import Place


def areas_with_places() -> list[Place]:
    return db.session.scalars(
        select(Place)
        .where(Place.kind == PlaceKind.AREA)
        .options(selectinload(Place.places))
        .order_by(Place.id)
    ).all()


def all_places(active_only: bool = True) -> list[Place]:
    query = select(Place).order_by(Place.area_id.nulls_first(), Place.kind, Place.id)
    if active_only:
        query = query.where(Place.active)
    return db.session.scalars(query).all()


def units(active_only: bool = True, area_id: int | None = None) -> list[MemberUnit]:
    query = (
        select(MemberUnit)
        .options(selectinload(MemberUnit.party_organisations), selectinload(MemberUnit.building),
                 selectinload(MemberUnit.area))
        .order_by(MemberUnit.area_id, MemberUnit.name)
    )
    if active_only:
        query = query.where(MemberUnit.active)
    if area_id is not None:
        query = query.where(MemberUnit.area_id == area_id)
    return db.session.scalars(query).all()


def associations() -> list[Association]:
    return db.session.scalars(
        select(Association)
        .options(
            selectinload(Association.council_members).selectinload(CouncilMember.user),
            selectinload(Association.council_members).selectinload(CouncilMember.unit),
            selectinload(Association.committees),
            selectinload(Association.president_terms),
            selectinload(Association.area),
        )
        .order_by(Association.id)
    ).all()


def association_for_area(area_id: int) -> Association | None:
    return db.session.scalar(select(Association).where(Association.area_id == area_id))
