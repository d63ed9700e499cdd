"""Who may do what with needs; views, templates and the API ask these functions."""

from __future__ import annotations

from coordination.core.enums import Role
from coordination.core.permissions import has_role
from coordination.needs.rules import NEED_WORKFLOW
from coordination.needs.rules import SUPPORTABLE
from coordination.needs.rules import NeedStep


def can_submit_need(user) -> bool:
    return has_role(user, Role.RESIDENT, Role.WORKER, Role.STAFF)


def can_record_offline(user) -> bool:
    """Record needs from the meeting hall, reception room, visits and hotline; import them."""
    return has_role(user, Role.STAFF)


can_accept_need = NEED_WORKFLOW.permission(NeedStep.ACCEPT)
can_reject_need = NEED_WORKFLOW.permission(NeedStep.REJECT)
can_merge_need = NEED_WORKFLOW.permission(NeedStep.MERGE)
TRIAGE_STEPS = (NeedStep.ACCEPT, NeedStep.REJECT, NeedStep.MERGE)


def can_triage(user, need=None) -> bool:
    """May the person take any triage step (on ``need``, or on needs at all)?"""
    return any(NEED_WORKFLOW.can(user, need, step) for step in TRIAGE_STEPS)


def can_moderate(user) -> bool:
    return has_role(user, Role.STAFF)


def is_submitter(user, need) -> bool:
    return bool(getattr(user, "is_authenticated", False) and need.submitter_id == user.id)


def can_view_need(user, need) -> bool:
    """Hidden needs vanish for everyone but staff."""
    return not need.hidden or can_moderate(user)


def can_support(user, need) -> bool:
    return (has_role(user, Role.RESIDENT, Role.WORKER) and not need.hidden
            and need.status in SUPPORTABLE and not is_submitter(user, need))


def can_follow(user, need) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and can_view_need(user, need)


def can_report(user, need) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and not need.hidden


def can_see_contact(user, need) -> bool:
    """The requester's phone and e-mail: staff only."""
    return has_role(user, Role.STAFF, Role.ADMIN)


def can_see_submitter(user, need) -> bool:
    """The submitter's name: shown publicly only if they chose so."""
    return need.show_submitter or is_submitter(user, need) or has_role(user, Role.STAFF, Role.ADMIN)


def can_see_rejection_reason(user, need) -> bool:
    return is_submitter(user, need) or has_role(user, Role.STAFF, Role.ADMIN)
