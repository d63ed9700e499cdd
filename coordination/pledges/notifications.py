"""Texts of the pledges module's notifications (rendered in the reader's language)."""

from flask_babel import lazy_gettext as _l

from coordination.core.notifications import texts

texts({
    "pledge.kept": _l("A pledge you follow was kept: “%(title)s”. You may rate it now."),
    "pledge.rated": _l("Your pledge “%(title)s” was rated %(score)s of 5"),
})
