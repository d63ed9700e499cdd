"""Who may answer surveys and see evaluation results."""

from __future__ import annotations

from coordination.core.enums import ProjectStatus, Role
from coordination.core.permissions import has_role


def may_see_survey(user, survey, invite_code: str | None = None) -> bool:
    if has_role(user, Role.RESIDENT, Role.WORKER, Role.STAFF, Role.STREET_COMMITTEE, Role.ADMIN):
        return True
    if invite_code:
        from coordination.evaluation.queries import invite_is_usable

        return invite_is_usable(survey, invite_code)
    return False


def may_answer_online(user) -> bool:
    return has_role(user, Role.RESIDENT, Role.WORKER)


def may_enter_offline(user) -> bool:
    return has_role(user, Role.STAFF)


def may_see_details(user) -> bool:
    """Per-question figures, indicator scores and free-text answers (which may hold personal
    data): staff and the committees (API.md), and administrators; not the council."""
    return has_role(user, Role.STAFF, Role.COMMUNITY_COMMITTEE, Role.STREET_COMMITTEE, Role.ADMIN)


def may_see_results(user, project) -> bool:
    """Results become public when the street committee accepts the evaluation."""
    return project.status == ProjectStatus.EVALUATED or may_see_details(user)


def may_score(user) -> bool:
    return has_role(user, Role.STAFF)


def may_review(user, project) -> bool:
    return has_role(user, Role.STREET_COMMITTEE) and project.status == ProjectStatus.EVALUATING
