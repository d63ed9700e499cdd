"""Importing offline needs: all or nothing, bad rows named by line and column."""

import io

import pandas as pd
import pytest
from sqlalchemy import func
from sqlalchemy import select

from coordination.needs.models import Need
from tests.conftest import csrf_token

HEADERS = ["类型", "标题", "描述", "居民区/楼宇", "渠道", "提出人", "联系电话", "邮箱", "类别"]
GOOD = [
    ["微心愿", "楼道装感应灯", "3号楼楼道很暗。", "福山居民区", "群众议事厅", "王阿婆", "13800001111", "", ""],
    ["诉求", "午间开放健身角", "希望中午也开放。", "建工大厦", "走访", "小李", "", "", "2"],
    ["金点子", "白领教老人用微信", "每周一次。", "市新居民区", "热线", "陈先生", "", "", "社区文化共享"],
]


def sheet(rows, fmt="xlsx", headers=HEADERS) -> bytes:
    frame = pd.DataFrame(rows, columns=headers)
    out = io.BytesIO()
    if fmt == "xlsx":
        frame.to_excel(out, index=False)
    else:
        out.write(frame.to_csv(index=False).encode("utf-8-sig"))
    return out.getvalue()


def count(db):
    return db.session.scalar(select(func.count()).select_from(Need))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_cli_imports_a_good_file(app, db, tmp_path, fmt):
    path = tmp_path / f"needs.{fmt}"
    path.write_bytes(sheet(GOOD, fmt))
    before = count(db)
    result = app.test_cli_runner().invoke(args=["needs", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 3 needs" in result.output
    assert count(db) == before + 3
    need = db.session.scalar(select(Need).where(Need.title == "白领教老人用微信"))
    assert need.channel.value == "hotline" and need.category.code == 5 and need.status.value == "submitted"


@pytest.mark.parametrize("bad_row, line_text", [
    (["投诉", "x", "y", "福山居民区", "走访", "甲", "", "", ""], "line 3"),
    (["微心愿", "", "y", "福山居民区", "走访", "甲", "", "", ""], "line 3"),
    (["微心愿", "x", "y", "不存在的小区", "走访", "甲", "", "", ""], "line 3"),
    (["微心愿", "x", "y", "福山居民区", "网上", "甲", "", "", ""], "line 3"),
    (["微心愿", "x", "y", "福山居民区", "走访", "", "", "", ""], "line 3"),
    (["微心愿", "x", "y", "福山居民区", "走访", "甲", "", "", "9"], "line 3"),
])
def test_cli_saves_nothing_of_a_file_with_a_bad_row(app, db, tmp_path, bad_row, line_text):
    path = tmp_path / "needs.xlsx"
    path.write_bytes(sheet([GOOD[0], bad_row, GOOD[1]]))
    before = count(db)
    result = app.test_cli_runner().invoke(args=["needs", "import", str(path)])
    assert result.exit_code == 1
    assert line_text in result.output and "Nothing was imported" in result.output
    assert count(db) == before


def test_a_missing_column_is_named(app, db, tmp_path):
    path = tmp_path / "needs.csv"
    path.write_bytes(sheet([row[:5] for row in GOOD], "csv", headers=HEADERS[:5]))
    result = app.test_cli_runner().invoke(args=["needs", "import", str(path)])
    assert result.exit_code == 1 and "line 1" in result.output


def test_web_import_previews_then_imports(client_as, db):
    staff = client_as("staff")
    before = count(db)
    upload = staff.post("/needs/import", data={"csrf_token": csrf_token(staff, "/needs/import"),
                                               "file": (io.BytesIO(sheet(GOOD)), "needs.xlsx")},
                        content_type="multipart/form-data")
    assert upload.status_code == 200
    html = upload.get_data(as_text=True)
    assert "楼道装感应灯" in html and count(db) == before  # a preview saves nothing
    token = html.split('name="token" value="')[1].split('"')[0]
    confirm = staff.post("/needs/import/confirm", data={"csrf_token": csrf_token(staff, "/needs/import"),
                                                        "token": token})
    assert confirm.status_code == 302
    assert count(db) == before + 3


def test_web_import_shows_bad_rows(client_as, db):
    staff = client_as("staff")
    bad = ["微心愿", "x", "y", "不存在的小区", "走访", "甲", "", "", ""]
    response = staff.post("/needs/import", data={"csrf_token": csrf_token(staff, "/needs/import"),
                                                 "file": (io.BytesIO(sheet([GOOD[0], bad])), "needs.xlsx")},
                          content_type="multipart/form-data")
    assert response.status_code == 400
    assert "不存在的小区" in response.get_data(as_text=True)


def test_residents_cannot_import(client_as):
    assert client_as("resident").get("/needs/import").status_code == 403


def many_rows(n: int) -> list[list[str]]:
    places = ["福山居民区", "建工大厦", "市新居民区"]
    channels = ["群众议事厅", "走访", "热线", "民生接纳室"]
    return [["微心愿", f"批量需求{i}", f"第{i}行的描述。", places[i % 3], channels[i % 4], f"居民{i}",
             f"138{i:08d}", "", str(i % 7 + 1)] for i in range(n)]


def audited(db, action="need.record"):
    from coordination.core.models import AuditRecord

    return db.session.scalar(select(func.count()).select_from(AuditRecord).where(AuditRecord.action == action))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_ten_thousand_rows_import_with_every_row_audited(app, db, tmp_path, fmt):
    from coordination.core.models import AuditRecord

    path = tmp_path / f"needs.{fmt}"
    path.write_bytes(sheet(many_rows(10000), fmt))
    before, audited_before = count(db), audited(db)
    result = app.test_cli_runner().invoke(args=["needs", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 10000 needs" in result.output
    assert count(db) == before + 10000 and audited(db) == audited_before + 10000
    assert audited(db, "need.import") >= 1
    last = db.session.scalar(select(Need).where(Need.title == "批量需求9999"))
    assert (last.requester_name, last.contact_phone, last.channel.value, last.category.code, last.status.value) == (
        "居民9999", "13800009999", "reception_room", 4, "submitted")
    record = db.session.scalar(select(AuditRecord).where(AuditRecord.action == "need.record",
                                                         AuditRecord.object_id == last.id))
    assert (record.object_type, record.object_label, record.to_state, record.details, record.actor.username) == (
        "Need", "批量需求9999", "submitted", {"channel": "reception_room"}, "staff")


def test_a_bad_row_deep_in_a_large_file_is_named_and_nothing_is_saved(app, db, tmp_path):
    rows = many_rows(9000)
    rows[8500][3] = "不存在的小区"
    path = tmp_path / "needs.csv"
    path.write_bytes(sheet(rows, "csv"))
    before, audited_before = count(db), audited(db)
    result = app.test_cli_runner().invoke(args=["needs", "import", str(path)])
    assert result.exit_code == 1
    assert "line 8502" in result.output and "不存在的小区" in result.output and "Nothing was imported" in result.output
    assert count(db) == before and audited(db) == audited_before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_over_the_row_limit_is_refused_clearly(app, db, tmp_path, fmt):
    path = tmp_path / f"needs.{fmt}"
    path.write_bytes(sheet(many_rows(51), fmt))
    before = count(db)
    app.config["IMPORT_MAX_ROWS"] = 50
    try:
        result = app.test_cli_runner().invoke(args=["needs", "import", str(path)])
    finally:
        app.config["IMPORT_MAX_ROWS"] = 50000
    assert result.exit_code == 1
    assert "line 1: 每个文件最多50行。" in result.output and count(db) == before


def test_the_web_preview_of_a_large_file_shows_the_first_rows(client_as, db):
    staff = client_as("staff")
    upload = staff.post("/needs/import", data={"csrf_token": csrf_token(staff, "/needs/import"),
                                               "file": (io.BytesIO(sheet(many_rows(3000))), "needs.xlsx")},
                        content_type="multipart/form-data")
    assert upload.status_code == 200
    html = upload.get_data(as_text=True)
    assert "批量需求199<" in html and "批量需求200<" not in html and "2800" in html
    token = html.split('name="token" value="')[1].split('"')[0]
    before = count(db)
    confirm = staff.post("/needs/import/confirm", data={"csrf_token": csrf_token(staff, "/needs/import"),
                                                        "token": token})
    assert confirm.status_code == 302 and count(db) == before + 3000


def test_imported_needs_are_found_by_the_search_at_once(app, db, tmp_path, client, api_token):
    path = tmp_path / "needs.csv"
    path.write_bytes(sheet(GOOD, "csv"))
    assert app.test_cli_runner().invoke(args=["needs", "import", str(path)]).exit_code == 0
    found = client.get("/api/v1/needs?status=submitted&q=教老人", headers=api_token("staff")).json
    assert "白领教老人用微信" in [need["title"] for need in found["items"]]
