"""What the dashboard says is true: a funnel whose every stage is part of the one before, step
times from the recorded transitions (in words when there are none), tables and downloads
headed in the page's language, refused bad dates, a readable ranking of the member units."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pandas as pd
import pytest
from sqlalchemy import func
from sqlalchemy import select

from coordination.core import audit
from coordination.needs import operations as needs
from coordination.places.models import MemberUnit
from coordination.places.models import Place
from tests.factories import accepted_need
from tests.factories import answer
from tests.factories import build
from tests.factories import ready_for_review
from tests.factories import user


def _csv(client, name: str, query: str = "") -> pd.DataFrame:
    response = client.get(f"/dashboard/{name}.csv{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return pd.read_csv(io.BytesIO(response.data), encoding="utf-8-sig")


def _submitted(db, title: str):
    place_id = db.session.scalar(select(Place.id).where(Place.name == "福山居民区"))
    return needs.submit_need(user(db, "resident"), needs.NeedInput(
        kind="idea", title=title, description="大家都关心。", place_id=place_id))


def _evaluated(client, api_token, db):
    project = build(db, "completed", title="白领敬老助餐", need_title="老人吃饭难")
    opened = client.post(f"/api/v1/projects/{project.id}/evaluation/open", json={}, headers=api_token("staff"))
    survey = client.get(f"/api/v1/surveys/{opened.json['survey_id']}", headers=api_token("staff")).json
    assert answer(client, survey, 5, api_token("resident")).status_code == 201
    ready_for_review(client, api_token, project.id, survey["id"])
    reviewed = client.post(f"/api/v1/projects/{project.id}/evaluation/review", json={"decision": "accept"},
                           headers=api_token("street_committee"))
    assert reviewed.status_code == 200, reviewed.json
    return project


@pytest.fixture()
def every_stage(client, api_token, db):
    """One need at each point of the loop: waiting, refused, in the menu, in a draft project,
    in a published, a completed and an evaluated one."""
    _submitted(db, "小区门口缺少座椅")
    refused = _submitted(db, "希望增加停车位")
    needs.reject_need(user(db, "staff"), refused.id, "不属于本平台范围。")
    accepted_need(db, title="楼道堆物清理")
    db.session.commit()
    build(db, "draft", title="楼道灯光改造", need_title="楼道灯太暗")
    build(db, "published", title="社区读书角", need_title="想要一个读书角")
    build(db, "completed", title="老年智能手机课", need_title="老人不会用手机")
    _evaluated(client, api_token, db)


def test_every_funnel_stage_is_part_of_the_one_before(client, every_stage):
    funnel = _csv(client, "funnel")
    assert list(funnel.columns) == ["环节", "需求数", "统计口径"]
    assert list(zip(funnel["环节"], funnel["需求数"])) == [
        ("提出的需求", 7), ("已纳入需求菜单", 5), ("进入项目", 4), ("项目已发布", 3), ("项目已完成", 2),
        ("项目已评估", 1)]
    assert funnel["统计口径"].str.len().min() > 10  # each stage says what it counts
    assert funnel["需求数"].is_monotonic_decreasing


def test_the_funnel_speaks_english_on_english_pages(client, every_stage):
    client.get("/lang/en")
    funnel = _csv(client, "funnel")
    assert list(funnel.columns) == ["Stage", "Number of needs", "What it counts"]
    assert funnel["Stage"].tolist() == ["Needs raised", "Accepted into the needs menu", "In a project", "Project published",
                                        "Project completed", "Project evaluated"]
    assert funnel["Number of needs"].tolist() == [7, 5, 4, 3, 2, 1]


def _step(db, project, before: str | None, after: str, at) -> None:
    entry = audit.record(user(db, "staff"), "project.step", project, from_state=before, to_state=after)
    entry.at = at


def test_step_times_add_up_each_projects_time_in_the_step(client, db):
    """A returned project spends two spells in drafting: both count, once per project."""
    first, second = build(db, "draft", title="楼道灯光改造"), build(db, "draft", title="老年助餐点")
    start = db.session.scalar(select(audit.AuditRecord.at).where(audit.AuditRecord.object_type == "Project")
                              .order_by(audit.AuditRecord.id.desc()).limit(1)) + timedelta(days=1)
    day = timedelta(days=1)
    for project in (first, second):
        _step(db, project, None, "draft", start)
    _step(db, first, "draft", "proposed", start + 2 * day)
    _step(db, first, "proposed", "resolved", start + 5 * day)
    _step(db, second, "draft", "proposed", start + 1 * day)
    _step(db, second, "proposed", "resolved", start + 2 * day)
    _step(db, second, "resolved", "draft", start + 4 * day)      # returned by the committee
    _step(db, second, "draft", "proposed", start + 7 * day)
    _step(db, second, "proposed", "resolved", start + 8 * day)
    db.session.commit()
    steps = _csv(client, "steps")
    assert list(steps.columns) == ["环节", "平均天数", "项目数"]
    assert steps.to_dict("records") == [{"环节": "起草", "平均天数": 3.0, "项目数": 2},
                                        {"环节": "理事会表决", "平均天数": 2.5, "项目数": 2},
                                        {"环节": "社区党委审批", "平均天数": 2.0, "项目数": 1}]


def test_without_any_finished_step_the_dashboard_says_so_in_words(client):
    html = client.get("/dashboard").get_data(as_text=True)
    section = re.search(r'<section[^>]*aria-labelledby="chart-steps-title".*?</section>', html, re.S).group(0)
    assert "还没有项目走完任何一个环节" in section
    assert 'id="chart-steps"' not in section and "data-chart" not in section


def test_steps_faster_than_an_hour_are_not_drawn_as_nothing():
    from coordination.dashboards import analysis

    data = pd.DataFrame([("draft", 0.0001, 3), ("proposed", 0.0, 2)], columns=["step", "days", "projects"])
    labels = {"days": "平均天数", "draft": "起草", "proposed": "理事会表决", "under_an_hour": "不到1小时",
              "hours": "%(hours)s 小时", "days_text": "%(days)s 天"}
    figure = analysis.step_durations(data, labels)
    assert figure.layout.xaxis.rangemode == "tozero"
    assert list(figure.data[0].text) == ["不到1小时", "不到1小时"]


HEADERS = {
    "needs": (["月份", "类别", "需求数"], ["Month", "Category", "Number of needs"]),
    "funnel": (["环节", "需求数", "统计口径"], ["Stage", "Number of needs", "What it counts"]),
    "steps": (["环节", "平均天数", "项目数"], ["Step", "Average days", "Number of projects"]),
    "satisfaction": (["项目名称", "回答人数", "满意人数", "满意率（%）"],
                     ["Project title", "Respondents", "Satisfied", "Satisfaction rate (%)"]),
    "units": (["成员单位", "参与项目", "牵头项目", "联建项目", "党员参与人次", "志愿服务时长（小时）", "逐人登记的志愿服务时长（小时）",
               "服务人数"],
              ["Member unit", "Projects taken part in", "Projects led", "Projects joined as a partner",
               "Party members taking part", "Volunteer hours", "Volunteer hours recorded person by person",
               "People served"]),
}


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_tables_and_downloads_are_headed_in_the_pages_language(client, api_token, db, language):
    _evaluated(client, api_token, db)
    if language == "en":
        client.get("/lang/en")
    html = client.get("/dashboard").get_data(as_text=True)
    for name, (chinese, english) in HEADERS.items():
        expected = chinese if language == "zh_CN" else english
        assert list(_csv(client, name).columns) == expected, name
        section = re.search(rf'<section[^>]*aria-labelledby="chart-{name}-title".*?</section>', html, re.S).group(0)
        assert re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', section) == expected, name
    english_words = ("month", "category", "needs", "stage", "unit", "led", "joined", "count", "rate", "answers")
    if language == "zh_CN":
        headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', html)
        assert not [h for h in headers if h.lower() in english_words]


def test_an_uncategorised_need_is_named_in_the_pages_language(client, db):
    _submitted(db, "小区门口缺少座椅")
    db.session.commit()
    assert "未分类" in _csv(client, "needs")["类别"].tolist()
    client.get("/lang/en")
    assert _csv(client, "needs")["Category"].tolist() == ["Uncategorised"]


def test_category_names_follow_the_pages_language(client, db):
    need = accepted_need(db, title="楼道堆物清理")
    db.session.commit()
    category = need.category
    assert category.name_en and category.name_en != category.name
    assert _csv(client, "needs")["类别"].tolist() == [category.name]
    client.get("/lang/en")
    assert _csv(client, "needs")["Category"].tolist() == [category.name_en]
    html = client.get("/dashboard").get_data(as_text=True)
    assert category.name not in html


@pytest.mark.parametrize("query, field, words", [
    ("?start=2026-13-45", "start", "开始日期"),
    ("?end=yesterday", "end", "结束日期"),
    ("?start=2026-12-01&end=2026-11-01", "end", "结束日期"),
])
def test_a_bad_date_filter_is_refused_naming_the_field(client, query, field, words):
    page = client.get(f"/dashboard{query}")
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    feedback = re.search(rf'<div class="invalid-feedback" id="{field}-error">([^<]+)</div>', html)
    assert feedback and words in feedback.group(1)
    assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', html)
    assert "data-chart" not in html  # no charts that look filtered but are not
    download = client.get(f"/dashboard/funnel.csv{query}")
    assert download.status_code == 400
    error = download.json["error"]
    assert error["code"] == "invalid" and list(error["fields"]) == [field] and words in error["fields"][field]


def test_a_bad_date_is_refused_in_english_too(client):
    client.get("/lang/en")
    error = client.get("/dashboard/units.csv?start=2026-02-30").json["error"]
    assert "Start date" in error["fields"]["start"]
    assert "Start date" in client.get("/dashboard?start=2026-02-30").get_data(as_text=True)


def test_member_units_are_a_ranked_list_not_a_crowded_chart(client, db):
    build(db, "claimed", title="楼道灯光改造", claimer="unitrep")
    build(db, "claimed", title="社区读书角", claimer="unitrep")
    build(db, "claimed", title="老年助餐点", claimer="unitrep2")
    html = client.get("/dashboard").get_data(as_text=True)
    section = re.search(r'<section[^>]*aria-labelledby="chart-units-title".*?</section>', html, re.S).group(0)
    assert "data-chart" not in section
    ranked = re.search(r'<ol class="ranked-list[^"]*">(.*?)</ol>', section, re.S).group(1)
    names = re.findall(r'<span class="ranked-name[^"]*">([^<]+)</span>', ranked)
    assert names[:2] == ["上海建工集团股份有限公司", "中交航道勘察设计学院"]
    assert len(names) == 2  # units that have done nothing yet are not ranked
    # The page's table lists the units that took part; the download every member unit.
    rows = re.findall(r"<tr><td>([^<]+)</td>", section)
    assert rows == ["上海建工集团股份有限公司", "中交航道勘察设计学院"]
    active_units = db.session.scalar(select(func.count()).select_from(MemberUnit).where(MemberUnit.active))
    assert len(_csv(client, "units")) == active_units > 2


def test_the_page_tells_plotly_its_stylesheets_are_there(client):
    """plotly.js injects a <style> element (refused by our CSP) unless these elements exist."""
    from coordination.dashboards.views import _bundled_style_ids

    html = client.get("/dashboard").get_data(as_text=True)
    link = re.search(r'<link rel="stylesheet" id="plotly\.js-style-global" class="no-inline-styles" href="([^"]+)">',
                     html)
    assert link and client.get(link.group(1).replace("&amp;", "&")).status_code == 200
    assert _bundled_style_ids()  # the bundle still has its map library's stylesheet
    for style_id in _bundled_style_ids():
        assert f'<template id="{style_id}"></template>' in html


def test_satisfaction_draws_the_best_fifteen_and_says_so():
    from coordination.dashboards import analysis

    data = pd.DataFrame({"project": [f"项目{i:02d}" for i in range(20)], "answers": 10, "satisfied": 8,
                         "rate": [100.0 - i for i in range(20)]})
    figure = analysis.satisfaction(data, "project", {"rate": "满意率"})
    assert figure.data[0].orientation == "h"
    assert list(figure.data[0].y) == [f"项目{i:02d}" for i in range(15)]
