"""Who may answer surveys, take the evaluation's steps and see its results; views, templates and
the API ask these functions. The ``can_<step>`` functions are read from ``evaluation/rules.py``."""

from __future__ import annotations

from coordination.core.enums import Role
from coordination.core.permissions import has_role
from coordination.evaluation.queries import invite_is_usable
from coordination.evaluation.rules import EVALUATION_WORKFLOW
from coordination.evaluation.rules import SELECTION_WORKFLOW
from coordination.evaluation.rules import SURVEY_WORKFLOW
from coordination.evaluation.rules import EvaluationStep
from coordination.evaluation.rules import SelectionStep
from coordination.evaluation.rules import SurveyStep
from coordination.projects.enums import ProjectStatus

# Who answers a survey online (and so who is invited to one).
ANSWERING_ROLES = (Role.RESIDENT, Role.WORKER)

can_open_evaluation = EVALUATION_WORKFLOW.permission(EvaluationStep.OPEN_EVALUATION)
can_score_indicators = EVALUATION_WORKFLOW.permission(EvaluationStep.SCORE_INDICATORS)
can_accept_evaluation = EVALUATION_WORKFLOW.permission(EvaluationStep.ACCEPT_EVALUATION)
can_send_back_evaluation = EVALUATION_WORKFLOW.permission(EvaluationStep.SEND_BACK_EVALUATION)
can_create_invites = SURVEY_WORKFLOW.permission(SurveyStep.INVITE)
can_close_survey = SURVEY_WORKFLOW.permission(SurveyStep.CLOSE)
can_open_selection = SELECTION_WORKFLOW.permission(SelectionStep.OPEN)
can_vote_in_selection = SELECTION_WORKFLOW.permission(SelectionStep.VOTE)
can_close_selection = SELECTION_WORKFLOW.permission(SelectionStep.CLOSE)


def can_review_evaluation(user, project=None) -> bool:
    """May the person take one of the street committee's two review steps now?"""
    return can_accept_evaluation(user, project) or can_send_back_evaluation(user, project)


def can_see_survey(user, survey, invite_code: str | None = None) -> bool:
    if has_role(user, Role.RESIDENT, Role.WORKER, Role.STAFF, Role.STREET_COMMITTEE, Role.ADMIN):
        return True
    return bool(invite_code) and invite_is_usable(survey, invite_code)


def can_answer_online(user) -> bool:
    return has_role(user, *ANSWERING_ROLES)


def can_enter_offline(user) -> bool:
    """Paper questionnaires and household visits are entered by staff."""
    return has_role(user, Role.STAFF)


def can_see_details(user) -> bool:
    """Per-question figures, indicator scores and free-text answers (which may hold personal
    data): staff and the committees (API.md), and administrators; not the council."""
    return has_role(user, Role.STAFF, Role.COMMUNITY_COMMITTEE, Role.STREET_COMMITTEE, Role.ADMIN)


def can_see_results(user, project) -> bool:
    """Results become public when the street committee accepts the evaluation."""
    return project.status == ProjectStatus.EVALUATED or can_see_details(user)
