"""Forms of the places' administration sections: the street, places, units, the association."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import BooleanField
from wtforms import DateField
from wtforms import IntegerField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional

from coordination.core.forms import ReferenceForm
from coordination.core.forms import choices_of
from coordination.core.forms import optional_id
from coordination.places.enums import PartyOrgKind
from coordination.places.enums import PlaceKind
from coordination.places.enums import UnitType
from coordination.places.models import Association
from coordination.places.models import MemberUnit
from coordination.places.models import Place
from coordination.places.models import Street


# What the select lists offer, by name.
def places_of(kind: PlaceKind):
    return select(Place).where(Place.kind == kind).order_by(Place.name)


def units_by_name():
    return select(MemberUnit).order_by(MemberUnit.name)


def associations_by_name():
    return select(Association).order_by(Association.name)


class StreetForm(ReferenceForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    district = StringField(_l("District"), validators=[Optional(), Length(max=100)])
    description = TextAreaField(_l("Description"), validators=[Optional()])


class PlaceForm(ReferenceForm):
    """Where the place sits is checked by ``operations.save_place`` (``rules.parent_problem``)."""

    kind = SelectField(_l("Kind"), choices=PlaceKind.choices, validators=[DataRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    street_id = SelectField(_l("Street"), coerce=int, validators=[DataRequired()])
    area_id = SelectField(_l("Area (for communities and buildings)"), coerce=optional_id)
    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)

    def prepare(self) -> None:
        self.street_id.choices = choices_of(select(Street).order_by(Street.name))
        self.area_id.choices = choices_of(places_of(PlaceKind.AREA), blank=True)


class UnitForm(ReferenceForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    short_name = StringField(_l("Short name"), validators=[Optional(), Length(max=40)])
    unit_type = SelectField(_l("Type"), choices=UnitType.choices, validators=[DataRequired()])
    area_id = SelectField(_l("Area"), coerce=int, validators=[DataRequired()])
    building_id = SelectField(_l("Office building"), coerce=optional_id)
    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)])
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=60)])
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=30)])
    description = TextAreaField(_l("Description"), validators=[Optional()])
    active = BooleanField(_l("Active member"), default=True)

    def prepare(self) -> None:
        self.area_id.choices = choices_of(places_of(PlaceKind.AREA))
        self.building_id.choices = choices_of(places_of(PlaceKind.BUILDING), blank=True)


class PartyOrganisationForm(ReferenceForm):
    unit_id = SelectField(_l("Member unit"), coerce=int, validators=[DataRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    kind = SelectField(_l("Kind"), choices=PartyOrgKind.choices, validators=[DataRequired()])
    member_count = IntegerField(_l("Party members"), default=0,
                                validators=[Optional(), NumberRange(min=0, max=100000)])

    def prepare(self) -> None:
        self.unit_id.choices = choices_of(units_by_name())


class AssociationForm(ReferenceForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    area_id = SelectField(_l("Area"), coerce=int, validators=[DataRequired()])
    founded_on = DateField(_l("Founded on"), validators=[Optional()])
    description = TextAreaField(_l("Description"), validators=[Optional()])

    def prepare(self) -> None:
        self.area_id.choices = choices_of(places_of(PlaceKind.AREA))


class CommitteeForm(ReferenceForm):
    association_id = SelectField(_l("Association"), coerce=int, validators=[DataRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    convener_unit_id = SelectField(_l("Convening unit"), coerce=optional_id)
    description = TextAreaField(_l("Description"), validators=[Optional()])

    def prepare(self) -> None:
        self.association_id.choices = choices_of(associations_by_name())
        self.convener_unit_id.choices = choices_of(units_by_name(), blank=True)


class PresidentTermForm(ReferenceForm):
    """The term's dates are checked by ``operations.save_president_term`` (``rules.term_problem``)."""

    association_id = SelectField(_l("Association"), coerce=int, validators=[DataRequired()])
    unit_id = SelectField(_l("Member unit holding the presidency"), coerce=int, validators=[DataRequired()])
    president_name = StringField(_l("President"), validators=[DataRequired(), Length(max=60)])
    starts_on = DateField(_l("Term starts on"), validators=[DataRequired()])
    ends_on = DateField(_l("Term ends on"), validators=[Optional()])

    def prepare(self) -> None:
        self.association_id.choices = choices_of(associations_by_name())
        self.unit_id.choices = choices_of(units_by_name())
