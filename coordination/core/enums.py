"""Enumerations with translated labels.

Every state or kind is an Enum whose value is the stable code stored in the database and used
in the API; ``label`` is the translated name shown to people.
"""

from __future__ import annotations

import enum

from sqlalchemy import Enum as SAEnum

from coordination.core.i18n import lazy_gettext as _l

# Each enum's labels, built once (lazy strings: each is translated when it is shown).
_LABELS: dict[type, dict] = {}


class LabelledEnum(str, enum.Enum):
    """A string enum whose members carry a translated label."""

    @classmethod
    def _labels(cls) -> dict:
        return {}

    @property
    def label(self):
        """The translated name (a lazy string: it follows the reader's language)."""
        labels = _LABELS.get(type(self))
        if labels is None:
            labels = _LABELS[type(self)] = self._labels()
        return labels.get(self, self.value)

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]

    @classmethod
    def label_list(cls, members=None) -> str:
        """The labels of ``members`` (all by default) as one phrase in the reader's language,
        for messages that say what may be chosen (never the codes)."""
        from flask_babel import gettext

        return gettext(", ").join(str(member.label) for member in (members or list(cls)))

    @classmethod
    def of(cls, value, members=None):
        """The member whose code is ``value`` (one of ``members``, if given), or None: what a
        form or a query string sent, checked before it reaches an operation."""
        for member in members or cls:
            if member.value == value:
                return member
        return None

    def __str__(self) -> str:
        return self.value


def enum_column(enum_cls: type[enum.Enum], name: str) -> SAEnum:
    """A portable enum column: VARCHAR + CHECK constraint storing the member values."""
    return SAEnum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Role(LabelledEnum):
    RESIDENT = "resident"
    WORKER = "worker"
    UNIT_REP = "unit_rep"
    STAFF = "staff"
    COUNCIL = "council"
    COMMUNITY_COMMITTEE = "community_committee"
    STREET_COMMITTEE = "street_committee"
    ADMIN = "admin"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.RESIDENT: _l("Resident"),
            cls.WORKER: _l("Office worker"),
            cls.UNIT_REP: _l("Member unit contact"),
            cls.STAFF: _l("Association staff"),
            cls.COUNCIL: _l("Council member"),
            cls.COMMUNITY_COMMITTEE: _l("Community Party committee"),
            cls.STREET_COMMITTEE: _l("Street Party working committee"),
            cls.ADMIN: _l("Administrator"),
        }

    @classmethod
    def self_registered(cls) -> tuple["Role", ...]:
        """Roles a person may take by registering; all others are granted by an admin."""
        return (cls.RESIDENT, cls.WORKER)


class PlaceKind(LabelledEnum):
    AREA = "area"
    COMMUNITY = "community"
    BUILDING = "building"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.AREA: _l("Area"),
            cls.COMMUNITY: _l("Residential community"),
            cls.BUILDING: _l("Office building"),
        }


class UnitType(LabelledEnum):
    COMPANY = "company"
    INSTITUTION = "institution"
    AGENCY = "agency"
    SOCIAL_ORGANISATION = "social_organisation"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.COMPANY: _l("Company"),
            cls.INSTITUTION: _l("Public institution"),
            cls.AGENCY: _l("Government agency"),
            cls.SOCIAL_ORGANISATION: _l("Social organisation"),
        }


class PartyOrgKind(LabelledEnum):
    COMMITTEE = "committee"
    GENERAL_BRANCH = "general_branch"
    BRANCH = "branch"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.COMMITTEE: _l("Party committee"),
            cls.GENERAL_BRANCH: _l("Party general branch"),
            cls.BRANCH: _l("Party branch"),
        }


class CouncilPosition(LabelledEnum):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    MEMBER = "member"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.CHAIR: _l("Council chair"),
            cls.VICE_CHAIR: _l("Vice chair"),
            cls.MEMBER: _l("Director"),
        }


