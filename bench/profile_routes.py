"""Where a request's time goes: each route of bench/street.py in a test-client loop, timed and
profiled (cProfile), on a street built by bench/street.py (instance/bench/*.sqlite3) or any
database given with --database-url.

    .venv/bin/python bench/profile_routes.py                       # the 100k street, every route
    .venv/bin/python bench/profile_routes.py --route /projects --top 40
    .venv/bin/python bench/profile_routes.py --no-page-cache       # what a cache miss costs

Prints per route the mean milliseconds per request (without the profiler) and the functions
with the most cumulative time (with it). Runs in one process, so it shows the application's own
cost, without gunicorn or the network.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import secrets
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadtest import ROOT  # noqa: E402


def default_url() -> str:
    streets = sorted((ROOT / "instance" / "bench").glob("street-100000-5000-1000000-*.sqlite3"))
    if not streets:
        raise SystemExit("no 100k street in instance/bench: run scripts/bench.sh once, or pass --database-url")
    return f"sqlite:///{streets[-1]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url")
    parser.add_argument("--route", action="append", help="only these paths (repeatable)")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", help="pstats order: cumulative or tottime")
    parser.add_argument("--no-page-cache", action="store_true", help="serve every request without the page cache")
    args = parser.parse_args()
    url = args.database_url or default_url()
    os.environ.update(APP_ENV="production", SECRET_KEY=secrets.token_hex(32), DATABASE_URL=url,
                      FLASK_RATELIMIT_ENABLED="false")
    if args.no_page_cache:
        os.environ["FLASK_PAGE_CACHE_ENABLED"] = "false"
    from street import routes
    from street import street_ids

    from coordination import create_app

    app = create_app()
    base = "https://localhost"  # the session cookie is Secure in production
    ids = street_ids(url)
    staff = app.test_client()
    staff_token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"',
                            staff.get("/login", base_url=base).data).group(1).decode()
    answer = staff.post("/login", base_url=base, data=urllib.parse.urlencode(
        {"username": "street", "password": "Ribbon-2026", "csrf_token": staff_token}),
        content_type="application/x-www-form-urlencoded", headers={"Referer": f"{base}/login"})
    assert answer.status_code == 302, answer.status_code
    for label, path, _kind, logged_in in routes(ids):
        if args.route and path not in args.route and label not in args.route:
            continue
        who = staff if logged_in else app.test_client()
        for _ in range(3):
            status = who.get(path, base_url=base).status_code
        started = time.perf_counter()
        for _ in range(args.requests):
            who.get(path, base_url=base)
        mean = (time.perf_counter() - started) / args.requests * 1000
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            who.get(path, base_url=base)
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(f"\n===== {label}  ({status}) {mean:.2f} ms/request")
        body = out.getvalue()
        print(body[body.find("   ncalls"):])


if __name__ == "__main__":
    main()
