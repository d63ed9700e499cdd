"""The project list's member-unit filter: a searchable field with a bounded suggestion endpoint,
never a select of every unit (10,000 on the street)."""

from __future__ import annotations

import re

from sqlalchemy import select

from coordination.places.models import MemberUnit
from tests.core.test_query_counts import CEILING
from tests.core.test_query_counts import counted


def test_the_list_does_not_send_every_unit(client, make_project):
    make_project("claimed", title="楼道灯光改造")  # claimed by 上海建工集团股份有限公司
    html = client.get("/projects").get_data(as_text=True)
    assert "楼道灯光改造" in html
    assert "陆家嘴街道社区学校" not in html  # a unit with no project on the page
    assert 'name="unit"' in html and 'list="unit-options"' in html


def test_a_typed_unit_name_filters_the_list(client, make_project, db):
    make_project("claimed", title="楼道灯光改造")
    assert "楼道灯光改造" in client.get("/projects?unit=上海建工集团股份有限公司").get_data(as_text=True)
    assert "楼道灯光改造" in client.get("/projects?unit=建工").get_data(as_text=True)  # a part of the name
    html = client.get("/projects?unit=东昌律师事务所").get_data(as_text=True)
    assert "楼道灯光改造" not in html
    assert "楼道灯光改造" not in client.get("/projects?unit=没有这个单位").get_data(as_text=True)
    assert "楼道灯光改造" not in client.get("/projects?unit=%25").get_data(as_text=True)  # % is a character


def test_a_link_by_unit_id_shows_the_units_name_in_the_field(client, make_project, db):
    make_project("claimed", title="楼道灯光改造")
    unit_id = db.session.scalar(select(MemberUnit.id).where(MemberUnit.name == "上海建工集团股份有限公司"))
    html = client.get(f"/projects?unit_id={unit_id}").get_data(as_text=True)
    assert "楼道灯光改造" in html
    assert 'value="上海建工集团股份有限公司"' in html


def test_suggestions_are_few_and_match(client):
    answer = client.get("/projects/units.json?q=陆家嘴")
    assert answer.status_code == 200
    names = [item["name"] for item in answer.json["items"]]
    assert names == sorted(names) and 0 < len(names) <= 20
    assert all("陆家嘴" in name for name in names)
    assert client.get("/projects/units.json?q=").json == {"items": []}
    assert client.get("/projects/units.json").json == {"items": []}


def test_the_unit_filter_runs_a_few_queries(client, make_project):
    for i in range(3):
        make_project("claimed", title=f"项目{i}", need_title=f"需求{i}")
    for url in ("/projects", "/projects?unit=建工", "/projects?unit=上海建工集团股份有限公司"):
        with counted() as statements:
            assert client.get(url).status_code == 200
        assert len(statements) <= CEILING, (url, len(statements))
        # every read of the units is bounded: by id (the page's projects), by name, or by LIMIT
        unbounded = [s for s in statements if re.search(r"FROM member_units\s*(WHERE|$)", s)
                     and not re.search(r"FROM member_units\s*WHERE member_units\.(id IN|active\b.{0,12}AND member_units\.name = )", s)
                     and "LIMIT" not in s]
        assert unbounded == [], unbounded
