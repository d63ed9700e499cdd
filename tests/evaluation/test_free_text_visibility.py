"""Free-text survey answers (people type phone numbers into them) are evaluation details:
staff and the committees see them on the page, in the API and in the exports they may
download; council members, like the public, see neither the text nor any other detail."""

import json

import pytest

from tests.factories import overall_id

SECRET = "请联系我，电话13912345678"
READERS = ["staff", "community_committee", "street_committee"]
OTHERS = ["council", "resident", "worker", "unit_rep"]


@pytest.fixture()
def answered(client, api_token, opened):
    project_id, survey = opened
    text_question = next(q["id"] for q in survey["questions"] if q["kind"] == "text")
    response = client.post(f"/api/v1/surveys/{survey['id']}/responses", headers=api_token("resident"), json={
        "answers": [{"question_id": overall_id(survey), "score": 4}, {"question_id": text_question, "text": SECRET}]})
    assert response.status_code == 201, response.json
    return project_id


@pytest.mark.parametrize("role", OTHERS)
def test_council_and_the_public_never_see_free_text(client, client_as, api_token, answered, role):
    page = client_as(role).get(f"/projects/{answered}/evaluation")
    assert page.status_code == 200
    assert SECRET not in page.get_data(as_text=True)
    assert "13912345678" not in page.get_data(as_text=True)
    api = client.get(f"/api/v1/projects/{answered}/evaluation", headers=api_token(role))
    assert api.status_code == 200
    assert api.json["details"] is None
    assert "13912345678" not in json.dumps(api.json, ensure_ascii=False)


def test_anonymous_visitors_never_see_free_text(client, answered):
    page = client.get(f"/projects/{answered}/evaluation")
    assert page.status_code == 200 and "13912345678" not in page.get_data(as_text=True)
    api = client.get(f"/api/v1/projects/{answered}/evaluation")
    assert api.status_code == 200 and api.json["details"] is None


@pytest.mark.parametrize("role", READERS)
def test_staff_and_committees_see_free_text(client, client_as, api_token, answered, role):
    page = client_as(role).get(f"/projects/{answered}/evaluation")
    assert page.status_code == 200
    assert SECRET in page.get_data(as_text=True)
    api = client.get(f"/api/v1/projects/{answered}/evaluation", headers=api_token(role))
    assert api.status_code == 200
    details = api.json["details"]
    assert [t["text"] for t in details["texts"]] == [SECRET]
    assert details["questions"] and details["indicators"]


@pytest.mark.parametrize("role", READERS)
def test_the_responses_export_holds_free_text_for_readers(client_as, answered, role):
    export = client_as(role).get("/exports/responses.csv")
    assert export.status_code == 200
    assert SECRET in export.get_data().decode("utf-8-sig")


def test_council_cannot_download_the_responses(client_as, answered):
    for fmt in ("csv", "xlsx"):
        assert client_as("council").get(f"/exports/responses.{fmt}").status_code == 403
