"""The account deletion form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import PasswordField
from wtforms.validators import DataRequired
from wtforms.validators import Length


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=128)])
    confirm = BooleanField(_l("I understand that my account is deleted for good and cannot be restored."),
                           validators=[DataRequired(message=_l("Tick the box to confirm."))])
