"""Maintained figures: counts read on every page, kept in the transaction that moves them.

Each domain keeps small tally tables (``need_tallies``, ``project_tallies``,
``survey_tallies``) that database triggers update in the same transaction as the insert,
change or delete of the row they count (migration 0008), so a new need shows at once and
concurrent changes cannot lose an update. Each domain registers here how to rebuild its
figures from scratch and how to compare them with a fresh recount; ``rebuild_all()`` (after a
bulk load that bypassed nothing but may predate the figures, e.g. ``seed scale``) and
``check()`` (``flask --app coordination figures check``) run them all.

``core`` imports nothing above it: each domain's ``figures`` module calls ``register`` when it
loads, and the app factory imports them all (``setup.register_database``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from coordination.extensions import db


@dataclass(frozen=True)
class Figures:
    name: str
    rebuild: Callable[[], None]
    differences: Callable[[], list[str]]


_registry: dict[str, Figures] = {}


def register(name: str, rebuild: Callable[[], None], differences: Callable[[], list[str]]) -> None:
    """A domain's maintained figures: ``rebuild()`` recomputes them, ``differences()`` lists
    every figure whose stored value differs from a fresh recount (empty when all agree)."""
    _registry[name] = Figures(name, rebuild, differences)


def rebuild_all() -> None:
    """Recompute every maintained figure (counts, support counts, search index) from the rows.

    Flushes; the caller commits (one transaction, like every operation).
    """
    for figures in _registry.values():
        figures.rebuild()
        db.session.flush()


def check() -> dict[str, list[str]]:
    """{domain: differences} for every domain whose figures differ from a fresh recount."""
    db.session.flush()
    found = {}
    for figures in _registry.values():
        differences = figures.differences()
        if differences:
            found[figures.name] = differences
    return found


def compare(label: str, stored: dict[tuple, tuple], fresh: dict[tuple, tuple]) -> list[str]:
    """Differences between two {key: (figures…)} maps; a missing key counts as zeros."""
    out = []
    for key in sorted(set(stored) | set(fresh), key=repr):
        mine, theirs = stored.get(key), fresh.get(key)
        zero = tuple(0 for _ in (mine or theirs))
        if (mine or zero) != (theirs or zero):
            out.append(f"{label} {key}: stored {mine or zero}, recounted {theirs or zero}")
    return out
