"""A generated street at benchmark scale (``flask --app coordination seed scale``).

Years of needs, projects, surveys and answers with the audit rows the operations would have
written, from a fixed random seed so that two runs build the same street, and written in big
batches straight through the database driver (``loader.py``), not through the ORM. It runs on a migrated database and loads
the demo reference data itself (idempotent); the operations are not used because they would
take hours at this size, so ``tests/core/test_scale_seed.py`` checks that the result obeys the
same rules (every constraint, the status ↔ column ties, histories in the audit log).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from coordination.core import counters
from coordination.core import planner
from coordination.core import signals
from coordination.demo import load_demo
from coordination.extensions import db
from coordination.scale.loader import Loader

START = datetime(2023, 12, 1, tzinfo=UTC)
END = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)
SPAN = (END - START).total_seconds()


class AlreadySeeded(RuntimeError):
    pass


def moment(fraction: float) -> datetime:
    """The instant at ``fraction`` (0–1) of the three years."""
    return START + timedelta(seconds=SPAN * min(max(fraction, 0.0), 1.0))


def rebuild_maintained_figures() -> None:
    """The one place that brings derived data up to date after a bulk load: the loader turned
    the tally and full-text triggers off while it wrote, so the maintained figures and the
    search index are rebuilt from the rows, and the caches of derived figures (the dashboards')
    hear ``signals.bulk_loaded`` and forget them. The hash chains need nothing: the loader links
    its rows as it writes them."""
    counters.rebuild_all()
    signals.bulk_loaded.send()


class Stages:
    """A progress line per stage with its own seconds and the total so far."""

    def __init__(self, out):
        self.out = out
        self.started = self.last = time.perf_counter()

    def done(self, what: str, loader: Loader | None = None) -> None:
        if loader is not None:
            loader.flush()  # the stage's rows are written within its time
        now = time.perf_counter()
        self.out(f"  {what} ({now - self.last:.1f}s, {now - self.started:.1f}s in all)")
        self.last = now


def seed_scale(needs: int, projects: int, answers: int, seed: int = 2026, out=print) -> Counter:
    """Generate the street into the current session's database (the caller commits)."""
    # A real cycle: each stage's module imports this package's clock and loader.
    from coordination.scale import evaluation as evaluation_rows
    from coordination.scale import needs as need_rows
    from coordination.scale import people
    from coordination.scale import projects as project_rows

    stages = Stages(out)
    load_demo(out=lambda *_: None, with_needs=False)
    db.session.flush()
    if people.already_seeded():
        raise AlreadySeeded("this database already holds a generated street; use an empty one")
    rng = random.Random(seed)
    loader = Loader(db.session)
    street = people.load(loader, rng, needs=needs, projects=projects)
    stages.done(f"places, {len(street.units)} units and {len(street.people)} residents and workers", loader)
    plan = project_rows.plan(loader, rng, street, projects)
    links = need_rows.load(loader, rng, street, plan, needs)
    stages.done(f"{needs} needs with supports and histories", loader)
    project_rows.load(loader, rng, street, plan, links)
    stages.done(f"{projects} projects with votes, claims and progress", loader)
    evaluation_rows.load(loader, rng, street, plan, answers)
    loader.finish()
    stages.done(f"surveys and {answers} answers")
    rebuild_maintained_figures()
    stages.done("maintained figures and search index rebuilt")
    planner.analyze()
    stages.done("table statistics gathered for the query planner")
    writing = sorted(loader.seconds.items(), key=lambda item: -item[1])[:6]
    out("  of which writing rows: " + ", ".join(f"{name} {seconds:.1f}s" for name, seconds in writing))
    return loader.inserted
