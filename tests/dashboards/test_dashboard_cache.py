"""The dashboard is computed once per filter and language and kept until its data changes;
step times come from the recorded transitions, averaged by the database."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pandas as pd
import pytest
from sqlalchemy import event
from sqlalchemy import select

from coordination.core import audit
from tests.factories import answer
from tests.factories import build
from tests.factories import ready_for_review
from tests.factories import submit_need
from tests.factories import user


def _funnel(client, query: str = "") -> dict:
    frame = pd.read_csv(io.BytesIO(client.get(f"/dashboard/funnel.csv{query}").data), encoding="utf-8-sig")
    return dict(zip(frame.iloc[:, 0], frame.iloc[:, 1]))  # stage → needs, headed in the page's language


class QueryCounter:
    def __init__(self, engine):
        self.engine, self.statements = engine, []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            self.statements.append(statement)


def test_a_new_need_shows_at_once_on_the_cached_dashboard(client, api_token):
    before = _funnel(client)
    assert _funnel(client) == before  # served from the cache
    submit_need(client, api_token)
    assert _funnel(client)["提出的需求"] == before["提出的需求"] + 1
    page = client.get("/dashboard")
    assert page.status_code == 200
    submit_need(client, api_token, "电梯经常停运")
    assert _funnel(client)["提出的需求"] == before["提出的需求"] + 2


def test_a_rolled_back_change_leaves_no_trace_in_the_cache(client, api_token, db):
    before = _funnel(client)
    # A bad need (no title) is refused and rolled back; the figures stay as they were.
    response = client.post("/api/v1/needs", json={"kind": "wish", "title": "", "place_id": 1},
                           headers=api_token("resident"))
    assert response.status_code == 400
    assert _funnel(client) == before


def test_a_cached_dashboard_asks_the_database_almost_nothing(app, client):
    assert client.get("/dashboard").status_code == 200
    with QueryCounter(_engine(app)) as counter:
        assert client.get("/dashboard").status_code == 200
    # No chart query runs again, nor the area list of the filter form (kept with the charts).
    assert counter.statements == [], counter.statements


def _engine(app):
    from coordination.extensions import db

    with app.app_context():
        return db.engine


def test_filters_and_languages_are_cached_apart(client):
    chinese = client.get("/dashboard").get_data(as_text=True)
    assert "各月需求数量" in chinese and "Needs by month" not in chinese
    client.get("/lang/en")
    english = client.get("/dashboard").get_data(as_text=True)
    assert "Needs by month" in english and "各月需求数量" not in english
    assert _funnel(client, "?start=2099-01-01")["Needs raised"] == 0


def _transitions(db, project, days: list[float]) -> None:
    """Record the project's steps draft→proposed→resolved ``days`` apart, from its creation."""
    created = db.session.scalar(select(audit.AuditRecord.at).where(
        audit.AuditRecord.object_type == "Project", audit.AuditRecord.object_id == project.id)
        .order_by(audit.AuditRecord.id.desc()).limit(1))
    at = created
    for (before, after), gap in zip([("draft", "proposed"), ("proposed", "resolved")], days):
        at = at + timedelta(days=gap)
        entry = audit.record(user(db, "staff"), "project.step", project, from_state=before, to_state=after)
        entry.at = at
    db.session.commit()


def test_step_times_are_averaged_from_the_recorded_transitions(client, db):
    first, second = build(db, "draft", title="楼道灯光改造"), build(db, "draft", title="老年助餐点")
    _transitions(db, first, [2, 3])
    _transitions(db, second, [4, 1])
    steps = pd.read_csv(io.BytesIO(client.get("/dashboard/steps.csv").data), encoding="utf-8-sig")
    assert steps.to_dict("records") == [{"环节": "起草", "平均天数": 3.0, "项目数": 2},
                                        {"环节": "理事会表决", "平均天数": 2.0, "项目数": 2}]


def test_chart_data_cannot_close_its_script_element(client, api_token, db):
    project = build(db, "completed", title="灯</script><script>alert(1)</script>")
    opened = client.post(f"/api/v1/projects/{project.id}/evaluation/open", json={}, headers=api_token("staff"))
    survey = client.get(f"/api/v1/surveys/{opened.json['survey_id']}", headers=api_token("staff")).json
    answer(client, survey, 5, api_token("resident"))
    ready_for_review(client, api_token, project.id, survey["id"])
    client.post(f"/api/v1/projects/{project.id}/evaluation/review", json={"decision": "accept"},
                headers=api_token("street_committee"))
    html = client.get("/dashboard").get_data(as_text=True)
    blocks = re.findall(r'<script type="application/json" data-chart="[^"]+">(.*?)</script>', html, re.S)
    assert len(blocks) == 4  # the member units are a ranked list, not a chart
    assert all("<" not in block for block in blocks)
    assert "alert(1)" in html and "<script>alert(1)" not in html


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_page_uses_the_small_icon_sprite(client, language):
    from coordination.core import icons

    if language == "en":
        client.get("/lang/en")
    html = client.get("/").get_data(as_text=True)
    assert "bootstrap-icons.svg" not in html
    sprite_url = re.search(r'href="(/static/img/icons\.svg\?v=[0-9a-f]{12})#', html).group(1)
    sprite = client.get(sprite_url)
    assert sprite.status_code == 200 and len(sprite.data) < 20_000
    assert icons.used_icons() <= icons.sprite_icons()


def test_a_template_asking_for_an_unknown_icon_is_caught():
    from coordination.core import icons

    with pytest.raises(ValueError, match="unknown icons: no-such-icon"):
        icons.build({"bell", "no-such-icon"})


def test_static_files_are_fingerprinted_compressed_and_cached_for_a_year(client):
    html = client.get("/").get_data(as_text=True)
    css_url = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', html).group(1)
    bootstrap_url = re.search(r'href="(/bootstrap/static/[^"]+\.css\?v=[0-9a-f]{12})"', html).group(1)
    for url in (css_url, bootstrap_url):
        plain = client.get(url)
        assert plain.status_code == 200
        assert plain.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert "Content-Encoding" not in plain.headers
        packed = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert packed.headers["Content-Encoding"] == "gzip"
        assert len(packed.data) < len(plain.data) / 2
    # Without the fingerprint a file is revalidated, never kept for a year.
    assert "immutable" not in client.get("/static/css/app.css").headers.get("Cache-Control", "")
