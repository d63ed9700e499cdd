"""The project status machine (DESIGN.md §3.2), defined once: every step, who may take it,
and what it needs. Web pages, the API and the tests all read this table.

  draft →(staff: propose)→ proposed →(council votes)→ resolved | rejected
  resolved →(community committee)→ published | draft (returned) | rejected
  published →(unit_rep: claim)→ claimed →(lead unit_rep: complete)→ completed
  claimed →(staff: release, with a reason)→ published
  completed →(staff: open evaluation)→ evaluating →(street committee: accept)→ evaluated
  evaluating →(street committee: send back)→ evaluating, with a rework request
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coordination.core.enums import ProjectStatus as S
from coordination.core.enums import Role
from coordination.core.errors import Conflict, Forbidden
from coordination.core.permissions import has_role


@dataclass(frozen=True)
class Step:
    name: str
    source: S
    target: S
    roles: frozenset[Role]  # empty: taken by the system (the council's tally)
    label: object
    needs_comment: bool = False
    lead_only: bool = False  # only a representative of the lead unit


STEPS: tuple[Step, ...] = (
    Step("propose", S.DRAFT, S.PROPOSED, frozenset({Role.STAFF}), _l("Propose to the council")),
    Step("resolve", S.PROPOSED, S.RESOLVED, frozenset(), _l("Resolved by the council's vote")),
    Step("council_reject", S.PROPOSED, S.REJECTED, frozenset(), _l("Rejected by the council's vote")),
    Step("approve", S.RESOLVED, S.PUBLISHED, frozenset({Role.COMMUNITY_COMMITTEE}), _l("Approve and publish")),
    Step("return", S.RESOLVED, S.DRAFT, frozenset({Role.COMMUNITY_COMMITTEE}), _l("Return to draft"),
         needs_comment=True),
    Step("reject", S.RESOLVED, S.REJECTED, frozenset({Role.COMMUNITY_COMMITTEE}), _l("Do not approve"),
         needs_comment=True),
    Step("claim", S.PUBLISHED, S.CLAIMED, frozenset({Role.UNIT_REP}), _l("Claim for my unit")),
    Step("release", S.CLAIMED, S.PUBLISHED, frozenset({Role.STAFF}), _l("Release the claim"), needs_comment=True),
    Step("complete", S.CLAIMED, S.COMPLETED, frozenset({Role.UNIT_REP}), _l("Complete"), needs_comment=True,
         lead_only=True),
    Step("open_evaluation", S.COMPLETED, S.EVALUATING, frozenset({Role.STAFF}), _l("Open the evaluation")),
    Step("accept_evaluation", S.EVALUATING, S.EVALUATED, frozenset({Role.STREET_COMMITTEE}),
         _l("Accept the evaluation")),
    Step("rework_evaluation", S.EVALUATING, S.EVALUATING, frozenset({Role.STREET_COMMITTEE}),
         _l("Send the evaluation back"), needs_comment=True),
)
BY_NAME = {step.name: step for step in STEPS}

# Other actions that need a status but do not change it.
ACTIONS: dict[str, tuple[frozenset[S], frozenset[Role]]] = {
    "edit": (frozenset({S.DRAFT}), frozenset({Role.STAFF})),
    "vote": (frozenset({S.PROPOSED}), frozenset({Role.COUNCIL})),
    "join": (frozenset({S.CLAIMED}), frozenset({Role.UNIT_REP})),
    "progress": (frozenset({S.CLAIMED}), frozenset({Role.UNIT_REP})),
}


def step(name: str) -> Step:
    return BY_NAME[name]


def check_step(user, project, name: str) -> Step:
    """The step, if ``user`` may take it now; else Forbidden (403) or Conflict (409)."""
    current = BY_NAME[name]
    if current.roles and not has_role(user, *current.roles):
        raise Forbidden(_("Your role may not do this."))
    if project.status != current.source:
        raise Conflict(
            _("The project is “%(status)s”; this step is not possible now.", status=project.status.label),
            current_status=project.status.value,
        )
    return current


def check_action(user, project, name: str) -> None:
    statuses, roles = ACTIONS[name]
    if not has_role(user, *roles):
        raise Forbidden(_("Your role may not do this."))
    if project.status not in statuses:
        raise Conflict(
            _("The project is “%(status)s”; this step is not possible now.", status=project.status.label),
            current_status=project.status.value,
        )


def steps_from(status: S) -> list[Step]:
    return [s for s in STEPS if s.source == status]
