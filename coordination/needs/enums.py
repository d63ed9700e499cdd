"""The needs' vocabulary: kinds, channels and statuses of a need."""

from __future__ import annotations

from coordination.core.enums import LabelledEnum
from coordination.core.i18n import lazy_gettext as _l


class NeedKind(LabelledEnum):
    IDEA = "idea", _l("Golden idea")
    WISH = "wish", _l("Micro-wish")
    REQUEST = "request", _l("Request")


class NeedChannel(LabelledEnum):
    ONLINE = "online", _l("Online")
    MEETING_HALL = "meeting_hall", _l("People's meeting hall")
    RECEPTION_ROOM = "reception_room", _l("Livelihood reception room")
    VISIT = "visit", _l("Visit")
    HOTLINE = "hotline", _l("Hotline")

    @classmethod
    def offline(cls) -> tuple["NeedChannel", ...]:
        return (cls.MEETING_HALL, cls.RECEPTION_ROOM, cls.VISIT, cls.HOTLINE)


class NeedStatus(LabelledEnum):
    SUBMITTED = "submitted", _l("Awaiting triage")
    ACCEPTED = "accepted", _l("In the needs menu")
    REJECTED = "rejected", _l("Not accepted")
    MERGED = "merged", _l("Merged")
    IN_PROJECT = "in_project", _l("Became a project")
    FULFILLED = "fulfilled", _l("Fulfilled")

    @classmethod
    def on_menu(cls) -> tuple["NeedStatus", ...]:
        """Statuses shown in the public needs menu."""
        return (cls.ACCEPTED, cls.IN_PROJECT, cls.FULFILLED)


class NeedStep(LabelledEnum):
    """The steps of a need; each value is the code of its audit record (``need.<value>``)."""

    ACCEPT = "accept", _l("Accept")
    REJECT = "reject", _l("Reject")
    MERGE = "merge", _l("Merge")
    ENTER_PROJECT = "enter_project", _l("Taken into an approved project")
    FULFIL = "fulfil", _l("Fulfilled by a completed project")
