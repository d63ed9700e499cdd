"""The volunteers' vocabulary: the status of a sign-up, how a volunteer was checked in, the steps."""

from __future__ import annotations

from coordination.core.enums import LabelledEnum
from coordination.core.i18n import lazy_gettext as _l


class SignupStatus(LabelledEnum):
    SIGNED_UP = "signed_up", _l("Signed up")
    CHECKED_IN = "checked_in", _l("Checked in")
    WITHDRAWN = "withdrawn", _l("Withdrawn")

    @classmethod
    def taking_a_place(cls) -> tuple[SignupStatus, ...]:
        """Sign-ups that hold one of the project's volunteer places."""
        return (cls.SIGNED_UP, cls.CHECKED_IN)


class CheckInMethod(LabelledEnum):
    TICK = "tick", _l("Ticked by the lead unit")
    SCAN = "scan", _l("Scanned the lead unit's code")


class VolunteerStep(LabelledEnum):
    """The steps of a sign-up; each value is the code of its audit record (``volunteer_signup.<value>``)."""

    SIGN_UP = "sign_up", _l("Sign up as a volunteer")
    WITHDRAW = "withdraw", _l("Withdraw")
    CHECK_IN = "check_in", _l("Check in")
    SCAN_IN = "scan_in", _l("Check in with the code")
    RECORD_HOURS = "record_hours", _l("Record hours")
