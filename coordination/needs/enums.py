"""The needs' vocabulary: kinds, channels and statuses of a need.

Each value is the stable code stored in the database and used in the API (see
``coordination.core.enums.LabelledEnum``)."""

from __future__ import annotations

from coordination.core.enums import LabelledEnum
from coordination.core.i18n import lazy_gettext as _l


class NeedKind(LabelledEnum):
    IDEA = "idea"
    WISH = "wish"
    REQUEST = "request"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.IDEA: _l("Golden idea"),
            cls.WISH: _l("Micro-wish"),
            cls.REQUEST: _l("Request"),
        }


class NeedChannel(LabelledEnum):
    ONLINE = "online"
    MEETING_HALL = "meeting_hall"
    RECEPTION_ROOM = "reception_room"
    VISIT = "visit"
    HOTLINE = "hotline"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.ONLINE: _l("Online"),
            cls.MEETING_HALL: _l("People's meeting hall"),
            cls.RECEPTION_ROOM: _l("Livelihood reception room"),
            cls.VISIT: _l("Visit"),
            cls.HOTLINE: _l("Hotline"),
        }

    @classmethod
    def offline(cls) -> tuple["NeedChannel", ...]:
        return (cls.MEETING_HALL, cls.RECEPTION_ROOM, cls.VISIT, cls.HOTLINE)


class NeedStatus(LabelledEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    MERGED = "merged"
    IN_PROJECT = "in_project"
    FULFILLED = "fulfilled"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.SUBMITTED: _l("Awaiting triage"),
            cls.ACCEPTED: _l("In the needs menu"),
            cls.REJECTED: _l("Not accepted"),
            cls.MERGED: _l("Merged"),
            cls.IN_PROJECT: _l("Became a project"),
            cls.FULFILLED: _l("Fulfilled"),
        }

    @classmethod
    def on_menu(cls) -> tuple["NeedStatus", ...]:
        """Statuses shown in the public needs menu."""
        return (cls.ACCEPTED, cls.IN_PROJECT, cls.FULFILLED)
