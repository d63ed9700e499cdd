"""The reference data an administrator manages, each described once.

The generic list and form views in ``views.py`` serve every section: each section names its
domain's form, the operation that saves it (``core.reference.save_reference`` unless the domain
keeps a rule) and the domain's question of who may manage it. The users have views of their own
because roles and passwords need more than a form's ``populate_obj``.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import Any
from typing import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.accounts.forms import CouncilMemberForm
from coordination.core.enums import LabelledEnum
from coordination.core.forms import ReferenceForm
from coordination.core.permissions import can_manage_platform
from coordination.core.reference import UniqueWithin
from coordination.core.reference import save_reference
from coordination.evaluation.forms import IndicatorForm
from coordination.evaluation.models import Indicator
from coordination.needs.forms import CategoryForm
from coordination.needs.models import Category
from coordination.places import forms as places
from coordination.places.models import Association
from coordination.places.models import CouncilMember
from coordination.places.models import MemberUnit
from coordination.places.models import PartyOrganisation
from coordination.places.models import Place
from coordination.places.models import PresidentTerm
from coordination.places.models import ProfessionalCommittee
from coordination.places.models import Street
from coordination.places.operations import save_place
from coordination.places.operations import save_president_term
from coordination.places.permissions import can_manage_places
from coordination.volunteers import forms as volunteers
from coordination.volunteers.models import ServicePoint
from coordination.volunteers.models import VolunteerSkill
from coordination.volunteers.models import VolunteerTeam


def _label(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, LabelledEnum):
        return str(value.label)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


@dataclass
class Column:
    label: Any
    get: Callable[[Any], Any]

    def render(self, obj) -> str:
        return _label(self.get(obj))


@dataclass
class Section:
    key: str
    title: Any
    model: type
    form: type[ReferenceForm]
    columns: list[Column]
    order_by: Callable[[], Any]
    may_manage: Callable[[Any], bool] = can_manage_platform
    save: Callable = save_reference  # (actor, section, obj or None, form) → the saved object
    unique: tuple = ()  # field names and UniqueWithin rules (core/reference.py)
    options: tuple = ()
    description: Any = ""
    extra_fields: tuple[str, ...] = field(default_factory=tuple)

    def query(self):
        return select(self.model).options(*self.options).order_by(*self.order_by())

    @property
    def fields(self) -> list[str]:
        return [name for name in self.form().data if name not in ("csrf_token",)]


SECTIONS: dict[str, Section] = {}


def section(**kwargs) -> Section:
    item = Section(**kwargs)
    SECTIONS[item.key] = item
    return item


def places_section(**kwargs) -> Section:
    """A section of the places' reference data: the places' question of who may manage it."""
    return section(may_manage=can_manage_places, **kwargs)


places_section(
    key="streets", title=_l("Street"), model=Street, form=places.StreetForm,
    columns=[Column(_l("Name"), lambda o: o.name), Column(_l("District"), lambda o: o.district)],
    order_by=lambda: [Street.id], unique=("name",),
)
places_section(
    key="places", title=_l("Areas, communities and buildings"), model=Place, form=places.PlaceForm,
    columns=[Column(_l("Name"), lambda o: o.name), Column(_l("Kind"), lambda o: o.kind),
             Column(_l("Area"), lambda o: o.area.name if o.area else ""),
             Column(_l("Address"), lambda o: o.address), Column(_l("Active"), lambda o: o.active)],
    order_by=lambda: [Place.area_id.nulls_first(), Place.kind, Place.name],
    options=(selectinload(Place.area),), save=save_place,
    unique=(UniqueWithin(("name", "area_id"), _l("This name is already used in the chosen area.")),),
)
places_section(
    key="units", title=_l("Member units"), model=MemberUnit, form=places.UnitForm,
    columns=[Column(_l("Name"), lambda o: o.name), Column(_l("Type"), lambda o: o.unit_type),
             Column(_l("Area"), lambda o: o.area.name),
             Column(_l("Office building"), lambda o: o.building.name if o.building else ""),
             Column(_l("Party members"), lambda o: o.party_member_count),
             Column(_l("Active"), lambda o: o.active)],
    order_by=lambda: [MemberUnit.area_id, MemberUnit.name], unique=("name",),
    options=(selectinload(MemberUnit.area), selectinload(MemberUnit.building)),
)
places_section(
    key="party-organisations", title=_l("Party organisations"), model=PartyOrganisation,
    form=places.PartyOrganisationForm,
    columns=[Column(_l("Name"), lambda o: o.name), Column(_l("Kind"), lambda o: o.kind),
             Column(_l("Member unit"), lambda o: o.unit.name),
             Column(_l("Party members"), lambda o: o.member_count)],
    order_by=lambda: [PartyOrganisation.unit_id, PartyOrganisation.id],
    options=(selectinload(PartyOrganisation.unit),),
)
places_section(
    key="associations", title=_l("Promotion associations"), model=Association,
    form=places.AssociationForm,
    columns=[Column(_l("Name"), lambda o: o.name), Column(_l("Area"), lambda o: o.area.name),
             Column(_l("Founded on"), lambda o: o.founded_on)],
    order_by=lambda: [Association.id], unique=("name", "area_id"),
    options=(selectinload(Association.area),),
)
places_section(
    key="council", title=_l("Council members"), model=CouncilMember, form=CouncilMemberForm,
    columns=[Column(_l("Name"), lambda o: o.user.display_name), Column(_l("Position"), lambda o: o.position),
             Column(_l("Member unit"), lambda o: o.unit.name if o.unit else ""),
             Column(_l("Association"), lambda o: o.association.name), Column(_l("Active"), lambda o: o.active)],
    order_by=lambda: [CouncilMember.association_id, CouncilMember.id],
    unique=(UniqueWithin(("user_id", "association_id"), _l("This person already sits on this council.")),),
    options=(selectinload(CouncilMember.user), selectinload(CouncilMember.unit),
             selectinload(CouncilMember.association)),
    description=_l("Council members vote on proposed projects. Give the person the council role first."),
)
places_section(
    key="committees", title=_l("Professional committees"), model=ProfessionalCommittee,
    form=places.CommitteeForm,
    columns=[Column(_l("Name"), lambda o: o.name), Column(_l("Association"), lambda o: o.association.name),
             Column(_l("Convening unit"), lambda o: o.convener_unit.name if o.convener_unit else "")],
    order_by=lambda: [ProfessionalCommittee.association_id, ProfessionalCommittee.id],
    unique=(UniqueWithin(("name", "association_id"),
                         _l("This association already has a committee of this name.")),),
    options=(selectinload(ProfessionalCommittee.association), selectinload(ProfessionalCommittee.convener_unit)),
)
places_section(
    key="president-terms", title=_l("Rotating president terms"), model=PresidentTerm,
    form=places.PresidentTermForm,
    columns=[Column(_l("President"), lambda o: o.president_name), Column(_l("Member unit"), lambda o: o.unit.name),
             Column(_l("Term starts on"), lambda o: o.starts_on), Column(_l("Term ends on"), lambda o: o.ends_on)],
    order_by=lambda: [PresidentTerm.association_id, PresidentTerm.starts_on.desc()],
    options=(selectinload(PresidentTerm.unit),), save=save_president_term,
)
section(
    key="categories", title=_l("Need categories"), model=Category, form=CategoryForm,
    columns=[Column(_l("Number"), lambda o: o.code), Column(_l("Name (Chinese)"), lambda o: o.name),
             Column(_l("Name (English)"), lambda o: o.name_en)],
    order_by=lambda: [Category.code], unique=("code", "name"),
)
section(
    key="indicators", title=_l("Evaluation indicators"), model=Indicator, form=IndicatorForm,
    columns=[Column(_l("Dimension"), lambda o: o.dimension), Column(_l("Name (Chinese)"), lambda o: o.name),
             Column(_l("Weight"), lambda o: o.weight), Column(_l("Active"), lambda o: o.active)],
    order_by=lambda: [Indicator.dimension, Indicator.position, Indicator.id],
    unique=(UniqueWithin(("name", "dimension"), _l("This dimension already has an indicator of this name.")),),
    description=_l("Weights are percentages of the indicator score; the active indicators should add up to 100."),
)
section(
    key="volunteer-skills", title=_l("Volunteer skills"), model=VolunteerSkill, form=volunteers.SkillForm,
    columns=[Column(_l("Code"), lambda o: o.code), Column(_l("Name (Chinese)"), lambda o: o.name),
             Column(_l("Name (English)"), lambda o: o.name_en), Column(_l("Order"), lambda o: o.position),
             Column(_l("Active"), lambda o: o.active)],
    order_by=lambda: [VolunteerSkill.position, VolunteerSkill.id], unique=("code", "name"),
    description=_l("The skills volunteers choose from in their profile (亮特长); other skills they name in their own words."),
)
section(
    key="volunteer-teams", title=_l("Volunteer teams"), model=VolunteerTeam, form=volunteers.TeamForm,
    columns=[Column(_l("Name"), lambda o: o.name), Column(_l("Residential community"), lambda o: o.community.name),
             Column(_l("Hours of service"), lambda o: o.hours_total), Column(_l("Active"), lambda o: o.active)],
    order_by=lambda: [VolunteerTeam.id], options=(selectinload(VolunteerTeam.community),),
    unique=(UniqueWithin(("community_id",), _l("This community already has a volunteer team.")), "name"),
    description=_l("One mobile volunteer team per residential community; new volunteers join the team of their community."),
)
section(
    key="service-points", title=_l("Party-member service points"), model=ServicePoint, form=volunteers.ServicePointForm,
    columns=[Column(_l("Volunteer team"), lambda o: o.team.name), Column(_l("Office building"), lambda o: o.building.name),
             Column(_l("Service point"), lambda o: o.slot), Column(_l("Name"), lambda o: o.name)],
    order_by=lambda: [ServicePoint.team_id, ServicePoint.slot],
    options=(selectinload(ServicePoint.team), selectinload(ServicePoint.building)),
    unique=(UniqueWithin(("slot", "team_id"), _l("This team already has a service point in this slot; a team has two at most.")),
            UniqueWithin(("building_id", "team_id"), _l("This team already has a service point in this building."))),
    description=_l("A team is linked to one or two office buildings through Party-member service points (slots 1 and 2)."),
)
