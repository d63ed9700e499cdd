"""The status rules of a need (DESIGN.md §3.1), defined once.

  submitted →(staff: accept, with a category)→ accepted
  submitted →(staff: reject, with a reason)→ rejected
  submitted →(staff: merge into another need)→ merged
  accepted →(a project built on it is approved)→ in_project →(that project is completed)→ fulfilled

Staff take the first three (``operations.accept_need``, ``reject_need``, ``merge_need``); the
projects domain takes the last two when its own steps happen (``operations.move_by_project``).
Every status change tells the need's followers: a rejection tells the submitter why (the others
only that it was not accepted), a merge sends them to the need it joined.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coordination.core.enums import Role
from coordination.core.workflow import Notice
from coordination.core.workflow import Workflow
from coordination.core.workflow import step
from coordination.needs import queries  # its functions are looked up when a step is taken
from coordination.needs.enums import NeedStatus as S
from coordination.needs.enums import NeedStep

# Who may support a need, and until when.
SUPPORTABLE = frozenset({S.SUBMITTED, S.ACCEPTED, S.IN_PROJECT})


FOLLOWERS, SUBMITTER, OTHER_FOLLOWERS = "followers", "submitter", "other_followers"
_TOLD = (Notice("need.status", FOLLOWERS),)
_BY_STAFF = {"forbidden_message": _l("Only association staff triage needs.")}
_BY_PROJECT = {"notices": _TOLD, "audit_action": "need.status"}
# A rejection's reason is for the submitter (and staff); the need's other followers hear of the new status.
_REJECTED = (Notice("need.rejected", SUBMITTER), Notice("need.status", OTHER_FOLLOWERS, withheld=("reason",)))

STEPS = (
    step(NeedStep.ACCEPT, S.SUBMITTED, S.ACCEPTED, Role.STAFF, notices=_TOLD, **_BY_STAFF),
    step(NeedStep.REJECT, S.SUBMITTED, S.REJECTED, Role.STAFF, needs_comment=True, notices=_REJECTED, **_BY_STAFF),
    step(NeedStep.MERGE, S.SUBMITTED, S.MERGED, Role.STAFF, notices=(Notice("need.merged", FOLLOWERS),), **_BY_STAFF),
    step(NeedStep.ENTER_PROJECT, S.ACCEPTED, S.IN_PROJECT, **_BY_PROJECT),
    step(NeedStep.FULFIL, S.IN_PROJECT, S.FULFILLED, **_BY_PROJECT),
)


def _conflict(need, transition) -> str:
    return _("This need is “%(status)s”; it cannot become “%(target)s”.",
             status=need.status.label, target=transition.target.label)


def _payload(need) -> dict:
    return {"link": need_link(need), "title": need.title}


def need_link(need) -> str:
    """The path of a need's page (no request needed, so commands can notify too)."""
    return f"/needs/{need.id}"


def _submitter(need) -> list:
    return [need.submitter] if need.submitter is not None else []


def _other_followers(need) -> list:
    return [person for person in queries.followers(need) if person.id != need.submitter_id]


NEED_WORKFLOW: Workflow[NeedStep, S] = Workflow(
    "need", STEPS, audiences={FOLLOWERS: lambda need: queries.followers(need), SUBMITTER: _submitter,
                              OTHER_FOLLOWERS: _other_followers},
    payload=_payload, conflict=_conflict)


def can_move(current: S, target: S) -> bool:
    """Is there a step from ``current`` to ``target``? (The state-machine tests ask this.)"""
    return any(current in t.source and t.target == target for t in NEED_WORKFLOW)
