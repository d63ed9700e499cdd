"""Lighthouse's performance score of key pages on a phone, with Debian's chromium.

    .venv/bin/python bench/lighthouse.py [--runs 1] [--pages home,needs,project]

Builds a throwaway SQLite database with the demo street (needs and projects), serves the app on
127.0.0.1 (a free port), runs Lighthouse (npm package pinned in tests/e2e/package-lock.json,
installed by scripts/install.sh --test) with its default mobile preset — a mid-range phone,
simulated slow 4G and 4× CPU slowdown — on the performance category only, and prints each page's
score, largest contentful paint, total blocking time, layout shift and bytes transferred (the
median run when --runs > 1). Exits 1 if a page scores below --min (default 90).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LIGHTHOUSE = ROOT / "tests" / "e2e" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run " \
               "--disable-background-networking --disable-component-update --disable-sync"


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("Debian's chromium is not installed; run scripts/install.sh --test")


# Lighthouse's own trace recording sometimes fails on a busy machine; it then asks to be run
# again (NO_NAVSTART and the like). That, and only that, is retried once.
RUN_AGAIN = "Please run Lighthouse again"


def audit(url: str, timeout: int = 120, attempts: int = 2) -> dict:
    """One Lighthouse run of ``url`` (mobile preset, performance only): the figures we report."""
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed; run scripts/install.sh --test")
    for attempt in range(attempts):
        with tempfile.TemporaryDirectory() as profile:
            env = dict(os.environ, CHROME_PATH=chromium(), TMPDIR=profile)
            done = subprocess.run(
                ["node", str(LIGHTHOUSE), url, "--only-categories=performance", "--output=json",
                 "--output-path=stdout", "--quiet", f"--chrome-flags={CHROME_FLAGS} --user-data-dir={profile}/chrome"],
                capture_output=True, text=True, env=env, timeout=timeout, check=False)
        if RUN_AGAIN not in done.stderr + done.stdout[:4000] or attempt == attempts - 1:
            break
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"lighthouse failed on {url}: {done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    audits = report["audits"]
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse could not load {url}: {report['runtimeError']}")
    return {
        "score": round((report["categories"]["performance"]["score"] or 0) * 100),
        "fcp_ms": audits["first-contentful-paint"]["numericValue"],
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
        "render_blocking": [item["url"].split("/")[-1] for item in
                            audits["render-blocking-resources"].get("details", {}).get("items", [])],
    }


def measure(base_url: str, pages: dict[str, str], runs: int = 1) -> dict[str, dict]:
    """Each page's median run (by score) of ``runs`` Lighthouse runs."""
    results = {}
    for name, path in pages.items():
        attempts = sorted((audit(base_url + path) for _ in range(runs)), key=lambda r: r["score"])
        results[name] = attempts[len(attempts) // 2]
    return results


def table(results: dict[str, dict]) -> str:
    lines = [f"{'page':<10} {'score':>5} {'FCP s':>6} {'LCP s':>6} {'TBT ms':>7} {'CLS':>6} {'KB':>7}  render-blocking"]
    for name, r in results.items():
        lines.append(f"{name:<10} {r['score']:>5} {r['fcp_ms'] / 1000:>6.2f} {r['lcp_ms'] / 1000:>6.2f} "
                     f"{r['tbt_ms']:>7.0f} {r['cls']:>6.3f} {r['bytes'] / 1024:>7.1f}  {', '.join(r['render_blocking']) or '—'}")
    return "\n".join(lines)


def demo_server():
    """The app on a fresh SQLite file holding the demo street, served in a thread: (base URL, paths, stop)."""
    from flask_migrate import upgrade
    from sqlalchemy import select
    from werkzeug.serving import make_server

    from coordination import create_app
    from coordination.demo import load_demo
    from coordination.extensions import db
    from coordination.projects.models import Project

    folder = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
                      "UPLOAD_FOLDER": str(folder / "uploads")})
    with app.app_context():
        upgrade()
        load_demo(out=lambda *_: None)
        db.session.commit()
        project_id = db.session.scalar(select(Project.id).where(Project.title == "白领教老人用微信"))
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    paths = {"home": "/", "needs": "/needs", "project": f"/projects/{project_id}"}
    return f"http://127.0.0.1:{server.server_port}", paths, server.shutdown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per page (the median is shown)")
    parser.add_argument("--pages", default="home,needs,project")
    parser.add_argument("--min", type=int, default=90, help="the lowest acceptable score")
    args = parser.parse_args()
    base, paths, stop = demo_server()
    try:
        chosen = {name: paths[name] for name in args.pages.split(",")}
        results = measure(base, chosen, max(1, min(args.runs, 5)))
    finally:
        stop()
    print(table(results))
    sys.exit(0 if all(r["score"] >= args.min for r in results.values()) else 1)


if __name__ == "__main__":
    main()
