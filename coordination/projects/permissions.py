"""Who may do what with projects; views, templates and the API ask these functions.

The ``can_<step>`` functions are read from the step table (``projects/rules.py``)."""

from __future__ import annotations

from coordination.core.enums import Role
from coordination.core.permissions import has_role
from coordination.projects.enums import ProjectStatus
from coordination.projects.rules import PROJECT_WORKFLOW
from coordination.projects.rules import ProjectStep
from coordination.projects.rules import is_lead_rep as is_lead_rep  # asked by pages and the API too

can_update_project = PROJECT_WORKFLOW.permission(ProjectStep.UPDATE)
can_propose_project = PROJECT_WORKFLOW.permission(ProjectStep.PROPOSE)
can_vote_on_project = PROJECT_WORKFLOW.permission(ProjectStep.VOTE)
can_approve_project = PROJECT_WORKFLOW.permission(ProjectStep.APPROVE)
can_return_project = PROJECT_WORKFLOW.permission(ProjectStep.RETURN)
can_reject_project = PROJECT_WORKFLOW.permission(ProjectStep.REJECT)
can_claim_project = PROJECT_WORKFLOW.permission(ProjectStep.CLAIM)
can_release_project = PROJECT_WORKFLOW.permission(ProjectStep.RELEASE)
can_report_progress = PROJECT_WORKFLOW.permission(ProjectStep.PROGRESS)
can_complete_project = PROJECT_WORKFLOW.permission(ProjectStep.COMPLETE)


def can_decide_project(user, project=None) -> bool:
    """May the person take one of the community committee's three decisions?"""
    return can_approve_project(user, project)


def can_join_project(user, project) -> bool:
    """A unit other than the lead, not yet a partner, may join a claimed project."""
    return (PROJECT_WORKFLOW.can(user, project, ProjectStep.JOIN) and user.unit_id != project.lead_unit_id
            and user.unit_id not in {p.unit_id for p in project.partners})


def can_create(user) -> bool:
    return has_role(user, Role.STAFF)


def can_view(user, project) -> bool:
    """Drafts and proposals are internal; the public sees the project list from publication on."""
    if project.status in ProjectStatus.public():
        return True
    return has_role(user, Role.STAFF, Role.COUNCIL, Role.COMMUNITY_COMMITTEE, Role.STREET_COMMITTEE, Role.ADMIN)


def can_see_votes(user) -> bool:
    return has_role(user, Role.STAFF, Role.COUNCIL, Role.COMMUNITY_COMMITTEE, Role.STREET_COMMITTEE, Role.ADMIN)


def can_see_tasks(user) -> bool:
    """The projects' to-do list: every role with a queue there."""
    return has_role(user, Role.STAFF, Role.COUNCIL, Role.COMMUNITY_COMMITTEE, Role.UNIT_REP, Role.STREET_COMMITTEE)


def can_filter_overdue(user) -> bool:
    """The project list's "only overdue projects" filter: staff, who follow them up."""
    return has_role(user, Role.STAFF)
