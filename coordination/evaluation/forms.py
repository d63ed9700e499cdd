"""Forms of the evaluation pages: the committee's review, the annual selection's ballot and
opening; the questionnaire and the answers, which have as many fields as there are rows or
questions; the indicator scores, which name the indicators."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import DecimalField
from wtforms import IntegerField
from wtforms import SelectField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional

from coordination.core.forms import ReferenceForm
from coordination.core.forms import to_int
from coordination.evaluation.enums import IndicatorDimension
from coordination.evaluation.enums import QuestionKind
from coordination.evaluation.enums import ResponseMethod
from coordination.evaluation.operations import AnswerInput

QUESTION_ROWS = 8


class ReviewForm(FlaskForm):
    """Accepting (the comment is optional) or sending back (the operation asks for it)."""

    comment = TextAreaField(_l("Comment (required when sending back)"), validators=[Optional(), Length(max=2000)])


class BallotForm(FlaskForm):
    nominee_ids = SelectMultipleField(_l("Nominated projects"), coerce=int, validate_choice=False)


class OpenSelectionForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[Optional()])
    project_ids = SelectMultipleField(_l("Nominate projects completed this year"), coerce=int,
                                      validate_choice=False)
    max_choices = IntegerField(_l("Choices per ballot"), validators=[Optional(), NumberRange(min=0)])

    def year_or_this(self) -> int:
        return self.year.data or date.today().year


class ScoreForm(FlaskForm):
    """An evaluator's scores; the fields (``ind_<indicator id>``) are read by ``scores``."""

    def scores(self, formdata) -> list[dict]:
        values = []
        for key, raw in formdata.items():
            if key.startswith("ind_") and raw.strip():
                try:
                    score = float(raw)
                except ValueError:
                    score = None
                values.append({"indicator_id": to_int(key[4:]), "score": score})
        return values


class QuestionnaireForm(FlaskForm):
    """The questionnaire before the survey opens: ``QUESTION_ROWS`` rows of a question's text
    (``text_<i>``) and kind (``kind_<i>``), the overall question's row (``overall``) and the closing
    date. The operation checks the questions (``operations.check_questions``)."""

    overall = StringField(default="0")
    closes_on = StringField(_l("Closes on (optional)"), validators=[Optional()])

    def rows(self) -> list[dict]:
        overall = self.overall.data or "0"
        kinds = [getattr(self, f"kind_{i}").data for i in range(QUESTION_ROWS)]
        return [{"text": (getattr(self, f"text_{i}").data or "").strip(),
                 "kind": "likert" if kinds[i] is None else kinds[i], "overall": str(i) == overall}
                for i in range(QUESTION_ROWS)]

    def closing_date(self) -> date | None:
        """The closing date, or None; ValueError when it is not a date."""
        text = (self.closes_on.data or "").strip()
        return date.fromisoformat(text) if text else None


for _i in range(QUESTION_ROWS):
    setattr(QuestionnaireForm, f"text_{_i}", StringField(validators=[Optional()]))
    setattr(QuestionnaireForm, f"kind_{_i}", SelectField(choices=QuestionKind.choices(), validate_choice=False))


def answer_form(survey) -> FlaskForm:
    """The survey's form: per question a 1–5 score or a text (``q_<question id>``), and how staff
    collected a paper questionnaire or visit (``method``). The operation checks the answers; an
    unreadable score becomes 0, which it reports as out of range."""
    fields = {"method": SelectField(choices=ResponseMethod.choices(), validate_choice=False)}
    for question in survey.questions:
        field = StringField if question.kind == QuestionKind.LIKERT else TextAreaField
        fields[f"q_{question.id}"] = field(validators=[Optional()])

    def answers(form) -> list[AnswerInput]:
        result = []
        for question in survey.questions:
            raw = (getattr(form, f"q_{question.id}").data or "").strip()
            if question.kind == QuestionKind.LIKERT:
                result.append(AnswerInput(question.id, score=(to_int(raw, maximum=99) or 0) if raw else None))
            else:
                result.append(AnswerInput(question.id, text=raw))
        return result

    return type("AnswerForm", (FlaskForm,), {**fields, "answers": answers})()


class IndicatorForm(ReferenceForm):
    """An evaluation indicator and its weight (administration)."""

    dimension = SelectField(_l("Dimension"), choices=IndicatorDimension.choices, validators=[DataRequired()])
    name = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=100)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=150)])
    weight = DecimalField(_l("Weight (percent of the indicator score)"), places=2,
                          validators=[DataRequired(), NumberRange(min=0, max=100)])
    position = IntegerField(_l("Order"), default=0, validators=[Optional()])
    description = TextAreaField(_l("Description"), validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)
