"""The street committee may accept an evaluation only when there is something to review: the
survey is closed, somebody answered it and indicators were scored. Otherwise the operation, the
API and the page refuse, say what is missing, and change nothing."""

import pytest
from sqlalchemy import func
from sqlalchemy import select

from coordination.core.errors import Conflict
from coordination.core.models.audit import AuditRecord
from coordination.evaluation import operations
from coordination.evaluation.models import EvaluationReview
from coordination.projects.models import Project
from tests.conftest import csrf_token
from tests.factories import answer
from tests.factories import close_survey
from tests.factories import score_indicators
from tests.factories import user

ALL_GAPS = ["survey_open", "no_responses", "no_indicator_scores"]


def close(client, api_token, survey):
    response = close_survey(client, api_token, survey["id"])
    assert response.json["survey_status"] == "closed"


def prepare(client, api_token, opened, missing):
    """The opened evaluation with everything but ``missing`` done."""
    project_id, survey = opened
    if "no_responses" not in missing:
        assert answer(client, survey, 5, api_token("resident")).status_code == 201
    if "no_indicator_scores" not in missing:
        score_indicators(client, api_token, project_id)
    if "survey_open" not in missing:
        close(client, api_token, survey)
    return project_id


def counts(db, project_id):
    """The project's audit records, its reviews and its status (nothing may change on a refusal)."""
    db.session.expire_all()
    return (db.session.scalar(select(func.count()).select_from(AuditRecord).where(
                AuditRecord.object_type == "Project", AuditRecord.object_id == project_id)),
            db.session.scalar(select(func.count()).select_from(EvaluationReview)
                              .where(EvaluationReview.project_id == project_id)),
            db.session.get(Project, project_id).status.value)


CASES = [ALL_GAPS, ["survey_open"], ["no_responses"], ["no_indicator_scores"],
         ["no_responses", "no_indicator_scores"]]


@pytest.mark.parametrize("missing", CASES, ids=["+".join(c) for c in CASES])
def test_the_operation_refuses_and_names_what_is_missing(client, db, api_token, opened, missing):
    project_id = prepare(client, api_token, opened, missing)
    before = counts(db, project_id)
    savepoint = db.session.begin_nested()  # as a request: all of it, or (refused) none of it
    with pytest.raises(Conflict) as refused:
        operations.accept_evaluation(user(db, "street"), project_id, "同意")
    assert refused.value.extra["missing"] == missing
    savepoint.rollback()
    assert counts(db, project_id) == before and before[1:] == (0, "evaluating")


@pytest.mark.parametrize("missing", CASES, ids=["+".join(c) for c in CASES])
def test_the_api_answers_409_with_what_is_missing(client, db, api_token, opened, missing):
    project_id = prepare(client, api_token, opened, missing)
    before = counts(db, project_id)
    response = client.post(f"/api/v1/projects/{project_id}/evaluation/review", headers=api_token("street_committee"),
                           json={"decision": "accept", "comment": "同意"})
    assert response.status_code == 409
    error = response.json["error"]
    assert error["code"] == "conflict" and error["current_status"] == "evaluating"
    assert error["missing"] == missing
    assert error["message"].startswith("评估暂不能审核通过")
    if "survey_open" in missing:
        assert "满意度测评仍在进行中" in error["message"]
    if "no_responses" in missing:
        assert "尚无人参与满意度测评" in error["message"]
    if "no_indicator_scores" in missing:
        assert "尚未进行指标评分" in error["message"]
    assert counts(db, project_id) == before and before[1:] == (0, "evaluating")
    evaluation = client.get(f"/api/v1/projects/{project_id}/evaluation", headers=api_token("street_committee")).json
    assert evaluation["status"] == "evaluating" and evaluation["review"] is None


def test_a_complete_evaluation_is_accepted(client, db, api_token, opened):
    project_id = prepare(client, api_token, opened, [])
    response = client.post(f"/api/v1/projects/{project_id}/evaluation/review", headers=api_token("street_committee"),
                           json={"decision": "accept", "comment": "同意"})
    assert response.status_code == 200 and response.json["status"] == "evaluated"


def test_sending_back_stays_possible_with_nothing_to_review(client, api_token, opened):
    project_id, _survey = opened
    response = client.post(f"/api/v1/projects/{project_id}/evaluation/review", headers=api_token("street_committee"),
                           json={"decision": "rework", "comment": "请先组织居民测评"})
    assert response.status_code == 200 and response.json["review"]["decision"] == "rework"


def test_the_page_says_what_is_missing_instead_of_offering_acceptance(client, client_as, db, api_token, opened):
    project_id, _survey = opened
    street = client_as("street_committee")
    page = f"/projects/{project_id}/evaluation"
    html = street.get(page).get_data(as_text=True)
    assert 'id="review-gaps"' in html
    for text in ("满意度测评仍在进行中", "尚无人参与满意度测评", "尚未进行指标评分"):
        assert text in html
    assert "/evaluation/accept" not in html and "审核通过：公开评估结果" not in html
    before = counts(db, project_id)
    refused = street.post(f"{page}/accept", data={"csrf_token": csrf_token(street, page)},
                          follow_redirects=True)
    assert refused.status_code == 200
    text = refused.get_data(as_text=True)
    assert "评估暂不能审核通过" in text and "尚未进行指标评分" in text
    assert counts(db, project_id) == before and before[1:] == (0, "evaluating")


def test_the_page_offers_acceptance_once_there_is_something_to_review(client, client_as, db, api_token, opened):
    project_id = prepare(client, api_token, opened, [])
    street = client_as("street_committee")
    html = street.get(f"/projects/{project_id}/evaluation").get_data(as_text=True)
    assert 'id="review-gaps"' not in html and f'formaction="/projects/{project_id}/evaluation/accept"' in html


def test_staff_close_the_survey_through_the_api_once(client, api_token, opened):
    _project_id, survey = opened
    close(client, api_token, survey)
    again = client.post(f"/api/v1/surveys/{survey['id']}/close", headers=api_token("staff"))
    assert again.status_code == 409 and again.json["error"]["code"] == "conflict"
    assert client.post(f"/api/v1/surveys/{survey['id']}/close",
                       headers=api_token("street_committee")).status_code == 403
    assert answer(client, survey, 4, api_token("resident")).status_code == 409

