"""Surveys' maintained figures: respondents, answers to the overall question and satisfied
respondents per survey; how to read them, rebuild them and check them (``core/counters.py``)."""

from __future__ import annotations

from sqlalchemy import case
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select

from coordination.core import counters
from coordination.evaluation.models import Survey
from coordination.evaluation.models import SurveyAnswer
from coordination.evaluation.models import SurveyQuestion
from coordination.evaluation.models import SurveyResponse
from coordination.evaluation.models import SurveyTally
from coordination.evaluation.scores import is_satisfied
from coordination.extensions import db
from coordination.projects.enums import ProjectStatus
from coordination.projects.models import Project


def survey_figures(survey_id: int) -> tuple[int, int, int]:
    """(respondents, answers to the overall question with a score, satisfied among them)."""
    row = db.session.get(SurveyTally, survey_id, populate_existing=True)
    return (row.respondents, row.answered, row.satisfied) if row else (0, 0, 0)


def satisfaction_of_evaluated() -> tuple[int, int]:
    """(answered, satisfied) over the surveys of every evaluated project."""
    answered, satisfied = db.session.execute(
        select(func.coalesce(func.sum(SurveyTally.answered), 0), func.coalesce(func.sum(SurveyTally.satisfied), 0))
        .join(Survey, Survey.id == SurveyTally.survey_id).join(Project, Project.id == Survey.project_id)
        .where(Project.status == ProjectStatus.EVALUATED)).one()
    return int(answered), int(satisfied)


def _recount():
    respondents = (select(func.count()).select_from(SurveyResponse).where(SurveyResponse.survey_id == Survey.id)
                   .correlate(Survey).scalar_subquery())

    def over_overall(figure):
        return (select(figure).select_from(SurveyAnswer)
                .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
                .where(SurveyQuestion.survey_id == Survey.id, SurveyQuestion.overall, SurveyAnswer.score.is_not(None))
                .correlate(Survey).scalar_subquery())

    answered = over_overall(func.count(SurveyAnswer.id))
    satisfied = over_overall(func.coalesce(func.sum(case((is_satisfied(SurveyAnswer.score), 1), else_=0)), 0))
    return select(Survey.id, respondents, answered, satisfied)


def rebuild() -> None:
    db.session.execute(delete(SurveyTally))
    db.session.execute(insert(SurveyTally).from_select(["survey_id", "respondents", "answered", "satisfied"],
                                                       _recount()))
    db.session.expire_all()


def differences() -> list[str]:
    stored = {(row.survey_id,): (row.respondents, row.answered, row.satisfied)
              for row in db.session.execute(select(SurveyTally.survey_id, SurveyTally.respondents,
                                                   SurveyTally.answered, SurveyTally.satisfied))}
    fresh = {(row[0],): (int(row[1]), int(row[2]), int(row[3])) for row in db.session.execute(_recount())}
    return counters.compare("survey_tallies", stored, fresh)


counters.register("surveys", rebuild, differences)
