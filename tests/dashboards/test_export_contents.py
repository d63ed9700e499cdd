"""A needs export of a few thousand rows holds every need once, in order, with the cells a
reader expects: the same in Excel and in CSV, names and phones masked for committees, hidden
needs only for staff."""

from __future__ import annotations

import csv
import io
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert
from sqlalchemy import select

from coordination.accounts.models import User
from coordination.needs.enums import NeedChannel
from coordination.needs.enums import NeedKind
from coordination.needs.enums import NeedStatus
from coordination.needs.models import Category
from coordination.needs.models import Need
from coordination.places.models import Place

HEADERS = ["编号", "类型", "标题", "描述", "状态", "类别", "居民区/楼宇", "片区", "渠道", "支持人数",
           "提出人", "联系电话", "提交时间", "已隐藏"]
TITLES = ["楼道灯坏了", "=SUM(A1:A9)", "A & B <c> \"d\"", " 前后有空格 ", "+86 热线", "表情 😀", "@所有人",
          "-1"]
COUNT = 2345  # more than the rows read, spooled and reported at a time


@pytest.fixture()
def many_needs(db):
    """COUNT needs of every kind, channel and a few statuses, some hidden, online ones named
    after their submitter; returns what a reader should find for each, in id order."""
    places = db.session.scalars(select(Place).where(Place.area_id.is_not(None)).order_by(Place.id)).all()[:5]
    categories = db.session.scalars(select(Category).order_by(Category.id)).all()
    resident = db.session.scalar(select(User).where(User.username == "resident"))
    start = datetime(2025, 12, 31, 15, 59, 58, tzinfo=UTC)  # New Year's Eve in UTC, 1 January in Shanghai
    values = []
    for i in range(COUNT):
        online = i % 4 == 0
        status = (NeedStatus.SUBMITTED, NeedStatus.ACCEPTED, NeedStatus.FULFILLED)[i % 3]
        values.append({
            "kind": list(NeedKind)[i % len(NeedKind)], "title": f"{TITLES[i % len(TITLES)]}{i}",
            "description": f"第{i}条：" + "说明" * (i % 50), "place_id": places[i % len(places)].id,
            "area_id": places[i % len(places)].area_id,
            "category_id": categories[i % len(categories)].id if status != NeedStatus.SUBMITTED else None,
            "channel": NeedChannel.ONLINE if online else NeedChannel.VISIT, "status": status,
            "submitter_id": resident.id if online else None, "requester_name": None if online else f"王阿婆{i % 7}",
            "contact_phone": None if online else f"139{i:08d}", "support_count": i % 13,
            "hidden": i % 10 == 9, "hidden_reason": "重复" if i % 10 == 9 else None,
            "created_at": start + timedelta(minutes=7 * i, seconds=i % 60)})
    db.session.execute(insert(Need), values)
    ids = db.session.scalars(select(Need.id).order_by(Need.id)).all()[-COUNT:]
    names = {place.id: place.name for place in db.session.scalars(select(Place))}
    category_names = {category.id: category.name for category in categories}
    shanghai = ZoneInfo("Asia/Shanghai")
    return [{
        "编号": need_id, "类型": str(v["kind"].label),
        "标题": ("'" + v["title"]) if v["title"][0] in "=+-@" else v["title"], "描述": v["description"],
        "状态": str(v["status"].label), "类别": category_names.get(v["category_id"]),
        "居民区/楼宇": names[v["place_id"]], "片区": names[v["area_id"]], "渠道": str(v["channel"].label),
        "支持人数": v["support_count"], "提出人": v["requester_name"] or resident.display_name,
        "联系电话": v["contact_phone"], "提交时间": v["created_at"].astimezone(shanghai).replace(tzinfo=None),
        "已隐藏": v["hidden"]} for need_id, v in zip(ids, values)]


def cli_export(app, tmp_path, fmt):
    path = tmp_path / f"needs.{fmt}"
    result = app.test_cli_runner().invoke(args=["export", "needs", "--format", fmt, "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path.read_bytes()


def xlsx_rows(data: bytes):
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows())
    assert sheet.title == "需求" and [cell.value for cell in rows[0]] == HEADERS
    assert all(cell.font.b for cell in rows[0])
    assert {row[12].number_format for row in rows[1:]} == {"yyyy-mm-dd hh:mm:ss"}
    return [dict(zip(HEADERS, [cell.value for cell in row])) for row in rows[1:]]


def csv_rows(data: bytes):
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == HEADERS
    return [dict(zip(HEADERS, row)) for row in rows[1:]]


def as_text(need: dict) -> dict:
    """A need's cells as CSV writes them."""
    cells = {header: "" if value is None else str(value) for header, value in need.items()}
    cells["提交时间"] = need["提交时间"].strftime("%Y-%m-%d %H:%M:%S")
    return cells


def test_the_command_line_exports_every_need_in_excel_and_csv(app, many_needs, tmp_path):
    assert len(many_needs) == COUNT
    assert xlsx_rows(cli_export(app, tmp_path, "xlsx")) == many_needs
    assert csv_rows(cli_export(app, tmp_path, "csv")) == [as_text(need) for need in many_needs]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_committee_gets_the_visible_needs_with_contacts_masked(client_as, many_needs, fmt):
    from coordination.core.privacy import mask_name
    from coordination.core.privacy import mask_phone

    response = client_as("street_committee").get(f"/exports/needs.{fmt}")
    assert response.status_code == 200
    visible = [{**need, "提出人": mask_name(need["提出人"]), "联系电话": mask_phone(need["联系电话"])}
               for need in many_needs if not need["已隐藏"]]
    if fmt == "xlsx":
        assert xlsx_rows(response.data) == visible
    else:
        assert csv_rows(response.data) == [as_text(need) for need in visible]
