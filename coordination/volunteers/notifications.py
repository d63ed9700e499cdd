"""Texts of the volunteers module's notifications (rendered in the reader's language)."""

from flask_babel import lazy_gettext as _l

from coordination.core.notifications import texts
from coordination.projects.enums import ProjectStatus

texts({
    "volunteer.project_changed": _l("The project “%(title)s” you signed up for is now: %(status)s"),
    "volunteer.hours": _l("%(hours)s hours of service on %(date)s were recorded for you on “%(title)s”"),
}, labels={"status": ProjectStatus})
