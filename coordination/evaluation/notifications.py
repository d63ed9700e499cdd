"""Texts of the evaluation module's notifications."""

from flask_babel import gettext as _

from coordination.core.notifications import renderer


@renderer("evaluation.invited")
def _invited(p):
    return _("Please score the project “%(title)s” in its satisfaction survey", title=p.get("title", ""))


@renderer("evaluation.reviewed")
def _reviewed(p):
    if p.get("decision") == "accept":
        return _("The evaluation of “%(title)s” was accepted; the results are public", title=p.get("title", ""))
    return _("The evaluation of “%(title)s” was sent back for rework", title=p.get("title", ""))


@renderer("selection.opened")
def _selection(p):
    return _("Vote for the most creative Party-building project of %(year)s", year=p.get("year", ""))
