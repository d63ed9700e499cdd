"""Who may do what with projects; views, templates and the API ask these functions."""

from __future__ import annotations

from coordination.core.enums import ProjectStatus, Role
from coordination.core.errors import DomainError
from coordination.core.permissions import has_role
from coordination.projects import rules


def can_take(user, project, step_name: str) -> bool:
    try:
        rules.check_step(user, project, step_name)
    except DomainError:
        return False
    step = rules.step(step_name)
    if step.lead_only and not is_lead_rep(user, project):
        return False
    return True


def can_do(user, project, action: str) -> bool:
    try:
        rules.check_action(user, project, action)
    except DomainError:
        return False
    if action == "progress":
        return is_lead_rep(user, project)
    if action == "join":
        return (user.unit_id is not None and user.unit_id != project.lead_unit_id
                and user.unit_id not in {p.unit_id for p in project.partners})
    return True


def can_create(user) -> bool:
    return has_role(user, Role.STAFF)


def is_lead_rep(user, project) -> bool:
    return (has_role(user, Role.UNIT_REP) and project.lead_unit_id is not None
            and user.unit_id == project.lead_unit_id)


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