class IndicatorDimension(LabelledEnum):
    PERFORMANCE = "performance"
    FUNDS = "funds"
    PROCESS = "process"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.PERFORMANCE: _l("Implementation performance"),
            cls.FUNDS: _l("Use and effect of funds"),
            cls.PROCESS: _l("Process quality"),
        }


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


class ProjectStatus(LabelledEnum):
    DRAFT = "draft"
    PROPOSED = "proposed"
    RESOLVED = "resolved"
    REJECTED = "rejected"
    PUBLISHED = "published"
    CLAIMED = "claimed"
    COMPLETED = "completed"
    EVALUATING = "evaluating"
    EVALUATED = "evaluated"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.DRAFT: _l("Draft"),
            cls.PROPOSED: _l("Before the council"),
            cls.RESOLVED: _l("Resolved by the council"),
            cls.REJECTED: _l("Rejected"),
            cls.PUBLISHED: _l("Published, open to claim"),
            cls.CLAIMED: _l("Claimed, under way"),
            cls.COMPLETED: _l("Completed"),
            cls.EVALUATING: _l("Being evaluated"),
            cls.EVALUATED: _l("Evaluated"),
        }

    @classmethod
    def with_lead(cls) -> tuple["ProjectStatus", ...]:
        return (cls.CLAIMED, cls.COMPLETED, cls.EVALUATING, cls.EVALUATED)

    @classmethod
    def public(cls) -> tuple["ProjectStatus", ...]:
        """Statuses the public project list (项目清单) shows."""
        return (cls.PUBLISHED, cls.CLAIMED, cls.COMPLETED, cls.EVALUATING, cls.EVALUATED)


class VoteChoice(LabelledEnum):
    APPROVE = "approve"
    REJECT = "reject"
    ABSTAIN = "abstain"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.APPROVE: _l("Approve"), cls.REJECT: _l("Against"), cls.ABSTAIN: _l("Abstain")}


class FundingSource(LabelledEnum):
    SELF_GOVERNANCE = "self_governance"
    UNIT = "unit"
    STREET = "street"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.SELF_GOVERNANCE: _l("Self-governance fund"),
            cls.UNIT: _l("Member unit contribution"),
            cls.STREET: _l("Street funding"),
            cls.OTHER: _l("Other sources"),
        }


class SurveyStatus(LabelledEnum):
    OPEN = "open"
    CLOSED = "closed"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.OPEN: _l("Open"), cls.CLOSED: _l("Closed")}


class QuestionKind(LabelledEnum):
    LIKERT = "likert"
    TEXT = "text"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.LIKERT: _l("Score from 1 to 5"), cls.TEXT: _l("Free text")}


class ResponseMethod(LabelledEnum):
    ONLINE = "online"
    PAPER = "paper"
    VISIT = "visit"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.ONLINE: _l("Online"), cls.PAPER: _l("Paper questionnaire"), cls.VISIT: _l("Household visit")}


class ReviewDecision(LabelledEnum):
    ACCEPT = "accept"
    REWORK = "rework"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.ACCEPT: _l("Accepted"), cls.REWORK: _l("Sent back for rework")}


class EvaluationGap(LabelledEnum):
    """What an evaluation still lacks before the street committee may accept it (评估待补充)."""

    SURVEY_OPEN = "survey_open"
    NO_RESPONSES = "no_responses"
    NO_INDICATOR_SCORES = "no_indicator_scores"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.SURVEY_OPEN: _l("The satisfaction survey is still open: staff close it first."),
                cls.NO_RESPONSES: _l("Nobody has answered the satisfaction survey yet."),
                cls.NO_INDICATOR_SCORES: _l("No indicator has been scored yet.")}


class SelectionStatus(LabelledEnum):
    OPEN = "open"
    CLOSED = "closed"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.OPEN: _l("Voting open"), cls.CLOSED: _l("Results published")}


class ExportStatus(LabelledEnum):
    """Where a background export stands."""

    QUEUED = "queued"
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.QUEUED: _l("Waiting to start"), cls.RUNNING: _l("Being prepared"),
                cls.READY: _l("Ready to download"), cls.FAILED: _l("Failed")}
