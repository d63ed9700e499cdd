"""The sign-up's steps (DESIGN.md: volunteers), defined once: who may take each, from which
status of the sign-up, and in which statuses of its project.

  (new) | withdrawn →(resident, worker: sign up)→ signed_up →(the volunteer: withdraw)→ withdrawn
  signed_up →(lead unit: tick | the volunteer: scan the lead's code of the day)→ checked_in
  checked_in →(lead unit: record the hours of a day)→ checked_in

A sign-up holds one of the project's volunteer places until it is withdrawn; it cannot be
withdrawn once checked in.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coordination.core.enums import Role
from coordination.core.workflow import Notice
from coordination.core.workflow import Workflow
from coordination.core.workflow import step
from coordination.projects.enums import ProjectStatus as P
from coordination.projects.rules import is_lead_rep
from coordination.volunteers.enums import SignupStatus as S
from coordination.volunteers.enums import VolunteerStep

VOLUNTEER = "volunteer"
AUDIENCES = {VOLUNTEER: lambda signup: [signup.profile.user]}


def is_own(user, signup) -> bool:
    """Is ``signup`` the person's own?"""
    return signup.profile.user_id == getattr(user, "id", None)


def leads(user, signup) -> bool:
    return is_lead_rep(user, signup.project)


_LEAD = {"guard": leads, "guard_message": _l("Only the lead unit checks volunteers in and records their hours.")}
_OWN = {"guard": is_own, "guard_message": _l("This is another volunteer's sign-up.")}

STEPS = (
    step(VolunteerStep.SIGN_UP, S.WITHDRAWN, S.SIGNED_UP, Role.RESIDENT, Role.WORKER),
    step(VolunteerStep.WITHDRAW, S.SIGNED_UP, S.WITHDRAWN, Role.RESIDENT, Role.WORKER, **_OWN),
    step(VolunteerStep.CHECK_IN, S.SIGNED_UP, S.CHECKED_IN, Role.UNIT_REP, **_LEAD),
    step(VolunteerStep.SCAN_IN, S.SIGNED_UP, S.CHECKED_IN, Role.RESIDENT, Role.WORKER, **_OWN,
         audit_action="volunteer_signup.check_in"),
    step(VolunteerStep.RECORD_HOURS, S.CHECKED_IN, None, Role.UNIT_REP, **_LEAD,
         notices=(Notice("volunteer.hours", VOLUNTEER),)),
)

# The statuses of the project in which each step may be taken (otherwise 409).
PROJECT_STATUSES = {
    VolunteerStep.SIGN_UP: (P.PUBLISHED, P.CLAIMED),
    VolunteerStep.WITHDRAW: (P.PUBLISHED, P.CLAIMED),
    VolunteerStep.CHECK_IN: (P.CLAIMED, P.COMPLETED),
    VolunteerStep.SCAN_IN: (P.CLAIMED,),
    VolunteerStep.RECORD_HOURS: (P.CLAIMED, P.COMPLETED),
}


def project_allows(project, step: VolunteerStep) -> bool:
    return project.status in PROJECT_STATUSES[step]


def _payload(signup) -> dict:
    return {"link": f"/projects/{signup.project_id}", "title": signup.project.title}


def conflict_message(signup, transition=None) -> str:
    return _("Your sign-up is “%(status)s”; this step is not possible now.", status=signup.status.label)


SIGNUP_WORKFLOW: Workflow[VolunteerStep, S] = Workflow(
    "volunteer_signup", STEPS, audiences=AUDIENCES, payload=_payload, conflict=conflict_message,
    report_status=False)
