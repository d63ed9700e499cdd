"""Texts of the evaluation module's notifications (rendered in the reader's language)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coordination.core.notifications import renderer
from coordination.core.notifications import texts

texts({
    "evaluation.invited": _l("Please score the project “%(title)s” in its satisfaction survey"),
    "selection.opened": _l("Vote for the most creative Party-building project of %(year)s"),
})


@renderer("evaluation.reviewed")
def _reviewed(p):
    if p.get("decision") == "accept":
        return _("The evaluation of “%(title)s” was accepted; the results are public", title=p.get("title", ""))
    return _("The evaluation of “%(title)s” was sent back for rework", title=p.get("title", ""))
