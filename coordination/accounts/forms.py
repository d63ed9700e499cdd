"""Login, registration and password forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from coordination.core.enums import Role


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
