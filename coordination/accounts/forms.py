"""Login, registration and password forms; the administrator's forms of a user and of a council seat."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField
from wtforms import DateField
from wtforms import PasswordField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import StringField
from wtforms.validators import DataRequired
from wtforms.validators import Email
from wtforms.validators import EqualTo
from wtforms.validators import Length
from wtforms.validators import Optional

from coordination.accounts.models import User
from coordination.accounts.models import UserRole
from coordination.core.enums import Role
from coordination.core.forms import MultiCheckboxField
from coordination.core.forms import ReferenceForm
from coordination.core.forms import choices_of
from coordination.core.forms import optional_id
from coordination.places.enums import CouncilPosition
from coordination.places.enums import PlaceKind
from coordination.places.forms import associations_by_name
from coordination.places.forms import units_by_name
from coordination.places.models import Place


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=40)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
    remember = BooleanField(_l("Keep me logged in on this device"))


class RegisterForm(FlaskForm):
    role = RadioField(
        _l("I am"),
        choices=[(Role.RESIDENT.value, _l("a resident of a community")),
                 (Role.WORKER.value, _l("an office worker in a building"))],
        default=Role.RESIDENT.value,
        validators=[DataRequired()],
    )
    place_id = SelectField(_l("My residential community or office building"), coerce=str,
                           validators=[DataRequired()])
    username = StringField(_l("Username"), validators=[DataRequired(), Length(min=3, max=40)])
    display_name = StringField(_l("Name shown to others"), validators=[DataRequired(), Length(max=60)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )
    phone = StringField(_l("Mobile phone (optional, only staff can see it)"),
                        validators=[Optional(), Length(max=30)])
    email = StringField(_l("E-mail (optional, for notifications)"),
                        validators=[Optional(), Email(message=_l("Enter a valid e-mail address.")), Length(max=254)])


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=128)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )


class OtpForm(FlaskForm):
    otp = StringField(_l("Code from your authenticator app, or a recovery code"),
                      validators=[DataRequired(), Length(max=20)])


class TwoFactorDisableForm(FlaskForm):
    password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=128)])
    otp = StringField(_l("Code from your authenticator app, or a recovery code"),
                      validators=[DataRequired(), Length(max=20)])


class UserForm(ReferenceForm):
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
        self.unit_id.choices = choices_of(units_by_name(), blank=True)
        self.place_id.choices = choices_of(
            select(Place).where(Place.kind != PlaceKind.AREA).order_by(Place.kind, Place.name),
            label=lambda p: f"{p.kind.label} · {p.name}", blank=True,
        )


class CouncilMemberForm(ReferenceForm):
    """A seat on an association's council (the places' ``CouncilMember``); it lives here, above
    places, because it offers the people who hold the council role."""

    association_id = SelectField(_l("Association"), coerce=int, validators=[DataRequired()])
    user_id = SelectField(_l("User (with the council role)"), coerce=int, validators=[DataRequired()])
    unit_id = SelectField(_l("Member unit"), coerce=optional_id)
    position = SelectField(_l("Position"), choices=CouncilPosition.choices, validators=[DataRequired()])
    joined_on = DateField(_l("Joined on"), validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)

    def prepare(self) -> None:
        self.association_id.choices = choices_of(associations_by_name())
        self.user_id.choices = choices_of(
            select(User).join(UserRole).where(UserRole.role == Role.COUNCIL).order_by(User.display_name),
            label=lambda u: f"{u.display_name} ({u.username})",
        )
        self.unit_id.choices = choices_of(units_by_name(), blank=True)
