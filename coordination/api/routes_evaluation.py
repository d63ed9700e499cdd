"""API: evaluation — surveys, invitation codes, responses, indicator scores, review; statistics."""

from __future__ import annotations

from flask_babel import gettext as _

from coordination.api import api
from coordination.api.errors import ApiError
from coordination.api.schemas.common import Page
from coordination.api.schemas.common import PageQuery
from coordination.api.schemas.evaluation import EvaluationOut
from coordination.api.schemas.evaluation import InvitesBody
from coordination.api.schemas.evaluation import InvitesOut
from coordination.api.schemas.evaluation import MySurveyOut
from coordination.api.schemas.evaluation import OpenEvaluationBody
from coordination.api.schemas.evaluation import QuestionOut
from coordination.api.schemas.evaluation import ResponseBody
from coordination.api.schemas.evaluation import ResponseOut
from coordination.api.schemas.evaluation import ReviewBody
from coordination.api.schemas.evaluation import ReviewOut
from coordination.api.schemas.evaluation import ScoresBody
from coordination.api.schemas.evaluation import SurveyOut
from coordination.api.schemas.evaluation import SurveyQuery
from coordination.api.schemas.evaluation import SurveyRef
from coordination.api.schemas.stats import StatsOut
from coordination.api.spec import ANYONE
from coordination.evaluation import operations
from coordination.evaluation import permissions
from coordination.evaluation import presenters
from coordination.evaluation import queries
from coordination.evaluation.enums import ReviewDecision
from coordination.evaluation.models import Survey
from coordination.evaluation.rules import EVALUATION_WORKFLOW
from coordination.evaluation.rules import SURVEY_WORKFLOW
from coordination.evaluation.rules import EvaluationStep
from coordination.evaluation.rules import SurveyStep
from coordination.extensions import db
from coordination.portal.queries import summary
from coordination.projects.models import Project
from coordination.projects.queries import visible_project


def load_survey(survey_id: int) -> Survey:
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        raise ApiError(404, "not_found", _("There is no such survey."))
    return survey


@api.route("POST", "/projects/<int:project_id>/evaluation/open",
           summary="Open the evaluation: a satisfaction survey from the template or given questions",
           body=OpenEvaluationBody, response=SurveyRef, roles=EVALUATION_WORKFLOW.roles(EvaluationStep.OPEN_EVALUATION),
           errors=(409,), tags=("evaluation",))
def open_evaluation(user, project_id: int, body: OpenEvaluationBody):
    visible_project(user, project_id)
    questions = [q.model_dump() for q in body.questions] if body.questions is not None else None
    survey = operations.open_evaluation(user, project_id, questions, body.closes_on)
    return SurveyRef(survey_id=survey.id)


@api.route("GET", "/surveys/<int:survey_id>", summary="A survey's questions (for those who may answer it)",
           query=SurveyQuery, response=SurveyOut, auth=ANYONE, errors=(403,), tags=("evaluation",))
def get_survey(user, survey_id: int, query: SurveyQuery):
    survey = load_survey(survey_id)
    if not permissions.can_see_survey(user, survey, query.invite_code):
        if user is None:
            raise ApiError(401, "unauthorized", _("Log in, or use the invitation code you were given."))
        raise ApiError(403, "forbidden", _("Your role may not do this."))
    return SurveyOut(
        id=survey.id, project_id=survey.project_id, project_title=survey.project.title, status=survey.status.value,
        closes_on=survey.closes_on,
        questions=[QuestionOut(id=q.id, text=q.text, kind=q.kind.value, overall=q.overall) for q in survey.questions],
        answered_by_me=queries.has_answered(user, survey) if user is not None else None)


@api.route("GET", "/me/surveys", summary="The caller's surveys: invited to or answered, open ones first",
           query=PageQuery, response=Page[MySurveyOut], tags=("evaluation",))
def my_surveys(user, query: PageQuery):
    items, total = presenters.my_surveys(user, query.page, query.per_page)
    return Page[MySurveyOut](items=[MySurveyOut(
        survey_id=item.survey_id, project_id=item.project_id, project_title=item.project_title, open=item.open,
        answered=item.answered, reason=item.reason, reason_label=str(item.reason.label) if item.reason else None,
        closes_on=item.closes_on, link=item.link) for item in items],
        total=total, page=query.page, per_page=query.per_page)


