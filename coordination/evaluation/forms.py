"""Forms of the evaluation pages: the committee's review, invitation codes, the code people
type, and the annual selection's ballot and opening. The questionnaire, the answers and the
indicator scores have as many fields as the survey has questions (or the street indicators):
their readers below turn the posted fields into what the operations take."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from coordination.core.forms import to_int
from coordination.evaluation.operations import AnswerInput

QUESTION_ROWS = 8


class ReviewForm(FlaskForm):
    """Accepting (the comment is optional) or sending back (the operation asks for it)."""

    comment = TextAreaField(_l("Comment (required when sending back)"), validators=[Optional(), Length(max=2000)])


class InvitesForm(FlaskForm):
    count = IntegerField(_l("How many codes"), validators=[Optional()])


class CodeForm(FlaskForm):
    code = StringField(_l("Invitation code"), validators=[DataRequired(), Length(max=20)])


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


def questionnaire(formdata) -> list[dict]:
    """The questionnaire's rows (``text_<i>``, ``kind_<i>``; ``overall`` names the overall one)."""
    overall = formdata.get("overall", "0")
    return [{"text": formdata.get(f"text_{i}", "").strip(), "kind": formdata.get(f"kind_{i}", "likert"),
             "overall": str(i) == overall} for i in range(QUESTION_ROWS)]


def answers(formdata, survey) -> list[AnswerInput]:
    """One answer per question (``q_<question id>``); an unreadable score becomes 0, which the
    operation reports as out of range."""
    result = []
    for question in survey.questions:
        raw = formdata.get(f"q_{question.id}", "").strip()
        if question.kind.value == "likert":
            result.append(AnswerInput(question.id, score=(to_int(raw, maximum=99) or 0) if raw else None))
        else:
            result.append(AnswerInput(question.id, text=raw))
    return result


__all__ = ["BallotForm", "CodeForm", "InvitesForm", "OpenSelectionForm", "ReviewForm",
           "ScoreForm", "answers", "questionnaire"]
