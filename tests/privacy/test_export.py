"""Downloading one's data (PIPL): everything the platform holds about the person, one document."""

from __future__ import annotations

import json

from coordination.extensions import db as database
from coordination.privacy.export import covered_columns
from tests.conftest import login
from tests.privacy.conftest import CANARY


def user_references() -> set[str]:
    """Every ``table.column`` of the schema that refers to ``users.id``."""
    users = database.metadata.tables["users"]
    return {f"{table.name}.{fk.parent.name}" for table in database.metadata.sorted_tables
            for fk in table.foreign_keys if fk.column is users.c.id}


def test_every_table_referring_to_a_user_is_covered_by_the_export(app):
    refs = user_references()
    assert len(refs) >= 24  # the schema as it is today: a vanished reference is a bug too
    assert refs - covered_columns() == set()
    assert covered_columns() - refs == set()


def test_the_document_holds_everything_about_the_caller(client, person):
    response = client.get("/api/v1/me/data", headers=person["headers"])
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    data = response.json
    assert data["format"] == "golden-ribbon-personal-data/1"
    profile = data["profile"]
    assert (profile["username"], profile["display_name"], profile["phone"], profile["email"], profile["real_name"]) == (
        CANARY["username"], CANARY["display_name"], CANARY["phone"], CANARY["email"], CANARY["real_name"])
    assert "password_hash" not in profile
    assert profile["place"]["name"] == "福山居民区"
    assert data["roles"] == ["resident"]
    assert [(n["id"], n["description"]) for n in data["needs"]] == [(person["need_id"], CANARY["need_text"])]
    assert [s["need_id"] for s in data["supports"]] == [person["other_need_id"]]
    # the submitter follows their own need; this person also followed the other one
    assert sorted(f["need_id"] for f in data["follows"]) == sorted([person["need_id"], person["other_need_id"]])
    assert [r["reason"] for r in data["content_reports"]["made"]] == [CANARY["report_reason"]]
    [answered] = data["survey_responses"]
    assert answered["survey_id"] == person["survey_id"] and answered["project_id"] == person["project_id"]
    assert [a["text"] for a in answered["answers"] if a["text"]] == [CANARY["answer_text"]]
    assert all(a["question"] for a in answered["answers"])
    [ballot] = data["ballots"]
    assert set(ballot) == {"selection_id", "year", "cast_at"}  # that they voted, never for whom
    assert [t["client"] for t in data["api_tokens"]] and all("token_hash" not in t for t in data["api_tokens"])
    assert all(set(n) == {"id", "kind", "text", "link", "created_at", "read"} for n in data["notifications"])
    actions = [entry["action"] for entry in data["audit"]["by_me"]]
    assert {"user.register", "need.submit", "need.support", "need.report"} <= set(actions), actions
    assert [entry["action"] for entry in data["audit"]["about_me"]] == ["user.update"]


def test_a_staff_member_gets_their_official_records(client, api_token, person):
    data = client.get("/api/v1/me/data", headers=api_token("staff")).json
    assert data["profile"]["username"] == "staff"
    assert person["need_id"] not in [n["need_id"] for n in data["needs_triaged"]]
    assert [s["project_id"] for s in data["surveys_opened"]] == [person["project_id"]]
    projects = [person["project_id"], person["second_project_id"]]
    assert [p["project_id"] for p in data["projects_created"]] == projects
    council = client.get("/api/v1/me/data", headers=api_token("council")).json
    assert [v["project_id"] for v in council["council_votes"]] == projects
    assert council["council_seats"] and council["needs"] == []
    from coordination.api.schemas.privacy import PersonalDataOut

    for role in ("staff", "council", "unit_rep", "street_committee", "admin"):
        PersonalDataOut.model_validate(client.get("/api/v1/me/data", headers=api_token(role)).json)


def test_the_web_download_is_the_same_document_as_a_file(client, person):
    web = person["web"]
    page = web.get("/me").get_data(as_text=True)
    assert 'href="/me/data"' in page and 'href="/me/delete"' in page
    response = web.get("/me/data")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="golden-ribbon-my-data.json"'
    assert response.headers["Cache-Control"] == "no-store"
    from_file = json.loads(response.get_data(as_text=True))
    from_api = client.get("/api/v1/me/data", headers=person["headers"]).json
    for document in (from_file, from_api):
        document.pop("generated_at")
        for token in document["api_tokens"]:
            token.pop("last_used_at")
    assert from_file == from_api


def test_only_the_person_themselves_gets_their_data(client):
    assert client.get("/api/v1/me/data").status_code == 401
    response = client.get("/me/data")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_the_chinese_page_offers_the_download(client):
    login(client, "worker")
    page = client.get("/me").get_data(as_text=True)
    assert "下载我的数据" in page and "注销账号" in page


def test_the_openapi_document_declares_the_personal_data_routes(client, person):
    document = client.get("/api/v1/openapi.json").json
    download = document["paths"]["/me/data"]["get"]
    assert set(download["responses"]) == {"200", "401", "405", "413", "429"}
    assert download["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/PersonalDataOut")
    deletion = document["paths"]["/me"]["delete"]
    assert set(deletion["responses"]) == {"204", "400", "401", "403", "405", "413", "415", "429"}
    assert deletion["x-roles"] == ["resident", "worker"]
    assert deletion["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/DeleteAccountBody")
    # the answer matches its declared schema
    from coordination.api.schemas.privacy import PersonalDataOut

    PersonalDataOut.model_validate(client.get("/api/v1/me/data", headers=person["headers"]).json)
