"""After a change the background worker computes the dashboard's charts again, so the first
visitor gets them from the cache; the page around them is still the visitor's own."""

from __future__ import annotations

import pytest
from huey import signals

from coordination.core.jobs import huey_of
from coordination.dashboards import cache
from coordination.dashboards import filters
from coordination.dashboards import rendering
from coordination.dashboards.refresh_jobs import queue_refresh
from tests.conftest import wait_for
from tests.core.test_query_counts import counted
from tests.factories import submit_need


@pytest.fixture()
def refresh_jobs(app, db):
    app.config["DASHBOARD_REFRESH_JOBS"] = True
    huey = huey_of(app)
    done: list[str] = []

    @huey.signal(signals.SIGNAL_COMPLETE)
    def completed(signal, task, *args):
        done.append(task.name)

    try:
        yield done
    finally:
        huey.disconnect_signal(completed, signals.SIGNAL_COMPLETE)
        app.config["DASHBOARD_REFRESH_JOBS"] = False


def chart_queries(statements) -> list[str]:
    return [s for s in statements if "GROUP BY" in s.upper()]


def test_the_worker_computes_the_charts_before_the_first_visit(app, client, api_token, worker, refresh_jobs):
    submit_need(client, api_token, "小区路灯不亮")  # a change: the version moves, a refresh is queued
    with worker():
        wait_for(lambda: "coordination.dashboards.refresh_jobs.refresh_dashboard" in refresh_jobs)
    for language in ("zh_CN", "en"):
        visitor = app.test_client()
        assert visitor.get(f"/lang/{language}").status_code == 302
        with counted() as statements:
            page = visitor.get("/dashboard")
        assert page.status_code == 200
        assert chart_queries(statements) == [], chart_queries(statements)  # nothing computed on the visit
    with app.test_request_context("/dashboard"):
        fresh = rendering.render_charts(filters.period_from({}))
    assert fresh in client.get("/dashboard").data  # what the worker computed is today's figures


def test_one_refresh_is_queued_per_change(app, client, api_token, refresh_jobs):
    huey = huey_of(app)
    huey.flush()
    submit_need(client, api_token, "小区路灯不亮")
    assert huey.pending_count() == 1
    queue_refresh(cache.data_version())  # the same version again: nothing more queued
    assert huey.pending_count() == 1
    huey.flush()


def test_without_the_worker_the_first_visitor_computes_them(app, client, api_token, db):
    submit_need(client, api_token, "小区路灯不亮")
    with counted() as statements:
        assert client.get("/dashboard").status_code == 200
    assert chart_queries(statements)
    with counted() as statements:
        assert client.get("/dashboard").status_code == 200
    assert chart_queries(statements) == []  # then cached


def test_a_logged_in_dashboard_keeps_its_own_navigation(app, client_as):
    street = client_as("street_committee")
    html = street.get("/dashboard").get_data(as_text=True)
    assert 'action="/logout"' in html and html.rstrip().endswith("</html>")
    anonymous = app.test_client().get("/dashboard").get_data(as_text=True)
    assert 'action="/logout"' not in anonymous


def test_a_refresh_for_a_replaced_version_does_nothing(app, client, api_token, worker, refresh_jobs, db):
    from coordination.dashboards.refresh_jobs import refresh_dashboard

    stale = cache.data_version()
    submit_need(client, api_token, "小区路灯不亮")  # replaces the version
    assert cache.data_version() != stale
    with app.app_context():
        assert refresh_dashboard(stale) == []
        assert refresh_dashboard(cache.data_version()) == ["zh_CN", "en"]


def test_a_long_table_shows_its_first_rows_and_the_csv_all(client, db):
    """The needs table has a row per month: 120 months of needs show 100 rows, the CSV all."""
    import io
    from datetime import UTC
    from datetime import datetime

    import pandas as pd
    from sqlalchemy import select

    from coordination.core.models.base import clock_set_to
    from coordination.needs import operations as needs
    from coordination.places.models import Place
    from tests.factories import user

    place_id = db.session.scalar(select(Place.id).where(Place.name == "福山居民区"))
    resident = user(db, "resident")
    for month in range(120):
        with clock_set_to(datetime(2016 + month // 12, month % 12 + 1, 15, 4, tzinfo=UTC)):
            needs.submit_need(resident, needs.NeedInput(kind="idea", title=f"第{month}个月的需求",
                                                        description="大家都关心。", place_id=place_id))
    db.session.commit()
    html = client.get("/dashboard").get_data(as_text=True)
    section = html[html.index('id="chart-needs-title"'):html.index('id="chart-funnel-title"')]
    assert section.count("<tr>") == 100 + 1  # the header and the first 100 months
    assert "仅显示前 100 行（共 120 行）" in section
    csv = pd.read_csv(io.BytesIO(client.get("/dashboard/needs.csv").data), encoding="utf-8-sig")
    assert csv["月份"].nunique() == 120
