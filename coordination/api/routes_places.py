"""API: places, categories, member units, indicators."""

from __future__ import annotations

from sqlalchemy import select

from coordination.api import api
from coordination.api.schemas.common import ItemList
from coordination.api.schemas.places import CategoryOut
from coordination.api.schemas.places import IndicatorOut
from coordination.api.schemas.places import PartyOrganisationOut
from coordination.api.schemas.places import PlaceOut
from coordination.api.schemas.places import UnitOut
from coordination.api.spec import ANYONE
from coordination.core.privacy import personal
from coordination.evaluation.models import Indicator
from coordination.extensions import db
from coordination.needs.models import Category
from coordination.places import queries


@api.route("GET", "/places", summary="Areas, residential communities and office buildings",
           response=ItemList[PlaceOut], auth=ANYONE, tags=("places",))
def list_places(user):
    return ItemList[PlaceOut](items=[
        PlaceOut(id=p.id, name=p.name, kind=p.kind.value, area_id=p.area_id, address=p.address)
        for p in queries.all_places()
    ])


@api.route("GET", "/categories", summary="The seven categories of the needs menu",
           response=ItemList[CategoryOut], auth=ANYONE, tags=("places",))
def list_categories(user):
    categories = db.session.scalars(select(Category).order_by(Category.code)).all()
    return ItemList[CategoryOut](items=[
        CategoryOut(id=c.id, code=c.code, name=c.name, name_en=c.name_en) for c in categories
    ])


@api.route("GET", "/units", summary="Member units", response=ItemList[UnitOut], tags=("places",))
def list_units(user):
    return ItemList[UnitOut](items=[
        UnitOut(
            id=u.id, name=u.name, area_id=u.area_id, unit_type=u.unit_type.value,
            building_id=u.building_id, party_member_count=u.party_member_count,
            party_organisations=[
                PartyOrganisationOut(id=o.id, name=o.name, kind=o.kind.value, member_count=o.member_count)
                for o in u.party_organisations
            ],
            contact_name=personal(u.contact_name, "name", user),
            contact_phone=personal(u.contact_phone, "phone", user),
        )
        for u in queries.units()
    ])


@api.route("GET", "/indicators", summary="The evaluation indicators and their weights",
           response=ItemList[IndicatorOut], tags=("evaluation",))
def list_indicators(user):
    indicators = db.session.scalars(
        select(Indicator).where(Indicator.active).order_by(Indicator.dimension, Indicator.position)
    ).all()
    return ItemList[IndicatorOut](items=[
        IndicatorOut(id=i.id, dimension=i.dimension.value, name=i.name, name_en=i.name_en,
                     weight=float(i.weight))
        for i in indicators
    ])
