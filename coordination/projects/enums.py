"""The projects' vocabulary: statuses, the council's votes, funding sources."""

from __future__ import annotations

from coordination.core.enums import LabelledEnum
from coordination.core.i18n import lazy_gettext as _l


class ProjectStatus(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    PROPOSED = "proposed", _l("Before the council")
    RESOLVED = "resolved", _l("Resolved by the council")
    REJECTED = "rejected", _l("Rejected")
    PUBLISHED = "published", _l("Published, open to claim")
    CLAIMED = "claimed", _l("Claimed, under way")
    COMPLETED = "completed", _l("Completed")
    EVALUATING = "evaluating", _l("Being evaluated")
    EVALUATED = "evaluated", _l("Evaluated")

    @classmethod
    def with_lead(cls) -> tuple["ProjectStatus", ...]:
        return (cls.CLAIMED, cls.COMPLETED, cls.EVALUATING, cls.EVALUATED)

    @classmethod
    def public(cls) -> tuple["ProjectStatus", ...]:
        """Statuses the public project list (项目清单) shows."""
        return (cls.PUBLISHED, cls.CLAIMED, cls.COMPLETED, cls.EVALUATING, cls.EVALUATED)


class VoteChoice(LabelledEnum):
    APPROVE = "approve", _l("Approve")
    REJECT = "reject", _l("Against")
    ABSTAIN = "abstain", _l("Abstain")


class FundingSource(LabelledEnum):
    SELF_GOVERNANCE = "self_governance", _l("Self-governance fund")
    UNIT = "unit", _l("Member unit contribution")
    STREET = "street", _l("Street funding")
    OTHER = "other", _l("Other sources")


class ProjectStep(LabelledEnum):
    """The steps of a project; each value is the code of its audit record (``project.<value>``)."""

    UPDATE = "update", _l("Edit the draft")
    PROPOSE = "propose", _l("Propose to the council")
    VOTE = "vote", _l("Vote")
    RESOLVE = "resolve", _l("Resolved by the council's vote")
    COUNCIL_REJECT = "council_reject", _l("Rejected by the council's vote")
    APPROVE = "approve", _l("Approve and publish")
    RETURN = "return", _l("Return to draft")
    REJECT = "reject", _l("Do not approve")
    CLAIM = "claim", _l("Claim for my unit")
    JOIN = "join", _l("Join as a partner unit")
    PROGRESS = "progress", _l("Report progress")
    RELEASE = "release", _l("Release the claim")
    COMPLETE = "complete", _l("Complete")
