"""Forms of the project pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import DateField
from wtforms import DecimalField
from wtforms import IntegerField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional

from coordination.needs.forms import optional_int
from coordination.projects.enums import VoteChoice


class ProjectForm(FlaskForm):
    title = StringField(_l("Project title"), validators=[DataRequired(), Length(max=120)])
    need_ids = SelectMultipleField(_l("Needs it is built on"), coerce=int, validators=[DataRequired()],
                                   render_kw={"size": 6})
    description = TextAreaField(_l("Description"), validators=[DataRequired(), Length(max=10000)],
                                render_kw={"rows": 5})
    goals = TextAreaField(_l("Goals"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 3})
    category_id = SelectField(_l("Category"), coerce=optional_int, validators=[DataRequired()])
    place_id = SelectField(_l("Area, community or building"), coerce=optional_int, validators=[DataRequired()])
    committee_id = SelectField(_l("Professional committee"), coerce=optional_int)
    expected_beneficiaries = IntegerField(_l("Expected beneficiaries (people)"),
                                          validators=[Optional(), NumberRange(min=0, max=10_000_000)])
    volunteer_places = IntegerField(_l("Volunteer places"), validators=[Optional(), NumberRange(min=0, max=100000)])
    budget = DecimalField(_l("Budget (yuan)"), places=2, validators=[InputRequired(), NumberRange(min=0, max=9_999_999_999)])
    fund_self_governance = DecimalField(_l("of which from the self-governance fund (yuan)"), places=2,
                                        validators=[Optional(), NumberRange(min=0, max=9_999_999_999)])
    fund_unit = DecimalField(_l("of which from member unit contributions (yuan)"), places=2,
                             validators=[Optional(), NumberRange(min=0, max=9_999_999_999)])
    fund_street = DecimalField(_l("of which from street funding (yuan)"), places=2,
                               validators=[Optional(), NumberRange(min=0, max=9_999_999_999)])
    fund_other = DecimalField(_l("of which from other sources (yuan)"), places=2,
                              validators=[Optional(), NumberRange(min=0, max=9_999_999_999)])
    planned_start = DateField(_l("Planned start"), validators=[DataRequired()])
    planned_end = DateField(_l("Planned end"), validators=[DataRequired()])

    FUNDS = {"fund_self_governance": "self_governance", "fund_unit": "unit", "fund_street": "street",
             "fund_other": "other"}


class VoteForm(FlaskForm):
    vote = RadioField(_l("My vote"), choices=VoteChoice.choices, validators=[DataRequired()])
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=2000)],
                            render_kw={"rows": 2})


class DecisionForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=[("approve", _l("Approve and publish")),
                                                   ("return", _l("Return to draft")),
                                                   ("reject", _l("Do not approve"))],
                          validators=[DataRequired()])
    comment = TextAreaField(_l("Comment (required when returning or rejecting)"),
                            validators=[Optional(), Length(max=2000)], render_kw={"rows": 2})


class CommentForm(FlaskForm):
    comment = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 2})


class ReleaseForm(FlaskForm):
    comment = TextAreaField(_l("Reason for releasing the claim"), validators=[DataRequired(), Length(max=2000)],
                            render_kw={"rows": 2})


class ProgressForm(FlaskForm):
    percent = IntegerField(_l("Done so far (percent, 0–100)"),
                           validators=[InputRequired(message=_l("Enter a percentage.")), NumberRange(min=0, max=100)])
    note = TextAreaField(_l("What was done"), validators=[DataRequired(), Length(max=5000)], render_kw={"rows": 3})
    participant_units = IntegerField(_l("Member units taking part (this period)"), default=0,
                                     validators=[Optional(), NumberRange(min=0, max=9_999_999_999)])
    party_members = IntegerField(_l("Party members taking part (this period)"), default=0,
                                 validators=[Optional(), NumberRange(min=0, max=9_999_999_999)])
    volunteers = IntegerField(_l("Volunteers (this period)"), default=0, validators=[Optional(), NumberRange(min=0, max=9_999_999_999)])
    volunteer_hours = DecimalField(_l("Volunteer hours (this period)"), places=1, default=0,
                                   validators=[Optional(), NumberRange(min=0, max=9_999_999_999)])
    beneficiaries_residents = IntegerField(_l("Residents served (this period)"), default=0,
                                           validators=[Optional(), NumberRange(min=0, max=9_999_999_999)])
    beneficiaries_workers = IntegerField(_l("Office workers served (this period)"), default=0,
                                         validators=[Optional(), NumberRange(min=0, max=9_999_999_999)])
    spent = DecimalField(_l("Spent in this period (yuan)"), places=2, default=0,
                         validators=[Optional(), NumberRange(min=0, max=9_999_999_999)])
    photos = MultipleFileField(_l("Photos (optional)"), render_kw={"accept": "image/jpeg,image/png,image/webp"})


class CompleteForm(FlaskForm):
    report = TextAreaField(_l("Completion report"), validators=[DataRequired(), Length(max=20000)],
                           render_kw={"rows": 6})
