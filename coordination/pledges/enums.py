"""The pledges' vocabulary: a pledge's statuses and its steps."""

from __future__ import annotations

from coordination.core.enums import LabelledEnum
from coordination.core.i18n import lazy_gettext as _l


class PledgeStatus(LabelledEnum):
    MADE = "made", _l("Pledged")
    KEPT = "kept", _l("Kept")


class PledgeStep(LabelledEnum):
    """The steps of a pledge; each value is the code of its audit record (``pledge.<value>``)."""

    MAKE = "make", _l("Make a pledge")
    KEEP = "keep", _l("Record its fulfilment")
    FOLLOW = "follow", _l("Follow")
    UNFOLLOW = "unfollow", _l("Stop following")
    RATE = "rate", _l("Rate")
