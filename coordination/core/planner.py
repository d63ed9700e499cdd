"""Table statistics for the database's query planner.

Without statistics SQLite takes any indexed ``IN (…)`` for a selective filter: the project
list (every status but one is listed) then read all 5,000 projects through the status index
and sorted them, 19 ms, instead of walking the (updated_at, id) index for 21 rows. SQLite
gathers statistics only when told (``ANALYZE``; ``PRAGMA optimize`` keeps them current);
PostgreSQL's autovacuum analyses tables by itself, but not before a bulk load is committed.
So bulk loads end with ``analyze()``, and the worker runs ``optimize()`` every night.
"""

from __future__ import annotations

from sqlalchemy import text

from coordination.core.jobs import crontab
from coordination.core.jobs import jobs
from coordination.extensions import db

SAMPLE_ROWS = 1000  # rows of each index SQLite reads to estimate it (the nightly refresh)


def analyze() -> None:
    """Gather statistics on every table now (after a bulk load; a few seconds at street scale)."""
    db.session.execute(text("ANALYZE"))


def optimize() -> str:
    """Keep the statistics current. SQLite: analyse every table again, each from a sample
    (``analysis_limit``: a fraction of a second at street scale; the ``PRAGMA optimize`` of
    SQLite before 3.46 looks only at tables its own connection has queried, so a job would
    change nothing). PostgreSQL: its autovacuum does it on its own."""
    if db.engine.dialect.name != "sqlite":
        return "autovacuum"
    db.session.execute(text(f"PRAGMA analysis_limit = {SAMPLE_ROWS}"))
    analyze()
    return "analyze"


@jobs.periodic(crontab(hour="3", minute="40"), writes=True)
def refresh_planner_statistics() -> str:
    return optimize()
