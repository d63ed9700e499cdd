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


def overall_id(survey) -> int:
    return next(q["id"] for q in survey["questions"] if q["overall"])
