"""Who may do what with volunteers; views, templates and the API ask these functions.

The ``can_<step>`` functions are read from the step table (``volunteers/rules.py``) and the
statuses of the project it allows."""

from __future__ import annotations

from coordination.core.enums import Role
from coordination.core.permissions import has_role
from coordination.volunteers.enums import SignupStatus
from coordination.volunteers.enums import VolunteerStep
from coordination.volunteers.rules import SIGNUP_WORKFLOW
from coordination.volunteers.rules import is_lead_rep
from coordination.volunteers.rules import project_allows


def _step(step: VolunteerStep):
    def can(user, signup=None) -> bool:
        if signup is None:
            return SIGNUP_WORKFLOW.can(user, None, step)
        return SIGNUP_WORKFLOW.can(user, signup, step) and project_allows(signup.project, step)

    can.__name__ = f"can_{step.value}"
    return can


can_withdraw = _step(VolunteerStep.WITHDRAW)
can_check_in = _step(VolunteerStep.CHECK_IN)
can_scan_in = _step(VolunteerStep.SCAN_IN)
can_record_hours = _step(VolunteerStep.RECORD_HOURS)


def can_keep_profile(user) -> bool:
    """Residents and office workers keep a volunteer profile (三亮)."""
    return has_role(user, *SIGNUP_WORKFLOW.roles(VolunteerStep.SIGN_UP))


def can_sign_up(user, project, signup=None) -> bool:
    """May the person sign up on ``project`` now (``signup``: their sign-up there, if any)?"""
    if not SIGNUP_WORKFLOW.can(user, None, VolunteerStep.SIGN_UP) or not project_allows(project, VolunteerStep.SIGN_UP):
        return False
    return signup is None or signup.status == SignupStatus.WITHDRAWN


def can_see_directory(user) -> bool:
    """The directory of public volunteer profiles: staff and member units' contacts."""
    return has_role(user, Role.STAFF, Role.UNIT_REP)


def can_see_roster(user, project) -> bool:
    """The project's sign-ups with names: staff, and the contacts of its lead and partner units."""
    if has_role(user, Role.STAFF):
        return True
    if not has_role(user, Role.UNIT_REP) or user.unit_id is None:
        return False
    return user.unit_id == project.lead_unit_id or user.unit_id in {p.unit_id for p in project.partners}


def can_show_check_in_code(user, project) -> bool:
    """The lead unit shows the code of the day that volunteers scan to check in."""
    return is_lead_rep(user, project) and project_allows(project, VolunteerStep.SCAN_IN)
