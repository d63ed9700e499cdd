"""Who may do what with pledges; views, templates and the API ask these functions.

The ``can_<step>`` functions are read from the step table (``pledges/rules.py``)."""

from __future__ import annotations

from coordination.pledges.enums import PledgeStep
from coordination.pledges.rules import PLEDGE_WORKFLOW
from coordination.pledges.rules import is_party_member
from coordination.pledges.rules import is_pledger as is_pledger  # asked by the pages too

can_keep_pledge = PLEDGE_WORKFLOW.permission(PledgeStep.KEEP)
can_follow_pledge = PLEDGE_WORKFLOW.permission(PledgeStep.FOLLOW)
can_unfollow_pledge = PLEDGE_WORKFLOW.permission(PledgeStep.UNFOLLOW)
can_rate_pledge = PLEDGE_WORKFLOW.permission(PledgeStep.RATE)


def may_pledge(user) -> bool:
    """The role that makes pledges (residents and office workers): offered the pledge form, or
    told how to become able to use it."""
    return PLEDGE_WORKFLOW.can(user, None, PledgeStep.MAKE)


def can_make_pledge(user) -> bool:
    """A resident or office worker whose volunteer profile shows their Party membership."""
    return may_pledge(user) and is_party_member(user)
