"""The import checks contact phones: a mainland mobile or landline number (tolerating +86, spaces,
dashes and an extension); a bad one is named by row and column and nothing of the file is saved."""

import io

import pytest

from coordination.core.phones import is_mainland_phone
from tests.conftest import csrf_token
from tests.needs.test_import import GOOD
from tests.needs.test_import import count
from tests.needs.test_import import sheet

VALID = ["13800001111", "+86 139 0000 1111", "86-139-0000-1111", "8613900001111", "139-0000-1111",
         "199 1234 5678", "021-58881234", "02158881234", "010 6512 3456", "0571-88881234", "0335-5123456",
         "021-58881234-123", "021-58881234转123", "021 5888 1234 ext 12"]
INVALID = ["123", "12345678901", "1380000111", "138000011112", "11012345678", "021-1234567", "0571-8888123",
           "58881234", "abc", "1380000111a", "+1 415 555 0100", "13800001111-12", "021-58881234-1234567",
           "——"]


@pytest.mark.parametrize("phone", VALID)
def test_mainland_mobiles_and_landlines_are_accepted(phone):
    assert is_mainland_phone(phone)


@pytest.mark.parametrize("phone", INVALID)
def test_other_text_is_not_a_phone_number(phone):
    assert not is_mainland_phone(phone)


def upload(staff, rows):
    return staff.post("/needs/import", data={"csrf_token": csrf_token(staff, "/needs/import"),
                                             "file": (io.BytesIO(sheet(rows, "csv")), "needs.csv")},
                      content_type="multipart/form-data")


def with_phone(phone):
    return ["微心愿", "修好单元门", "单元门关不上。", "福山居民区", "走访", "王阿婆", phone, "", ""]


def test_the_preview_names_the_row_and_field_of_a_bad_phone(client_as, db):
    staff = client_as("staff")
    before = count(db)
    response = upload(staff, [GOOD[0], with_phone("1380000111"), GOOD[1]])
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "第3行, 联系电话: “1380000111”不是有效的电话号码" in html
    assert 'name="token"' not in html  # nothing to confirm: the file is not imported
    assert count(db) == before


def test_good_phones_preview_and_import(client_as, db):
    staff = client_as("staff")
    before = count(db)
    response = upload(staff, [with_phone("+86 139-0000-1111"), with_phone("021-58881234转8")])
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
    html = response.get_data(as_text=True)
    token = html.split('name="token" value="')[1].split('"')[0]
    confirm = staff.post("/needs/import/confirm", data={"csrf_token": csrf_token(staff, "/needs/import"),
                                                        "token": token})
    assert confirm.status_code == 302 and count(db) == before + 2


def test_the_command_line_refuses_a_bad_phone_and_saves_nothing(app, db, tmp_path):
    path = tmp_path / "needs.csv"
    path.write_bytes(sheet([GOOD[0], GOOD[1], with_phone("021-1234567")], "csv"))
    before = count(db)
    result = app.test_cli_runner().invoke(args=["needs", "import", str(path)])
    assert result.exit_code == 1
    assert "4" in result.output and "021-1234567" in result.output
    assert count(db) == before
