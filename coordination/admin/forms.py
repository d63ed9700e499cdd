"""Forms of the administration pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from coordination.accounts.models import User, UserRole
from coordination.core.enums import Role
from coordination.evaluation.enums import IndicatorDimension
from coordination.extensions import db
from coordination.places.enums import CouncilPosition, PartyOrgKind, PlaceKind, UnitType
from coordination.places.models import Association, MemberUnit, Place, Street


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _choices(query, label=lambda o: str(o), blank: bool = False):
    items = [(o.id, label(o)) for o in db.session.scalars(query).all()]
    return ([(0, "—")] if blank else []) + items


def _places(kind: PlaceKind):
    return select(Place).where(Place.kind == kind).order_by(Place.name)


def optional_id(value):
    """SelectField coercion where 0 / '' mean "none"."""
    if value in (None, "", "0", 0, "None"):
        return None
    return int(value)


class AdminForm(FlaskForm):
    def prepare(self) -> None:
        """Fill select choices from the database (called before validation and display)."""


class StreetForm(AdminForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    district = StringField(_l("District"), validators=[Optional(), Length(max=100)])
    description = TextAreaField(_l("Description"), validators=[Optional()])


class PlaceForm(AdminForm):
    kind = SelectField(_l("Kind"), choices=PlaceKind.choices, validators=[DataRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    street_id = SelectField(_l("Street"), coerce=int, validators=[DataRequired()])
    area_id = SelectField(_l("Area (for communities and buildings)"), coerce=optional_id)
    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)

    def prepare(self) -> None:
        self.street_id.choices = _choices(select(Street).order_by(Street.name))
        self.area_id.choices = _choices(_places(PlaceKind.AREA), blank=True)

    def validate_area_id(self, field) -> None:
        from wtforms.validators import ValidationError

        if self.kind.data == PlaceKind.AREA.value and field.data:
            raise ValidationError(_l("An area has no parent area."))
        if self.kind.data != PlaceKind.AREA.value and not field.data:
            raise ValidationError(_l("Choose the area this place belongs to."))


class UnitForm(AdminForm):
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
        self.area_id.choices = _choices(_places(PlaceKind.AREA))
        self.building_id.choices = _choices(_places(PlaceKind.BUILDING), blank=True)


class PartyOrganisationForm(AdminForm):
    unit_id = SelectField(_l("Member unit"), coerce=int, validators=[DataRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    kind = SelectField(_l("Kind"), choices=PartyOrgKind.choices, validators=[DataRequired()])
    member_count = IntegerField(_l("Party members"), default=0,
                                validators=[Optional(), NumberRange(min=0, max=100000)])

    def prepare(self) -> None:
        self.unit_id.choices = _choices(select(MemberUnit).order_by(MemberUnit.name))


class AssociationForm(AdminForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    area_id = SelectField(_l("Area"), coerce=int, validators=[DataRequired()])
    founded_on = DateField(_l("Founded on"), validators=[Optional()])
    description = TextAreaField(_l("Description"), validators=[Optional()])

    def prepare(self) -> None:
        self.area_id.choices = _choices(_places(PlaceKind.AREA))


class CouncilMemberForm(AdminForm):
    association_id = SelectField(_l("Association"), coerce=int, validators=[DataRequired()])
    user_id = SelectField(_l("User (with the council role)"), coerce=int, validators=[DataRequired()])
    unit_id = SelectField(_l("Member unit"), coerce=optional_id)
    position = SelectField(_l("Position"), choices=CouncilPosition.choices, validators=[DataRequired()])
    joined_on = DateField(_l("Joined on"), validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)

    def prepare(self) -> None:
        self.association_id.choices = _choices(select(Association).order_by(Association.name))
        self.user_id.choices = _choices(
            select(User).join(UserRole).where(UserRole.role == Role.COUNCIL).order_by(User.display_name),
            label=lambda u: f"{u.display_name} ({u.username})",
        )
        self.unit_id.choices = _choices(select(MemberUnit).order_by(MemberUnit.name), blank=True)


class CommitteeForm(AdminForm):
    association_id = SelectField(_l("Association"), coerce=int, validators=[DataRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    convener_unit_id = SelectField(_l("Convening unit"), coerce=optional_id)
    description = TextAreaField(_l("Description"), validators=[Optional()])

    def prepare(self) -> None:
        self.association_id.choices = _choices(select(Association).order_by(Association.name))
        self.convener_unit_id.choices = _choices(select(MemberUnit).order_by(MemberUnit.name), blank=True)


class PresidentTermForm(AdminForm):
    association_id = SelectField(_l("Association"), coerce=int, validators=[DataRequired()])
    unit_id = SelectField(_l("Member unit holding the presidency"), coerce=int, validators=[DataRequired()])
    president_name = StringField(_l("President"), validators=[DataRequired(), Length(max=60)])
    starts_on = DateField(_l("Term starts on"), validators=[DataRequired()])
    ends_on = DateField(_l("Term ends on"), validators=[Optional()])

    def prepare(self) -> None:
        self.association_id.choices = _choices(select(Association).order_by(Association.name))
        self.unit_id.choices = _choices(select(MemberUnit).order_by(MemberUnit.name))

    def validate_ends_on(self, field) -> None:
        from wtforms.validators import ValidationError

        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The term cannot end before it starts."))


class CategoryForm(AdminForm):
    code = IntegerField(_l("Number"), validators=[DataRequired(), NumberRange(min=1, max=99)])
    name = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=60)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=100)])
    description = TextAreaField(_l("Description"), validators=[Optional()])


class IndicatorForm(AdminForm):
    dimension = SelectField(_l("Dimension"), choices=IndicatorDimension.choices, validators=[DataRequired()])
    name = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=100)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=150)])
    weight = DecimalField(_l("Weight (percent of the indicator score)"), places=2,
                          validators=[DataRequired(), NumberRange(min=0, max=100)])
    position = IntegerField(_l("Order"), default=0, validators=[Optional()])
    description = TextAreaField(_l("Description"), validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)


class UserForm(AdminForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(min=3, max=40)])
    display_name = StringField(_l("Name shown to others"), validators=[DataRequired(), Length(max=60)])
    password = PasswordField(_l("Password"), validators=[Optional(), Length(max=128)])
    roles = MultiCheckboxField(_l("Roles"), choices=Role.choices)
    unit_id = SelectField(_l("Member unit (for member unit contacts)"), coerce=optional_id)
    place_id = SelectField(_l("Community or building"), coerce=optional_id)
    real_name = StringField(_l("Real name"), validators=[Optional(), Length(max=60)])
    phone = StringField(_l("Mobile phone"), validators=[Optional(), Length(max=30)])
    email = StringField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])
    active = BooleanField(_l("Active"), default=True)

    def prepare(self) -> None:
        self.unit_id.choices = _choices(select(MemberUnit).order_by(MemberUnit.name), blank=True)
        self.place_id.choices = _choices(
            select(Place).where(Place.kind != PlaceKind.AREA).order_by(Place.kind, Place.name),
            label=lambda p: f"{p.kind.label} · {p.name}", blank=True,
        )
