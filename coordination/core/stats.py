"""The public headline figures under the name the API's ``GET /stats/summary`` imports.

They gather every domain, so ``portal/queries.py`` computes them and provides them here when it
loads (the app factory imports it); ``core`` imports nothing above it. Once the route imports
``coordination.portal.queries.summary`` itself, this module can go.
"""

from __future__ import annotations

from collections.abc import Callable

_summary: Callable[[], dict] | None = None


def provide_summary(build: Callable[[], dict]) -> Callable[[], dict]:
    """Decorator: ``build`` is what ``summary()`` answers."""
    global _summary
    _summary = build
    return build


def summary() -> dict:
    return _summary()
