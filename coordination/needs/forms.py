"""Forms of the needs pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed
from flask_wtf.file import FileField
from flask_wtf.file import FileRequired
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField
from wtforms import HiddenField
from wtforms import IntegerField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import Email
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional

from coordination.core.forms import ReferenceForm
from coordination.needs.enums import NeedChannel
from coordination.needs.enums import NeedKind


def optional_int(value):
    if value in (None, "", "0", 0, "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class NeedForm(FlaskForm):
    kind = RadioField(_l("What is it?"), choices=NeedKind.choices, default=NeedKind.WISH.value,
                      validators=[DataRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("Describe it"), validators=[DataRequired(), Length(max=5000)],
                                render_kw={"rows": 5})
    place_id = SelectField(_l("Residential community or office building"), coerce=optional_int,
                           validators=[DataRequired()])
    category_id = SelectField(_l("Category (optional; staff will check it)"), coerce=optional_int)
    photos = MultipleFileField(_l("Photos (optional, up to 6, JPEG/PNG/WebP, 5 MB each)"),
                               render_kw={"accept": "image/jpeg,image/png,image/webp"})
    show_submitter = BooleanField(_l("Show my name publicly with this need"))
    confirm_new = HiddenField(default="")


class OfflineNeedForm(NeedForm):
    channel = SelectField(_l("Channel"), choices=lambda: [(c.value, c.label) for c in NeedChannel.offline()],
                          validators=[DataRequired()])
    requester_name = StringField(_l("Name of the person"), validators=[DataRequired(), Length(max=60)])
    contact_phone = StringField(_l("Contact phone (optional, only staff see it)"),
                                validators=[Optional(), Length(max=30)])
    contact_email = StringField(_l("E-mail (optional)"),
                                validators=[Optional(), Email(message=_l("Enter a valid e-mail address.")),
                                            Length(max=254)])
    show_submitter = BooleanField(_l("The person agrees to show their name publicly"))


class TriageForm(FlaskForm):
    action = RadioField(_l("Decision"), choices=[("accept", _l("Accept into the needs menu")),
                                                 ("reject", _l("Reject")),
                                                 ("merge", _l("Merge into another need"))],
                        validators=[DataRequired()])
    category_id = SelectField(_l("Category"), coerce=optional_int)
    reason = TextAreaField(_l("Reason (shown to the submitter when rejecting)"),
                           validators=[Optional(), Length(max=2000)], render_kw={"rows": 2})
    merge_into = StringField(_l("Merge into need number"), validators=[Optional(), Length(max=12)])


class BulkTriageForm(FlaskForm):
    need_ids = SelectMultipleField(_l("Needs"), coerce=int, validators=[DataRequired()])
    action = SelectField(_l("Decision"), choices=[("accept", _l("Accept into the needs menu")),
                                                  ("reject", _l("Reject"))],
                         validators=[DataRequired()])
    category_id = SelectField(_l("Category"), coerce=optional_int)
    reason = StringField(_l("Reason (when rejecting)"), validators=[Optional(), Length(max=2000)])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 2})


class ImportForm(FlaskForm):
    file = FileField(_l("Spreadsheet (.xlsx or .csv)"), validators=[
        FileRequired(), FileAllowed(["xlsx", "csv"], _l("Upload an .xlsx or .csv file."))])


class CategoryForm(ReferenceForm):
    """A category of the needs menu (administration)."""

    code = IntegerField(_l("Number"), validators=[DataRequired(), NumberRange(min=1, max=99)])
    name = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=60)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=100)])
    description = TextAreaField(_l("Description"), validators=[Optional()])
