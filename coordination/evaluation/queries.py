"""Reading evaluations: surveys, reviews, invitations."""

from __future__ import annotations

from sqlalchemy import func, select

from coordination.evaluation.models import (EvaluationReview, Survey, SurveyAnswer, SurveyInvite, SurveyQuestion,
                                            SurveyResponse)
from coordination.extensions import db


def survey_of(project_id: int) -> Survey | None:
    return db.session.scalar(select(Survey).where(Survey.project_id == project_id))


def latest_review(project_id: int) -> EvaluationReview | None:
    return db.session.scalar(select(EvaluationReview).where(EvaluationReview.project_id == project_id)
                             .order_by(EvaluationReview.id.desc()).limit(1))


def reviews(project_id: int) -> list[EvaluationReview]:
    return db.session.scalars(select(EvaluationReview).where(EvaluationReview.project_id == project_id)
                              .order_by(EvaluationReview.id)).all()


def has_answered(user, survey: Survey) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(db.session.scalar(select(func.count()).select_from(SurveyResponse).where(
        SurveyResponse.survey_id == survey.id, SurveyResponse.respondent_id == user.id)))


def invite_is_usable(survey: Survey, code: str) -> bool:
    from coordination.evaluation.operations import _hash  # the module above (it may use these queries) owns it

    return bool(db.session.scalar(select(func.count()).select_from(SurveyInvite).where(
        SurveyInvite.survey_id == survey.id, SurveyInvite.code_hash == _hash(code), SurveyInvite.used_at.is_(None))))


def invite_counts(survey: Survey) -> tuple[int, int]:
    total, used = db.session.execute(select(func.count(SurveyInvite.id), func.count(SurveyInvite.used_at))
                                     .where(SurveyInvite.survey_id == survey.id)).one()
    return total or 0, used or 0


def survey_for_code(code: str) -> int | None:
    from coordination.evaluation.operations import _hash  # the module above (it may use these queries) owns it

    return db.session.scalar(select(SurveyInvite.survey_id).where(SurveyInvite.code_hash == _hash(code),
                                                                 SurveyInvite.used_at.is_(None)))


def text_answers(survey_id: int, limit: int = 200) -> list[tuple[str, str]]:
    """The free-text answers (question, answer), newest first."""
    return db.session.execute(
        select(SurveyQuestion.text, SurveyAnswer.text)
        .join(SurveyAnswer, SurveyAnswer.question_id == SurveyQuestion.id)
        .where(SurveyQuestion.survey_id == survey_id, SurveyAnswer.text.is_not(None))
        .order_by(SurveyAnswer.id.desc()).limit(limit)).all()
