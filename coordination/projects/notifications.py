"""Texts of the projects module's notifications (rendered in the reader's language)."""

from flask_babel import lazy_gettext as _l

from coordination.core.notifications import texts
from coordination.projects.enums import ProjectStatus

texts({
    "project.status": _l("The project “%(title)s” is now: %(status)s"),
    "project.vote_needed": _l("A proposal awaits your vote: “%(title)s”"),
    "project.decision_needed": _l("The council resolved on “%(title)s”; it awaits your approval"),
    "project.published": _l("A new project is open to claim: “%(title)s”"),
    "project.claimed": _l("%(unit)s claimed the project “%(title)s”"),
    "project.released": _l("Your unit's claim on “%(title)s” was released: %(reason)s"),
}, labels={"status": ProjectStatus})
