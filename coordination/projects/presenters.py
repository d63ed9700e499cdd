"""What the pages and the API show of a project, built once for both."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from coordination.core.messages import note_text
from coordination.projects.enums import ProjectStatus


@dataclass(frozen=True)
class HistoryEntry:
    """One step of a project's timeline."""

    from_state: ProjectStatus | None
    to_state: ProjectStatus
    by: str  # who took the step; the council's vote when nobody did
    at: datetime
    comment: str | None

    @property
    def label(self) -> str:
        return self.to_state.label


def history(records) -> list[HistoryEntry]:
    """A project's timeline from its audit records (``queries.history`` or ``list_details``)."""
    return [HistoryEntry(from_state=ProjectStatus(r.from_state) if r.from_state else None,
                         to_state=ProjectStatus(r.to_state), by=r.actor_name or _("The council's vote"),
                         at=r.at, comment=note_text(r))
            for r in records]
