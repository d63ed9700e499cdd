"""Evaluations: a survey per evaluated project with its answers, indicator scores, reviews.

The answers (1,000,000 for the full street) are spread over the surveys unevenly, as some
projects reach hundreds of people and others a few dozen; online answers come from distinct
residents and workers, paper and household-visit answers are entered by staff.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from coordination.evaluation.enums import QuestionKind
from coordination.evaluation.enums import ResponseMethod
from coordination.evaluation.enums import ReviewDecision
from coordination.evaluation.enums import SurveyStatus
from coordination.evaluation.models import EvaluationReview
from coordination.evaluation.models import Indicator
from coordination.evaluation.models import IndicatorScore
from coordination.evaluation.models import Survey
from coordination.evaluation.models import SurveyAnswer
from coordination.evaluation.models import SurveyQuestion
from coordination.evaluation.models import SurveyResponse
from coordination.evaluation.operations import DEFAULT_QUESTIONS
from coordination.extensions import db
from coordination.projects.enums import ProjectStatus as S
from coordination.scale import END
from coordination.scale import Loader
from coordination.scale.needs import audit_row
from coordination.scale.vocab import ACCEPT_COMMENTS
from coordination.scale.vocab import FREE_TEXT_ANSWERS
from coordination.scale.vocab import REWORK_COMMENTS

ANSWERS_PER_RESPONSE = 4.3  # four 1–5 scores, and a free-text answer from three in ten
OFFLINE_METHODS = [ResponseMethod.PAPER, ResponseMethod.VISIT]  # entered by staff


def _score(rng, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.8))))


def load(loader: Loader, rng, street, plans, answers: int) -> None:
    evaluated = [p for p in plans if "open_evaluation" in p.times]
    if not evaluated:
        return
    indicators = db.session.scalars(select(Indicator.id).where(Indicator.active).order_by(Indicator.id)).all()
    weights = [rng.paretovariate(2.0) for _ in evaluated]
    responses_wanted = answers / ANSWERS_PER_RESPONSE
    scale = responses_wanted / sum(weights)
    staff, committee = street.staff, street.street
    people = street.people
    for p, weight in zip(evaluated, weights):
        opened = p.times["open_evaluation"]
        closes = p.times.get("accept_evaluation")
        until = p.times.get("rework_evaluation", closes or END)
        survey_id = loader.new_id(Survey)
        loader.add(Survey, {"id": survey_id, "project_id": p.id,
                            "status": SurveyStatus.CLOSED if closes else SurveyStatus.OPEN, "closes_on": None,
                            "opened_by_id": staff.id, "closed_at": closes, "created_at": opened, "updated_at": closes
                            or opened})
        questions = []
        for position, item in enumerate(DEFAULT_QUESTIONS, start=1):
            question_id = loader.new_id(SurveyQuestion)
            loader.add(SurveyQuestion, {"id": question_id, "survey_id": survey_id, "position": position,
                                        "text": item["text"], "kind": QuestionKind(item["kind"]),
                                        "overall": item["overall"]})
            questions.append((question_id, QuestionKind(item["kind"])))

        def audit(at, actor, action, before=None, after=None, comment=None, details=None, kind="Project",
                  object_id=p.id):
            loader.add_audit(audit_row(at, actor, action, kind, object_id, p.title, before, after, comment, details))

        audit(opened, staff, "project.open_evaluation", S.COMPLETED, S.EVALUATING,
              details={"survey_id": survey_id, "questions": len(questions)})
        count = max(5, round(weight * scale))
        online = rng.sample(people, min(len(people), int(count * rng.uniform(0.2, 0.6))))
        mean = rng.uniform(3.7, 4.7)
        span = max(3600.0, (until - opened).total_seconds() * 0.9)
        times = sorted(opened + timedelta(seconds=rng.uniform(60, span)) for _ in range(count))
        first = questions[0][0]
        likert = [(question_id, kind == QuestionKind.LIKERT) for question_id, kind in questions]
        for number, at in enumerate(times):
            respondent = online[number] if number < len(online) else None
            method = ResponseMethod.ONLINE if respondent else rng.choice(OFFLINE_METHODS)
            response_id = loader.new_id(SurveyResponse)
            loader.add(SurveyResponse, {"id": response_id, "survey_id": survey_id, "respondent_id": respondent,
                                        "invite_id": None, "method": method,
                                        "entered_by_id": None if respondent else staff.id, "created_at": at})
            overall = _score(rng, mean)
            for question_id, is_likert in likert:
                if is_likert:
                    score = overall if question_id == first else _score(rng, overall)
                    loader.add(SurveyAnswer, {"id": loader.new_id(SurveyAnswer), "response_id": response_id,
                                              "question_id": question_id, "score": score, "text": None})
                elif rng.random() < 0.3:
                    loader.add(SurveyAnswer, {"id": loader.new_id(SurveyAnswer), "response_id": response_id,
                                              "question_id": question_id, "score": None,
                                              "text": rng.choice(FREE_TEXT_ANSWERS)})
            # The log says that a response came in, not from whom (as submit_response writes it).
            loader.add_audit(audit_row(at, None if respondent else staff, "survey.response", "Survey", survey_id,
                                       None, details={"method": method.value, "with_code": False}))
        if closes or rng.random() < 0.5:
            scored = max(times[-1], min(times[-1] + timedelta(hours=rng.uniform(1, 48)), until - timedelta(hours=1)))
            values = {}
            for indicator_id in indicators:
                value = Decimal(rng.randint(65, 99))
                values[indicator_id] = value
                loader.add(IndicatorScore, {"id": loader.new_id(IndicatorScore), "project_id": p.id,
                                            "indicator_id": indicator_id, "evaluator_id": staff.id, "score": value,
                                            "scored_at": scored})
            audit(scored, staff, "evaluation.indicators", details={str(k): str(v) for k, v in values.items()})
        for step, decision, comments in (("rework_evaluation", ReviewDecision.REWORK, REWORK_COMMENTS),
                                         ("accept_evaluation", ReviewDecision.ACCEPT, ACCEPT_COMMENTS)):
            if step in p.times:
                comment = rng.choice(comments)
                loader.add(EvaluationReview, {"id": loader.new_id(EvaluationReview), "project_id": p.id,
                                              "decision": decision, "comment": comment, "reviewer_id": committee.id,
                                              "created_at": p.times[step]})
                audit(p.times[step], committee, f"project.{step}", S.EVALUATING,
                      S.EVALUATED if decision == ReviewDecision.ACCEPT else S.EVALUATING, comment)
