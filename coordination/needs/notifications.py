"""Texts of the needs module's notifications (rendered in the reader's language)."""

from flask_babel import lazy_gettext as _l

from coordination.core.notifications import texts
from coordination.needs.enums import NeedStatus

texts({
    "need.submitted": _l("New need awaiting triage: “%(title)s”"),
    "need.status": _l("The need “%(title)s” is now: %(status)s"),
    "need.rejected": _l("Your need “%(title)s” was not accepted: %(reason)s"),
    "need.merged": _l("The need “%(title)s” was merged into “%(into_title)s”; follow it there"),
    "need.reported": _l("The need “%(title)s” was reported as abusive"),
    "need.hidden": _l("Your need “%(title)s” was hidden: %(reason)s"),
}, labels={"status": NeedStatus})
