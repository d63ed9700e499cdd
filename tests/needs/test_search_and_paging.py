"""Full-text search that handles Chinese (through the index), keyset pages, cheap totals."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy import text

from coordination.core import search
from coordination.needs import operations
from coordination.needs import queries
from coordination.needs.models import Category
from coordination.needs.models import Need
from coordination.places.models import Place
from tests.factories import user

NEEDS = [("加装电梯", "6层老楼，老人上下楼难。"), ("电梯维修", "电梯经常停运。"), ("楼道照明", "楼道很暗。"),
         ("WiFi信号差", "活动室上不了网。"), ("3号楼停车难", "晚上没有车位。")]


@pytest.fixture()
def menu(db):
    """The needs above, accepted into the menu; {title: id}."""
    place_id = db.session.scalar(select(Place.id).where(Place.name == "福山居民区"))
    category_id = db.session.scalar(select(Category.id).where(Category.code == 6))
    ids = {}
    for title, description in NEEDS:
        need = operations.submit_need(user(db, "worker"), operations.NeedInput(
            kind="wish", title=title, description=description, place_id=place_id))
        operations.accept_need(user(db, "staff"), need.id, category_id)
        ids[title] = need.id
    db.session.commit()
    return ids


@pytest.mark.parametrize(("q", "found"), [
    ("电梯", ["加装电梯", "电梯维修"]),          # a two-character word
    ("加装电梯", ["加装电梯"]),                   # a longer word: the exact substring
    ("装电梯", ["加装电梯"]),
    ("梯维", ["电梯维修"]),
    ("电梯坏", []),
    ("梯", ["加装电梯", "电梯维修"]),            # one character, inside and at the end
    ("明", ["楼道照明"]),
    ("老人", ["加装电梯"]),                      # in the description
    ("wifi", ["WiFi信号差"]), ("WIF", ["WiFi信号差"]),   # Latin words, any case, by their start
    ("信号", ["WiFi信号差"]), ("wifi信号", ["WiFi信号差"]),
    ("3号楼", ["3号楼停车难"]),
    ("电梯 维修", ["电梯维修"]),                  # every word must match
    ("电梯，照明", []),
])
def test_search_finds_chinese_words_and_substrings(client, menu, q, found):
    answer = client.get("/api/v1/needs", query_string={"q": q, "per_page": 100}).json
    assert sorted(item["title"] for item in answer["items"]) == sorted(found)
    assert answer["total"] == len(found) and answer["total_capped"] is False


def test_search_of_punctuation_only_still_answers(client, menu):
    answer = client.get("/api/v1/needs", query_string={"q": "，！"}).json
    assert answer["items"] == [] and answer["total"] == 0


def test_the_html_menu_and_projects_search_the_same_way(client, menu):
    html = client.get("/needs", query_string={"q": "电梯"}).get_data(as_text=True)
    assert "加装电梯" in html and "电梯维修" in html and "楼道照明" not in html


def test_an_edited_title_is_searched_at_once(client, db, menu):
    need = db.session.get(Need, menu["楼道照明"])
    need.title = "楼道感应灯"
    db.session.commit()
    titles = [i["title"] for i in client.get("/api/v1/needs", query_string={"q": "感应"}).json["items"]]
    assert titles == ["楼道感应灯"]
    assert client.get("/api/v1/needs", query_string={"q": "照明"}).json["total"] == 0


def test_a_search_total_stops_counting_at_the_cap(client, menu, monkeypatch):
    monkeypatch.setattr(search, "SEARCH_TOTAL_CAP", 1)
    answer = client.get("/api/v1/needs", query_string={"q": "电梯"}).json
    assert (answer["total"], answer["total_capped"], len(answer["items"])) == (1, True, 2)


def plan(db, statement) -> str:
    """The database's plan of a statement, as one lower-case text."""
    dialect = db.session.get_bind().dialect
    sql = str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    if dialect.name == "sqlite":
        rows = db.session.execute(text("EXPLAIN QUERY PLAN " + sql)).all()
        return "\n".join(str(row[-1]) for row in rows).lower()
    return "\n".join(row[0] for row in db.session.execute(text("EXPLAIN " + sql))).lower()


@pytest.fixture()
def street_scale_menu(db):
    """6,000 needs inserted in bulk (as the scale seed does), with the planner's statistics."""
    from datetime import datetime
    from datetime import timedelta
    from datetime import timezone

    from sqlalchemy import insert

    from coordination.core.counters import rebuild_all

    places = db.session.scalars(select(Place).where(Place.area_id.is_not(None))).all()
    categories = db.session.scalars(select(Category.id)).all()
    statuses = ["accepted"] * 5 + ["submitted", "rejected", "in_project", "fulfilled", "merged"]
    words = ["加装电梯", "楼道照明", "健身器材", "图书角", "老人助餐", "停车位", "充电桩", "路灯", "快递柜", "绿化带"]
    now = datetime.now(timezone.utc)
    rows = []
    for i in range(6000):
        place, status = places[i % len(places)], statuses[i % len(statuses)]
        rows.append({"kind": "wish", "title": f"{words[i % 10]}{i}" if i % 300 else f"无障碍坡道{i}", "description": words[(i * 7) % 10],
                     "place_id": place.id, "area_id": place.area_id, "status": status, "requester_name": "居民",
                     "category_id": None if status == "submitted" else categories[i % len(categories)],
                     "rejection_reason": "不受理" if status == "rejected" else None,
                     "merged_into_id": 1 if status == "merged" and i > 1 else None,
                     "support_count": i % 37, "created_at": now - timedelta(minutes=i), "updated_at": now})
    rows = [r for r in rows if r["status"] != "merged"]
    db.session.execute(insert(Need), rows)
    rebuild_all()  # bulk rows get their search column here
    db.session.execute(text("ANALYZE"))
    db.session.flush()


