"""Lighthouse (mobile preset: simulated slow 4G and a 4× slower CPU; performance only) gives the
home page, the needs menu and a project page at least 90, with Debian's chromium. The same
runner prints the figures in bench/lighthouse.py."""

import importlib.util
from pathlib import Path

import pytest

from coordination.extensions import db
from tests.factories import build

pytestmark = pytest.mark.e2e
BENCH = Path(__file__).resolve().parents[2] / "bench" / "lighthouse.py"


def lighthouse():
    spec = importlib.util.spec_from_file_location("bench_lighthouse", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def project_path(live_app):
    with live_app.app_context():
        project = build(db, "claimed", title="页面速度检查项目", need_title="楼道扶手加装")
        path = f"/projects/{project.id}"
        db.session.remove()
    return path


def test_key_pages_score_at_least_90_on_a_phone(live_server, project_path, artifacts_dir):
    runner = lighthouse()
    results = runner.measure(live_server, {"home": "/", "needs": "/needs", "project": project_path})
    figures = runner.table(results)
    (artifacts_dir / "lighthouse.txt").write_text(figures + "\n", "utf-8")
    print(figures)
    assert all(r["score"] >= 90 for r in results.values()), figures
    assert all(r["lcp_ms"] <= 2500 for r in results.values()), figures
