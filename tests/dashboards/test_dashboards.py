"""The dashboard renders from SQL aggregates; each chart's data downloads as CSV."""

import io

import pandas as pd

from tests.factories import answer
from tests.factories import ready_for_review


def test_dashboard_renders_every_chart_with_its_data(client, client_as, api_token, opened):
    project_id, survey = opened
    answer(client, survey, 5, api_token("resident"))
    answer(client, survey, 2, api_token("worker"))
    ready_for_review(client, api_token, project_id, survey["id"])
    client.post(f"/api/v1/projects/{project_id}/evaluation/review", json={"decision": "accept"},
                headers=api_token("street_committee"))
    html = client.get("/dashboard").get_data(as_text=True)
    for name in ("needs", "funnel", "steps", "satisfaction"):
        assert f'data-chart="chart-{name}"' in html
    assert '<ol class="ranked-list' in html  # the member units
    assert "/vendor/plotly.min.js" in html and "cdn" not in html.lower()
    funnel = pd.read_csv(io.BytesIO(client.get("/dashboard/funnel.csv").data), encoding="utf-8-sig")
    counts = dict(zip(funnel["环节"], funnel["需求数"]))
    assert counts["提出的需求"] == 1 and counts["项目已完成"] == 1 and counts["项目已评估"] == 1
    satisfaction = pd.read_csv(io.BytesIO(client.get("/dashboard/satisfaction.csv?by=unit").data),
                               encoding="utf-8-sig")
    assert satisfaction["满意率（%）"].tolist() == [50.0]
    steps = pd.read_csv(io.BytesIO(client.get("/dashboard/steps.csv").data), encoding="utf-8-sig")
    assert len(steps) >= 6  # every step from drafting to the evaluation review happened


def test_area_and_period_filters(client, opened):
    everything = client.get("/dashboard/funnel.csv").data
    future = client.get("/dashboard/funnel.csv?start=2099-01-01").data
    funnel = pd.read_csv(io.BytesIO(future), encoding="utf-8-sig")
    assert funnel["需求数"].sum() == 0 and everything != future
    other_area = client.get("/dashboard/needs.csv?area_id=999999").data
    assert pd.read_csv(io.BytesIO(other_area), encoding="utf-8-sig").empty


def test_the_plotly_stylesheet_is_served_for_a_strict_csp(client):
    css = client.get("/vendor/plotly.css").get_data(as_text=True)
    assert ".js-plotly-plot .plotly .main-svg" in css
    assert client.get("/vendor/plotly.min.js").status_code == 200
