"""Named signals: how a domain hears of a later one without importing it.

A lower layer sends; a later domain connects a receiver when its module loads (the app
factory imports them all), as Indico's ``indico.core.signals`` does. Page signals ask the
later domains what they add to a page: each receiver returns a dict of template variables.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

need_page = _signals.signal("need-page", doc="""
What the page of one need shows from later domains. Sent with the need as sender and the
viewer as ``viewer``; a receiver returns a dict of template variables (``project``).""")

unit_page = _signals.signal("unit-page", doc="""
What the page of one member unit shows from later domains. Sent with the unit as sender; a
receiver returns a dict of template variables (``projects``, ``contribution``).""")

project_page = _signals.signal("project-page", doc="""
What the page of one project shows from later domains. Sent with the project as sender and
the viewer as ``viewer``; a receiver returns a dict of template variables, each a rendered
panel (``volunteer_panel``).""")

step_taken = _signals.signal("step-taken", doc="""
A workflow step was taken (``core/workflow.py``), inside the transaction that took it. Sent
with the object as sender and ``workflow``, ``step``, ``actor`` and ``before`` (the status it
left); a later domain reacts in the same transaction (tells its own people, keeps its figures).""")

served_by = _signals.signal("served-by", doc="""
Who served on a project (its volunteers): they are invited to its satisfaction survey when
the evaluation opens. Sent with the project as sender; a receiver returns a list of user ids.""")

dashboards_invalidated = _signals.signal("dashboards-invalidated", doc="""
The dashboards' data version was replaced; sent with the new version as sender.""")

bulk_loaded = _signals.signal("bulk-loaded", doc="""
Rows were written in bulk around the ORM (a scale seed); every cache of derived figures
forgets what it holds. Sent with no sender.""")


def page_context(signal, sender, **kwargs) -> dict:
    """The template variables every receiver of ``signal`` returned, merged."""
    context: dict = {}
    for _receiver, value in signal.send(sender, **kwargs):
        if value:
            context.update(value)
    return context
