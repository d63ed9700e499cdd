"""Texts of the projects module's notifications (rendered in the reader's language)."""

from flask_babel import gettext as _

from coordination.core.notifications import renderer
from coordination.projects.enums import ProjectStatus


def _status(value):
    try:
        return ProjectStatus(value).label
    except ValueError:
        return value


@renderer("project.status")
def _changed(p):
    return _("The project “%(title)s” is now: %(status)s", title=p.get("title", ""), status=_status(p.get("status")))


@renderer("project.vote_needed")
def _vote(p):
    return _("A proposal awaits your vote: “%(title)s”", title=p.get("title", ""))


@renderer("project.decision_needed")
def _decision(p):
    return _("The council resolved on “%(title)s”; it awaits your approval", title=p.get("title", ""))


@renderer("project.published")
def _published(p):
    return _("A new project is open to claim: “%(title)s”", title=p.get("title", ""))


@renderer("project.claimed")
def _claimed(p):
    return _("%(unit)s claimed the project “%(title)s”", unit=p.get("unit", ""), title=p.get("title", ""))


@renderer("project.released")
def _released(p):
    return _("Your unit's claim on “%(title)s” was released: %(reason)s", title=p.get("title", ""),
             reason=p.get("reason", ""))
