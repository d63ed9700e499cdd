import pytest

from tests.projects.conftest import build, make_project  # noqa: F401  (fixture)


@pytest.fixture()
def completed(db):
    """A completed project."""
    return build(db, "completed")


@pytest.fixture()
def opened(client, api_token, completed):
    """A completed project whose evaluation is open; returns (project_id, survey JSON)."""
    response = client.post(f"/api/v1/projects/{completed.id}/evaluation/open", json={}, headers=api_token("staff"))
    assert response.status_code == 200, response.json
    survey_id = response.json["survey_id"]
    survey = client.get(f"/api/v1/surveys/{survey_id}", headers=api_token("staff")).json
    return completed.id, survey


def score_indicators(client, api_token, project_id: int, score: int = 85) -> None:
    """Staff score the first indicator (an evaluation needs an indicator score to be accepted)."""
    first = client.get("/api/v1/indicators", headers=api_token("staff")).json["items"][0]["id"]
    response = client.post(f"/api/v1/projects/{project_id}/indicator-scores", headers=api_token("staff"),
                           json={"scores": [{"indicator_id": first, "score": score}]})
    assert response.status_code == 200, response.json


def close_survey(client, api_token, survey_id: int):
    response = client.post(f"/api/v1/surveys/{survey_id}/close", headers=api_token("staff"))
    assert response.status_code == 200, response.json
    return response


def ready_for_review(client, api_token, project_id: int, survey_id: int) -> None:
    """What the street committee needs before accepting: indicator scores and a closed survey
    (the responses are the test's own)."""
    score_indicators(client, api_token, project_id)
    close_survey(client, api_token, survey_id)


def overall_id(survey) -> int:
    return next(q["id"] for q in survey["questions"] if q["overall"])


@pytest.fixture()
def submit_offline(client, api_token):
    from sqlalchemy import select

    from coordination.extensions import db
    from coordination.places.models import Place

    place_id = db.session.scalar(select(Place.id).where(Place.name == "福山居民区"))
    response = client.post("/api/v1/needs", headers=api_token("staff"), json={
        "kind": "request", "title": "热线反映", "description": "楼道灯坏了", "place_id": place_id,
        "channel": "hotline", "on_behalf_of": {"name": "王阿婆", "phone": "13900001111"}})
    assert response.status_code == 201
    return response.json