@api.route("POST", "/surveys/<int:survey_id>/invites", summary="One-time invitation codes for offline respondents",
           body=InvitesBody, response=InvitesOut, status=201, roles=SURVEY_WORKFLOW.roles(SurveyStep.INVITE), errors=(409,),
           tags=("evaluation",))
def create_invites(user, survey_id: int, body: InvitesBody):
    return InvitesOut(codes=operations.create_invites(user, load_survey(survey_id), body.count)), 201


@api.route("POST", "/surveys/<int:survey_id>/responses",
           summary="Answer a survey (online; with an invitation code; or staff entering paper and visits)",
           body=ResponseBody, response=ResponseOut, status=201, auth=ANYONE, errors=(401, 403, 409),
           tags=("evaluation",))
def respond(user, survey_id: int, body: ResponseBody):
    load_survey(survey_id)
    if user is None and not body.invite_code:
        raise ApiError(401, "unauthorized", _("Log in, or use the invitation code you were given."))
    answers = [operations.AnswerInput(question_id=a.question_id, score=a.score, text=a.text) for a in body.answers]
    response = operations.submit_response(user, survey_id, answers, invite_code=body.invite_code,
                                          method=body.method)
    return ResponseOut(id=response.id, survey_id=survey_id, method=response.method.value,
                       created_at=response.created_at), 201


@api.route("POST", "/projects/<int:project_id>/indicator-scores", summary="Score indicators 0–100 (evaluators)",
           body=ScoresBody, response=EvaluationOut, roles=EVALUATION_WORKFLOW.roles(EvaluationStep.SCORE_INDICATORS),
           errors=(409,), tags=("evaluation",))
def score_indicators(user, project_id: int, body: ScoresBody):
    visible_project(user, project_id)
    operations.score_indicators(user, project_id, [s.model_dump() for s in body.scores])
    return evaluation_out(user, db.session.get(Project, project_id))


def evaluation_out(user, project: Project) -> EvaluationOut:
    shown = presenters.evaluation(user, project)
    survey, result, latest, found = shown.survey, shown.result, shown.review, shown.details
    review = ReviewOut(decision=latest.decision.value, comment=latest.comment, by=latest.reviewer.display_name,
                       at=latest.created_at) if latest else None
    details = None
    if found is not None:
        details = {"questions": found.questions, "indicators": found.indicators, "methods": found.methods,
                   "texts": [{"question": question, "text": text} for question, text in found.texts]}
    return EvaluationOut(
        project_id=project.id, status=project.status.value, survey_id=survey.id if survey else None,
        survey_status=survey.status.value if survey else None,
        responses=result.responses if result else None,
        satisfaction_rate=result.satisfaction_rate if result else None,
        indicator_score=result.indicator_score if result else None,
        composite_score=result.composite_score if result else None, review=review, details=details)


@api.route("GET", "/projects/<int:project_id>/evaluation",
           summary="Evaluation results (public once accepted; details for staff and committees)",
           response=EvaluationOut, auth=ANYONE, tags=("evaluation",))
def get_evaluation(user, project_id: int):
    return evaluation_out(user, visible_project(user, project_id))


@api.route("POST", "/projects/<int:project_id>/evaluation/review",
           summary="The street Party working committee accepts the evaluation or sends it back",
           body=ReviewBody, response=EvaluationOut, roles=EVALUATION_WORKFLOW.roles(EvaluationStep.ACCEPT_EVALUATION),
           errors=(409,),
           tags=("evaluation",))
def review_evaluation(user, project_id: int, body: ReviewBody):
    visible_project(user, project_id)
    operations.review(user, project_id, ReviewDecision(body.decision), body.comment)
    return evaluation_out(user, db.session.get(Project, project_id))


@api.route("POST", "/surveys/<int:survey_id>/close",
           summary="Close a satisfaction survey (staff): nobody may answer it afterwards, and the street "
                   "committee may then accept the evaluation",
           response=EvaluationOut, roles=SURVEY_WORKFLOW.roles(SurveyStep.CLOSE), errors=(409,),
           tags=("evaluation",))
def close_survey(user, survey_id: int):
    survey = load_survey(survey_id)
    operations.close_survey(user, survey)
    return evaluation_out(user, db.session.get(Project, survey.project_id))


@api.route("GET", "/stats/summary", summary="Headline figures of the whole loop", response=StatsOut,
           auth=ANYONE, tags=("statistics",))
def stats_summary(user):
    return StatsOut(**summary())
