"""The status rules of a need (DESIGN.md §3.1), defined once.

``submitted`` → ``accepted`` | ``rejected`` | ``merged`` (staff triage);
``accepted`` → ``in_project`` (a project built on it is approved) → ``fulfilled`` (that
project is completed). ``in_project`` → ``accepted`` when that project is rejected or
released before delivery.
"""

from __future__ import annotations

from flask_babel import gettext as _

from coordination.core.enums import NeedStatus as S
from coordination.core.errors import Conflict

TRANSITIONS: dict[S, frozenset[S]] = {
    S.SUBMITTED: frozenset({S.ACCEPTED, S.REJECTED, S.MERGED}),
    S.ACCEPTED: frozenset({S.IN_PROJECT}),
    S.IN_PROJECT: frozenset({S.FULFILLED, S.ACCEPTED}),
    S.REJECTED: frozenset(),
    S.MERGED: frozenset(),
    S.FULFILLED: frozenset(),
}

# Who may support a need, and until when.
SUPPORTABLE = frozenset({S.SUBMITTED, S.ACCEPTED, S.IN_PROJECT})


def can_move(current: S, target: S) -> bool:
    return target in TRANSITIONS[current]


def check_move(need, target: S) -> None:
    """Raise ``Conflict`` (409) naming the current status when the move is not allowed."""
    if not can_move(need.status, target):
        raise Conflict(
            _("This need is “%(status)s”; it cannot become “%(target)s”.",
              status=need.status.label, target=target.label),
            current_status=need.status.value,
        )
