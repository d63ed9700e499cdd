"""Scores of an evaluation, computed with SQL aggregates (never row by row in Python).

- satisfaction rate = respondents whose answer to the overall question is 4 or 5, divided by
  all respondents who answered it (API.md);
- indicator score = Σ weightᵢ × mean scoreᵢ / Σ weightᵢ over the indicators that were scored
  (0–100), the mean taken over evaluators;
- composite score = SATISFACTION_WEIGHT × satisfaction (as 0–100) + INDICATOR_WEIGHT × indicator
  score, when both exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func
from sqlalchemy import select

from coordination.core.models.base import local_name
from coordination.evaluation.models import Indicator
from coordination.evaluation.models import IndicatorScore
from coordination.evaluation.models import Survey
from coordination.evaluation.models import SurveyAnswer
from coordination.evaluation.models import SurveyQuestion
from coordination.evaluation.models import SurveyResponse
from coordination.extensions import db

SATISFIED_MIN = 4  # "satisfied" = an overall score of 4 or 5 (DESIGN.md §3.3); also in migration 0008


def is_satisfied(score):
    """The one definition of a satisfied answer, as an SQL condition on a score column."""
    return score >= SATISFIED_MIN


def satisfaction_rate(satisfied: int, answered: int) -> float | None:
    """The share (0–1) of satisfied answers among those to the overall question."""
    return round(satisfied / answered, 4) if answered else None


@dataclass
class Scores:
    responses: int
    answered_overall: int
    satisfied: int
    satisfaction_rate: float | None
    indicator_score: float | None
    composite_score: float | None


def satisfaction(survey_id: int | None) -> tuple[int, int, int]:
    """(respondents, respondents who answered the overall question, of them scoring 4 or 5)."""
    # a real cycle: figures imports is_satisfied
    from coordination.evaluation.figures import survey_figures

    if survey_id is None:
        return 0, 0, 0
    return survey_figures(survey_id)  # maintained in the transaction of each response


def indicator_score(project_id: int) -> float | None:
    means = (select(Indicator.weight.label("weight"), func.avg(IndicatorScore.score).label("mean"))
             .join(IndicatorScore, IndicatorScore.indicator_id == Indicator.id)
             .where(IndicatorScore.project_id == project_id, Indicator.active, Indicator.weight > 0)
             .group_by(Indicator.id, Indicator.weight).subquery())
    weighted, weights = db.session.execute(
        select(func.sum(means.c.weight * means.c.mean), func.sum(means.c.weight))).one()
    if not weights:
        return None
    return round(float(weighted) / float(weights), 2)


def combine(rate: float | None, indicators: float | None) -> float | None:
    if rate is None or indicators is None:
        return None
    config = current_app.config
    return round(config["SATISFACTION_WEIGHT"] * rate * 100 + config["INDICATOR_WEIGHT"] * indicators, 2)


def project_scores(project_id: int) -> Scores:
    survey_id = db.session.scalar(select(Survey.id).where(Survey.project_id == project_id))
    responses, answered, satisfied = satisfaction(survey_id)
    rate = satisfaction_rate(satisfied, answered)
    indicators = indicator_score(project_id)
    return Scores(responses, answered, satisfied, rate, indicators, combine(rate, indicators))


def question_summary(survey_id: int) -> list[dict]:
    """Per question: how many answered and the mean score (for staff and committees)."""
    rows = db.session.execute(
        select(SurveyQuestion.id, SurveyQuestion.text, SurveyQuestion.kind, SurveyQuestion.overall,
               func.count(SurveyAnswer.id), func.avg(SurveyAnswer.score))
        .outerjoin(SurveyAnswer, SurveyAnswer.question_id == SurveyQuestion.id)
        .where(SurveyQuestion.survey_id == survey_id)
        .group_by(SurveyQuestion.id, SurveyQuestion.text, SurveyQuestion.kind, SurveyQuestion.overall,
                  SurveyQuestion.position)
        .order_by(SurveyQuestion.position)).all()
    return [{"id": qid, "text": text, "kind": kind.value, "overall": overall, "answers": count,
             "mean": round(float(mean), 2) if mean is not None else None}
            for qid, text, kind, overall, count, mean in rows]


def indicator_breakdown(project_id: int) -> list[dict]:
    rows = db.session.execute(
        select(Indicator.id, Indicator.dimension, Indicator.name, Indicator.name_en, Indicator.weight,
               func.avg(IndicatorScore.score), func.count(IndicatorScore.id))
        .outerjoin(IndicatorScore, (IndicatorScore.indicator_id == Indicator.id)
                   & (IndicatorScore.project_id == project_id))
        .where(Indicator.active)
        .group_by(Indicator.id, Indicator.dimension, Indicator.name, Indicator.name_en, Indicator.weight,
                  Indicator.position)
        .order_by(Indicator.dimension, Indicator.position)).all()
    return [{"id": iid, "dimension": dim.value, "name": local_name(name, name_en), "weight": float(weight),
             "mean": round(float(mean), 2) if mean is not None else None, "evaluators": count}
            for iid, dim, name, name_en, weight, mean, count in rows]


def methods(survey_id: int) -> dict[str, int]:
    rows = db.session.execute(select(SurveyResponse.method, func.count())
                              .where(SurveyResponse.survey_id == survey_id).group_by(SurveyResponse.method)).all()
    return {method.value: count for method, count in rows}