MENU_QUERIES = [({}, "supports"), ({"category_id": 1}, "supports"), ({"category_id": 1}, "newest"),
                ({"area_id": 1}, "supports"), ({"place_id": 3}, "supports"), ({}, "newest"),
                ({"status": ["submitted"]}, "oldest")]


def menu_statement(f: queries.NeedFilter, after: bool = False):
    keys = queries.SORTS[f.sort]
    statement = queries.filtered(f).order_by(*(k.column.desc() if k.descending else k.column.asc() for k in keys))
    return statement.limit(20)


def test_every_menu_query_reads_an_index_in_its_order(db, street_scale_menu):
    """No full scan and no sort: each filter and sort has an index that gives the page's rows
    in order (ix_needs_by_supports, ix_needs_category_supports, … of migration 0008)."""
    for filters, sort in MENU_QUERIES:
        found = plan(db, menu_statement(queries.NeedFilter(sort=sort, **filters)))
        assert re.search(r"ix_needs_\w+", found), (filters, sort, found)
        assert "temp b-tree" not in found and "sort key" not in found, (filters, sort, found)
        assert "scan needs\n" not in found + "\n" and "seq scan" not in found, (filters, sort, found)


def test_a_text_search_uses_the_full_text_index(db, street_scale_menu):
    found = plan(db, menu_statement(queries.NeedFilter(q="坡道")))
    expected = "needs_fts" if db.session.get_bind().dialect.name == "sqlite" else "ix_needs_search"
    assert expected in found, found


def walk(client, sort: str, per_page: int) -> list[int]:
    ids, after, pages = [], None, 0
    while True:
        answer = client.get("/api/v1/needs", query_string={
            "sort": sort, "per_page": per_page, **({"after": after} if after else {})}).json
        ids += [item["id"] for item in answer["items"]]
        after, pages = answer["next"], pages + 1
        if after is None:
            return ids
        assert pages < 50


@pytest.mark.parametrize("sort", ["supports", "newest", "oldest"])
def test_the_cursor_walks_the_same_list_as_the_pages(client, db, menu, sort):
    for need_id in list(menu.values())[:3]:  # ties in the support counts
        operations.support_need(user(db, "resident"), db.session.get(Need, need_id))
    db.session.commit()
    url = "/api/v1/needs"
    everything = [i["id"] for i in client.get(url, query_string={"sort": sort, "per_page": 100}).json["items"]]
    assert len(everything) == len(NEEDS)
    assert walk(client, sort, 2) == everything
    by_page = []
    for page in (1, 2, 3):
        by_page += [i["id"] for i in client.get(url, query_string={"sort": sort, "per_page": 2,
                                                                   "page": page}).json["items"]]
    assert by_page == everything


def test_a_bad_cursor_is_refused_naming_the_field(client, menu):
    for cursor in ("nonsense", "WyJuZXdlc3QiLDEsMl0", "W10"):
        response = client.get("/api/v1/needs", query_string={"after": cursor})
        assert response.status_code == 400
        assert list(response.json["error"]["fields"]) == ["after"]
    assert client.get("/needs", query_string={"after": "nonsense"}).status_code == 400
    assert client.get("/api/v1/projects", query_string={"after": "nonsense"}).status_code == 400


def need_links(html: str) -> list[str]:
    return re.findall(r'href="/needs/(\d+)"', html)


def test_the_html_menu_links_the_next_page_by_cursor(client, db, menu):
    place_id = db.session.scalar(select(Place.id).where(Place.name == "福山居民区"))
    category_id = db.session.scalar(select(Category.id).where(Category.code == 5))
    for i in range(20):
        need = operations.submit_need(user(db, "worker"), operations.NeedInput(
            kind="idea", title=f"图书角{i}", description="想要一个图书角。", place_id=place_id))
        operations.accept_need(user(db, "staff"), need.id, category_id)
    db.session.commit()
    html = client.get("/needs").get_data(as_text=True)
    assert f"共找到{len(NEEDS) + 20}条需求" in html
    link = re.search(r'href="(/needs\?[^"]*after=[^"]+)">[^<]*</a>\s*</li>\s*</ul>', html)
    assert link, "no cursor link to the next page"
    second = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert need_links(second) == need_links(client.get("/needs?page=2").get_data(as_text=True))
    assert len(set(need_links(second))) == 5 and not set(need_links(second)) & set(need_links(html))
