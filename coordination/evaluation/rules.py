"""The evaluation's status rules (DESIGN.md §3.3), defined once: the project's steps from
completion on, its satisfaction survey, and the annual selection.

  project:   completed →(staff: open the evaluation)→ evaluating
             evaluating →(street committee: accept)→ evaluated
             evaluating →(street committee: send back, saying why)→ evaluating
             evaluating: staff score the indicators
             opening it invites the people the project served (``operations.invite_people_served``)
  survey:    open →(staff: close)→ closed
  selection: (street committee: open) → open; residents and workers cast a ballot while open;
             open →(street committee: close)→ closed (the results are published)
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coordination.accounts.queries import users_with
from coordination.core.enums import Role
from coordination.core.workflow import Notice
from coordination.core.workflow import Workflow
from coordination.core.workflow import step
from coordination.evaluation import queries
from coordination.evaluation.enums import EvaluationStep
from coordination.evaluation.enums import SelectionStatus
from coordination.evaluation.enums import SelectionStep
from coordination.evaluation.enums import SurveyStatus
from coordination.evaluation.enums import SurveyStep
from coordination.projects.enums import ProjectStatus
from coordination.projects.queries import need_followers
from coordination.projects.rules import conflict_message

FOLLOWERS, INVITEES, STAFF, VOTERS = "followers", "invitees", "staff", "voters"
REVIEWED = Notice("evaluation.reviewed", STAFF)


def _conflict(project, transition) -> str:
    if transition.step is EvaluationStep.SCORE_INDICATORS:
        return _("Indicators are scored while the project is being evaluated.")
    return conflict_message(project)


def evaluation_link(project) -> str:
    return f"/projects/{project.id}/evaluation"


EVALUATION_WORKFLOW: Workflow[EvaluationStep, ProjectStatus] = Workflow(
    "project",
    (
        step(EvaluationStep.OPEN_EVALUATION, ProjectStatus.COMPLETED, ProjectStatus.EVALUATING, Role.STAFF,
             notices=(Notice("evaluation.invited", INVITEES),)),
        step(EvaluationStep.SCORE_INDICATORS, ProjectStatus.EVALUATING, None, Role.STAFF,
             audit_action="evaluation.indicators"),
        step(EvaluationStep.ACCEPT_EVALUATION, ProjectStatus.EVALUATING, ProjectStatus.EVALUATED,
             Role.STREET_COMMITTEE, notices=(REVIEWED, Notice("evaluation.reviewed", FOLLOWERS))),
        step(EvaluationStep.SEND_BACK_EVALUATION, ProjectStatus.EVALUATING, ProjectStatus.EVALUATING,
             Role.STREET_COMMITTEE, needs_comment=True, notices=(REVIEWED,)),
    ),
    audiences={FOLLOWERS: need_followers, INVITEES: queries.invitees,
               STAFF: lambda project: users_with(Role.STAFF)},
    payload=lambda project: {"link": evaluation_link(project), "title": project.title},
    conflict=_conflict,
)

SURVEY_WORKFLOW: Workflow[SurveyStep, SurveyStatus] = Workflow(
    "survey",
    (
        step(SurveyStep.INVITE, SurveyStatus.OPEN, None, Role.STAFF),
        step(SurveyStep.CLOSE, SurveyStatus.OPEN, SurveyStatus.CLOSED, Role.STAFF),
    ),
    conflict=lambda survey, transition: _("The survey is closed."), report_status=False,
)

SELECTION_WORKFLOW: Workflow[SelectionStep, SelectionStatus] = Workflow(
    "selection",
    (
        step(SelectionStep.OPEN, (), SelectionStatus.OPEN, Role.STREET_COMMITTEE,
             notices=(Notice("selection.opened", VOTERS),)),
        step(SelectionStep.VOTE, SelectionStatus.OPEN, None, Role.RESIDENT, Role.WORKER,
             forbidden_message=_l("Residents and office workers vote in the selection.")),
        step(SelectionStep.CLOSE, SelectionStatus.OPEN, SelectionStatus.CLOSED, Role.STREET_COMMITTEE),
    ),
    audiences={VOTERS: lambda selection: users_with(Role.RESIDENT, Role.WORKER)},
    payload=lambda selection: {"link": "/selection", "year": selection.year},
    conflict=lambda selection, transition: _("Voting has closed."), report_status=False,
)
