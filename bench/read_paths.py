"""Time the busy read paths at street scale, in-process with the test client.

    .venv/bin/python bench/read_paths.py [--needs 100000] [--projects 5000] [--answers 1000000]
                                         [--requests 20] [--database-url postgresql://…]

Fills a throwaway SQLite database (or the empty database given) with the street that
``flask --app coordination seed scale`` generates (years of needs in every status with their
supports, projects with votes, claims and progress, surveys and answers, the audit rows of every
step), then requests each route
R times and prints the median and 95th percentile. The same figures before and after a change
show what it bought; the gunicorn + wrk harness measures throughput.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from coordination import create_app  # noqa: E402
from coordination.extensions import db  # noqa: E402
from coordination.needs.enums import NeedStatus  # noqa: E402
from coordination.needs.models import Need  # noqa: E402
from coordination.scale import seed_scale  # noqa: E402


def generate(needs: int, projects: int, answers: int) -> None:
    """The street ``flask seed scale`` generates (the one generator), on a migrated database."""
    from flask_migrate import upgrade

    upgrade()
    seed_scale(needs, projects, answers, out=print)
    db.session.commit()


def deep_cursor(depth: int) -> str | None:
    """The cursor the menu gives after its first ``depth`` needs (what "next" links carry)."""
    try:
        from coordination.core.paging import encode_cursor
    except ImportError:
        return None
    row = db.session.execute(select(Need.support_count, Need.id).where(
        Need.status.in_(NeedStatus.on_menu()), Need.hidden.is_(False))
        .order_by(Need.support_count.desc(), Need.id.desc()).offset(depth - 1).limit(1)).one()
    return encode_cursor("supports", list(row))


def time_urls(client, urls: list[str], repeats: int) -> None:
    """GET each URL; print the median wall time, its 95th percentile and the median CPU time
    of this process (the CPU figure stays comparable when other work shares the machine)."""
    import math
    import statistics

    print(f"{'url':<60} {'median ms':>10} {'p95 ms':>8} {'cpu ms':>8}")
    for url in urls:
        client.get(url)
        walls, cpus = [], []
        for _ in range(repeats):
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        walls.sort()
        p95 = walls[min(len(walls) - 1, math.ceil(len(walls) * 0.95) - 1)]
        print(f"{url[:60]:<60} {statistics.median(walls):>10.1f} {p95:>8.1f} {statistics.median(cpus):>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--needs", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=5_000)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='gr-bench-')) / 'read.sqlite3'}"
    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        started = time.perf_counter()
        generate(args.needs, args.projects, args.answers)
        print(f"built in {time.perf_counter() - started:.1f}s on {db.engine.dialect.name}")
        cursor = deep_cursor(4000)
    client = app.test_client()
    urls = ["/needs?category_id=3", "/api/v1/needs?category_id=3", "/needs?page=200", "/api/v1/needs?page=200"]
    if cursor:  # page 201 reached through the "next" links (keyset), as the menu now links it
        urls += [f"/needs?page=201&after={cursor}", f"/api/v1/needs?after={cursor}"]
    urls += ["/api/v1/needs?q=电梯", "/needs?q=电梯", "/api/v1/projects", "/projects", "/api/v1/stats/summary", "/"]
    time_urls(client, urls, args.requests)


if __name__ == "__main__":
    main()
