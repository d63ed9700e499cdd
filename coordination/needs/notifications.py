"""Texts of the needs module's notifications (rendered in the reader's language)."""

from flask_babel import gettext as _

from coordination.core.notifications import renderer
from coordination.needs.enums import NeedStatus


@renderer("need.submitted")
def _submitted(p):
    return _("New need awaiting triage: “%(title)s”", title=p.get("title", ""))


@renderer("need.status")
def _status(p):
    try:
        status = NeedStatus(p.get("status")).label
    except ValueError:
        status = p.get("status", "")
    return _("The need “%(title)s” is now: %(status)s", title=p.get("title", ""), status=status)


@renderer("need.reported")
def _reported(p):
    return _("The need “%(title)s” was reported as abusive", title=p.get("title", ""))


@renderer("need.hidden")
def _hidden(p):
    return _("Your need “%(title)s” was hidden: %(reason)s", title=p.get("title", ""), reason=p.get("reason", ""))
