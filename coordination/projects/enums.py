"""The projects' vocabulary: statuses, the council's votes, funding sources.

Each value is the stable code stored in the database and used in the API (see
``coordination.core.enums.LabelledEnum``)."""

from __future__ import annotations

from coordination.core.enums import LabelledEnum
from coordination.core.i18n import lazy_gettext as _l


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
