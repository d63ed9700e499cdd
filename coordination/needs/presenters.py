"""What the pages show of a need, decided once for the person reading it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from coordination.core.messages import note_text
from coordination.needs import permissions
from coordination.needs import queries
from coordination.needs.enums import NeedStatus

# Steps of the history that are not statuses of the need.
OTHER_STEPS = {"hidden": _l("Hidden"), "visible": _l("Visible again")}
MERGED_IN = _l("Another need was merged into this one")


@dataclass(frozen=True)
class HistoryEntry:
    """One step of a need's history as a page prints it."""

    label: str
    at: datetime
    by: str | None  # who took the step, where it is shown
    comment: str | None  # its note, where the reader may see it


def _step_label(state: str | None) -> str:
    if not state:
        return MERGED_IN
    if state in OTHER_STEPS:
        return OTHER_STEPS[state]
    try:
        return NeedStatus(state).label
    except ValueError:
        return state


def history(user, need) -> list[HistoryEntry]:
    """The need's history as ``user`` may read it: why it was not accepted only for those who
    may see the rejection reason; the submitter's own name never (the need shows it where
    they chose so)."""
    see_reason = permissions.can_see_rejection_reason(user, need)
    entries = []
    for record in queries.history(need):
        hidden_reason = record.to_state == NeedStatus.REJECTED and not see_reason
        entries.append(HistoryEntry(
            label=_step_label(record.to_state), at=record.at,
            by=None if record.action == "need.submit" else record.actor_name,
            comment=None if hidden_reason else note_text(record)))
    return entries
