"""Forms of the pledge pages. The operations check every rule again (``operations.py``); the
forms say what is asked and carry the CSRF token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import DateField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import Optional

from coordination.core.forms import optional_id
from coordination.pledges.operations import COMMENT_MAX
from coordination.pledges.operations import CONTENT_MAX
from coordination.pledges.operations import NOTE_MAX
from coordination.pledges.operations import TITLE_MAX

PHOTO_TYPES = {"accept": "image/jpeg,image/png,image/webp"}


def _score(value):
    return int(value) if value not in (None, "") and str(value).isdigit() else None


class PledgeForm(FlaskForm):
    title = StringField(_l("What I pledge"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    content = TextAreaField(_l("What exactly I will do"), validators=[DataRequired(), Length(max=CONTENT_MAX)],
                            render_kw={"rows": 4})
    due_on = DateField(_l("By when"), validators=[DataRequired()])
    community_id = SelectField(_l("The community or building it serves"), coerce=optional_id,
                               validators=[Optional()])


class KeepForm(FlaskForm):
    note = TextAreaField(_l("How I kept it"), validators=[DataRequired(), Length(max=NOTE_MAX)],
                         render_kw={"rows": 4})
    photos = MultipleFileField(_l("Photos (optional, up to 6, JPEG/PNG/WebP, 5 MB each)"), render_kw=PHOTO_TYPES)


class RatingForm(FlaskForm):
    score = RadioField(_l("Your rating"), coerce=_score, validators=[DataRequired()],
                       choices=[(1, _l("very dissatisfied")), (2, _l("dissatisfied")), (3, _l("so-so")),
                                (4, _l("satisfied")), (5, _l("very satisfied"))])
    comment = TextAreaField(_l("A word for the volunteer (optional)"), validators=[Optional(), Length(max=COMMENT_MAX)],
                            render_kw={"rows": 2})
