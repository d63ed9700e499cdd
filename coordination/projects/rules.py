"""The project status machine (DESIGN.md §3.2), defined once: every step, who may take it,
what it needs and who is told. Web pages, the API and the tests all read this table.

  draft →(staff: propose)→ proposed →(council votes)→ resolved | rejected
  resolved →(community committee)→ published | draft (returned) | rejected
  published →(unit_rep: claim)→ claimed →(lead unit_rep: complete)→ completed
  claimed →(staff: release, with a reason)→ published

From ``completed`` on, the evaluation domain's own table (``evaluation/rules.py``) goes on.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coordination.accounts.queries import users_with
from coordination.core.enums import Role
from coordination.core.workflow import Notice
from coordination.core.workflow import Workflow
from coordination.core.workflow import step
from coordination.projects import queries
from coordination.projects.enums import ProjectStatus as S
from coordination.projects.enums import ProjectStep

# Who is told (resolved per project by ``projects/queries.py``).
FOLLOWERS, STAFF, COUNCIL, COMMITTEE, AREA_UNITS, LEAD_UNIT = (
    "followers", "staff", "council", "community_committee", "area_units", "lead_unit")
AUDIENCES = {  # looked up when a step is taken (queries itself asks ``permissions``, which reads this table)
    FOLLOWERS: lambda project: queries.need_followers(project),
    STAFF: lambda project: users_with(Role.STAFF),
    COUNCIL: lambda project: queries.council_members(project),
    COMMITTEE: lambda project: users_with(Role.COMMUNITY_COMMITTEE),
    AREA_UNITS: lambda project: queries.area_unit_reps(project),
    LEAD_UNIT: lambda project: queries.lead_unit_reps(project),
}

STATUS_TO_FOLLOWERS = Notice("project.status", FOLLOWERS)
STATUS_TO_STAFF = Notice("project.status", STAFF)


def is_lead_rep(user, project) -> bool:
    """Is ``user`` a representative of the unit that leads ``project``?"""
    return (user is not None and getattr(user, "is_authenticated", False) and user.has_role(Role.UNIT_REP)
            and project.lead_unit_id is not None and user.unit_id == project.lead_unit_id)


def has_unit(user, project) -> bool:
    return user.unit_id is not None


_NO_UNIT = {"guard": has_unit, "guard_message": _l("Your account is not linked to a member unit.")}

STEPS = (
    step(ProjectStep.UPDATE, S.DRAFT, None, Role.STAFF),
    step(ProjectStep.PROPOSE, S.DRAFT, S.PROPOSED, Role.STAFF,
         notices=(STATUS_TO_FOLLOWERS, Notice("project.vote_needed", COUNCIL, to_actor=True))),
    step(ProjectStep.VOTE, S.PROPOSED, None, Role.COUNCIL),
    step(ProjectStep.RESOLVE, S.PROPOSED, S.RESOLVED,
         notices=(STATUS_TO_FOLLOWERS, Notice("project.decision_needed", COMMITTEE))),
    step(ProjectStep.COUNCIL_REJECT, S.PROPOSED, S.REJECTED, notices=(STATUS_TO_FOLLOWERS, STATUS_TO_STAFF)),
    step(ProjectStep.APPROVE, S.RESOLVED, S.PUBLISHED, Role.COMMUNITY_COMMITTEE,
         notices=(STATUS_TO_FOLLOWERS, Notice("project.published", AREA_UNITS))),
    step(ProjectStep.RETURN, S.RESOLVED, S.DRAFT, Role.COMMUNITY_COMMITTEE, needs_comment=True,
         notices=(STATUS_TO_FOLLOWERS, STATUS_TO_STAFF)),
    step(ProjectStep.REJECT, S.RESOLVED, S.REJECTED, Role.COMMUNITY_COMMITTEE, needs_comment=True,
         notices=(STATUS_TO_FOLLOWERS, STATUS_TO_STAFF)),
    step(ProjectStep.CLAIM, S.PUBLISHED, S.CLAIMED, Role.UNIT_REP, **_NO_UNIT,
         notices=(Notice("project.claimed", STAFF), Notice("project.claimed", FOLLOWERS))),
    step(ProjectStep.JOIN, S.CLAIMED, None, Role.UNIT_REP, **_NO_UNIT),
    step(ProjectStep.PROGRESS, S.CLAIMED, None, Role.UNIT_REP, guard=is_lead_rep,
         guard_message=_l("Only the lead unit reports progress.")),
    step(ProjectStep.RELEASE, S.CLAIMED, S.PUBLISHED, Role.STAFF, needs_comment=True,
         notices=(STATUS_TO_FOLLOWERS, Notice("project.released", LEAD_UNIT))),
    step(ProjectStep.COMPLETE, S.CLAIMED, S.COMPLETED, Role.UNIT_REP, needs_comment=True, guard=is_lead_rep,
         guard_message=_l("Only the lead unit completes the project."),
         notices=(STATUS_TO_FOLLOWERS, STATUS_TO_STAFF)),
)

# The community committee's decision on a resolution: one choice of three steps.
DECISIONS = (ProjectStep.APPROVE, ProjectStep.RETURN, ProjectStep.REJECT)


def project_link(project) -> str:
    return f"/projects/{project.id}"


def _payload(project) -> dict:
    return {"link": project_link(project), "title": project.title}


def conflict_message(project, transition=None) -> str:
    return _("The project is “%(status)s”; this step is not possible now.", status=project.status.label)


PROJECT_WORKFLOW: Workflow[ProjectStep, S] = Workflow("project", STEPS, audiences=AUDIENCES, payload=_payload,
                                                      conflict=conflict_message)
