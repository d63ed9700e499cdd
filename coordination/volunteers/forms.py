"""Forms of the volunteers' pages and of their administration sections (skills, teams, service points)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField
from wtforms import DateField
from wtforms import DecimalField
from wtforms import HiddenField
from wtforms import IntegerField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional

from coordination.core.forms import MultiCheckboxField
from coordination.core.forms import ReferenceForm
from coordination.core.forms import choices_of
from coordination.core.forms import optional_id
from coordination.places.enums import PlaceKind
from coordination.places.models import Place
from coordination.volunteers.models import VolunteerTeam


class ProfileForm(FlaskForm):
    """The "three shows" (亮身份、亮特长、亮意愿)."""

    party_member = BooleanField(_l("I am a member of the Communist Party of China"))
    party_org = StringField(_l("My Party organisation"), validators=[Optional(), Length(max=120)])
    skills = MultiCheckboxField(_l("My skills"))
    other_skills = StringField(_l("Other skills, in my own words"), validators=[Optional(), Length(max=200)])
    willingness = TextAreaField(_l("What I am willing to do"), validators=[DataRequired(), Length(max=1000)],
                                render_kw={"rows": 3})
    availability = StringField(_l("When I am available"), validators=[Optional(), Length(max=200)])
    team_id = SelectField(_l("My volunteer team"), coerce=optional_id)
    public = BooleanField(_l("Show my profile in the volunteer directory (name, skills and willingness; never my phone)"))

    def prepare(self, skills, teams) -> None:
        self.skills.choices = [(s.code, s.local_name) for s in skills]
        self.team_id.choices = [(0, _l("The team of my community"))] + [(t.id, t.name) for t in teams]

    def words(self) -> list[str]:
        """The skills ticked on the list and the ones typed (separated by commas or 、)."""
        typed = (self.other_skills.data or "").replace("，", "、").replace(",", "、").replace("；", "、")
        return list(self.skills.data or []) + [w.strip() for w in typed.split("、") if w.strip()]


class StepForm(FlaskForm):
    """A step's button (sign up, withdraw, check in): the CSRF token and an optional note."""

    note = StringField(_l("A word to the lead unit (optional)"), validators=[Optional(), Length(max=500)])


class CheckInForm(FlaskForm):
    code = HiddenField()


class HoursForm(FlaskForm):
    hours = DecimalField(_l("Hours"), places=1, validators=[InputRequired(), NumberRange(min=0.1, max=24)])
    served_on = DateField(_l("Day of service"), validators=[DataRequired()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])


# ----------------------------------------------------------------------------- administration

class SkillForm(ReferenceForm):
    """A skill of the list volunteers choose from."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=40)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=60)])
    position = IntegerField(_l("Order"), default=0, validators=[Optional(), NumberRange(min=0, max=10000)])
    active = BooleanField(_l("Active"), default=True)


class TeamForm(ReferenceForm):
    """The volunteer team of one residential community."""

    community_id = SelectField(_l("Residential community"), coerce=int, validators=[DataRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    description = TextAreaField(_l("Description"), validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)

    def prepare(self) -> None:
        self.community_id.choices = choices_of(
            select(Place).where(Place.kind == PlaceKind.COMMUNITY).order_by(Place.name))


class ServicePointForm(ReferenceForm):
    """A Party-member service point linking a team to an office building (two per team at most)."""

    team_id = SelectField(_l("Volunteer team"), coerce=int, validators=[DataRequired()])
    building_id = SelectField(_l("Office building"), coerce=int, validators=[DataRequired()])
    slot = SelectField(_l("Service point"), coerce=int, choices=[(1, "1"), (2, "2")], validators=[DataRequired()])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=100)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)])

    def prepare(self) -> None:
        self.team_id.choices = choices_of(select(VolunteerTeam).order_by(VolunteerTeam.name))
        self.building_id.choices = choices_of(
            select(Place).where(Place.kind == PlaceKind.BUILDING).order_by(Place.name))
