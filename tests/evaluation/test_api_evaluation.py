"""The evaluation part of the API: surveys, codes, responses, scores, review — for every role."""

import pytest
from sqlalchemy import func
from sqlalchemy import select

from coordination.accounts import operations as accounts
from coordination.evaluation.models import Indicator
from tests.conftest import STRONG_PASSWORD
from tests.factories import answer
from tests.factories import overall_id
from tests.factories import ready_for_review


def make_residents(db, count):
    names = []
    for i in range(count):
        accounts.create_user(None, username=f"jumin{i:02d}", password=STRONG_PASSWORD, roles=["resident"])
        names.append(f"jumin{i:02d}")
    db.session.commit()
    return names


def test_opening_uses_the_default_template(client, api_token, opened):
    project_id, survey = opened
    assert survey["status"] == "open" and survey["project_id"] == project_id
    assert sum(q["overall"] for q in survey["questions"]) == 1
    assert {q["kind"] for q in survey["questions"]} == {"likert", "text"}
    assert client.get(f"/api/v1/projects/{project_id}", headers=api_token("staff")).json["status"] == "evaluating"


@pytest.mark.parametrize("questions, field", [
    ([{"text": "满意吗？", "kind": "likert"}], "questions"),
    ([{"text": "满意吗？", "kind": "text", "overall": True}], "questions"),
    ([{"text": "", "kind": "likert", "overall": True}], "questions.0.text"),
    ([{"text": "A", "kind": "likert", "overall": True}, {"text": "B", "kind": "likert", "overall": True}], "questions"),
    ([{"text": "A", "kind": "stars", "overall": True}], "questions.0.kind"),
])
def test_custom_questions_need_exactly_one_overall_score_question(client, api_token, completed, questions, field):
    response = client.post(f"/api/v1/projects/{completed.id}/evaluation/open", json={"questions": questions},
                           headers=api_token("staff"))
    assert response.status_code == 400 and field in response.json["error"]["fields"]


@pytest.mark.parametrize("role", ["resident", "worker", "unit_rep", "council", "community_committee",
                                  "street_committee", "admin"])
def test_only_staff_open_evaluations(client, api_token, completed, role):
    response = client.post(f"/api/v1/projects/{completed.id}/evaluation/open", json={}, headers=api_token(role))
    assert response.status_code == 403


def test_an_evaluation_opens_once_and_only_on_a_completed_project(client, api_token, opened, make_project):
    project_id, _ = opened
    again = client.post(f"/api/v1/projects/{project_id}/evaluation/open", json={}, headers=api_token("staff"))
    assert again.status_code == 409 and again.json["error"]["current_status"] == "evaluating"
    claimed = make_project("claimed")
    early = client.post(f"/api/v1/projects/{claimed.id}/evaluation/open", json={}, headers=api_token("staff"))
    assert early.status_code == 409


def test_one_response_per_person(client, api_token, opened):
    _, survey = opened
    resident = api_token("resident")
    assert answer(client, survey, 5, resident).status_code == 201
    second = answer(client, survey, 1, resident)
    assert second.status_code == 409
    assert client.get(f"/api/v1/surveys/{survey['id']}", headers=resident).json["answered_by_me"] is True


@pytest.mark.parametrize("role, status", [("unit_rep", 403), ("council", 403), ("admin", 403)])
def test_who_may_answer_online(client, api_token, opened, role, status):
    _, survey = opened
    assert answer(client, survey, 4, api_token(role)).status_code == status


def test_anonymous_answers_need_a_code(client, opened):
    _, survey = opened
    assert answer(client, survey, 4).status_code == 401
    assert client.get(f"/api/v1/surveys/{survey['id']}").status_code == 401


def test_invitation_codes_work_once(client, api_token, opened):
    _, survey = opened
    codes = client.post(f"/api/v1/surveys/{survey['id']}/invites", json={"count": 3}, headers=api_token("staff"))
    assert codes.status_code == 201 and len(set(codes.json["codes"])) == 3
    code = codes.json["codes"][0]
    assert client.get(f"/api/v1/surveys/{survey['id']}?invite_code={code}").status_code == 200
    assert answer(client, survey, 5, invite_code=code).status_code == 201
    assert answer(client, survey, 5, invite_code=code).status_code == 409
    assert answer(client, survey, 5, invite_code="AAAA-BBBB").status_code == 400
    assert client.post(f"/api/v1/surveys/{survey['id']}/invites", json={"count": 501},
                       headers=api_token("staff")).status_code == 400
    assert client.post(f"/api/v1/surveys/{survey['id']}/invites", json={"count": 2},
                       headers=api_token("resident")).status_code == 403


def test_an_account_holder_cannot_answer_twice_with_a_code(client, api_token, opened):
    _, survey = opened
    code = client.post(f"/api/v1/surveys/{survey['id']}/invites", json={"count": 1},
                       headers=api_token("staff")).json["codes"][0]
    assert answer(client, survey, 5, api_token("worker")).status_code == 201
    assert answer(client, survey, 5, api_token("worker"), invite_code=code).status_code == 409



def test_staff_enter_paper_questionnaires_and_visits(client, db, api_token, opened):
    project_id, survey = opened
    staff = api_token("staff")
    for method in ("paper", "visit", "visit"):
        assert answer(client, survey, 4, staff, method=method).status_code == 201
    assert answer(client, survey, 4, api_token("resident"), method="paper").status_code == 403
    details = client.get(f"/api/v1/projects/{project_id}/evaluation", headers=staff).json["details"]
    assert details["methods"] == {"paper": 1, "visit": 2}


@pytest.mark.parametrize("body, field", [
    ({"answers": []}, "answers"),
    ({"answers": [{"question_id": 999999, "score": 3}]}, "answers.0.question_id"),
    ({"answers": [{"question_id": "OVERALL", "score": 6}]}, "answers.0.score"),
    ({"answers": [{"question_id": "OVERALL", "score": 0}]}, "answers.0.score"),
    ({"answers": [{"question_id": "OVERALL", "score": 4}], "method": "phone"}, "method"),
])
def test_bad_answers_name_the_field(client, api_token, opened, body, field):
    _, survey = opened
    for answer_ in body["answers"]:
        if answer_.get("question_id") == "OVERALL":
            answer_["question_id"] = overall_id(survey)
    response = client.post(f"/api/v1/surveys/{survey['id']}/responses", json=body, headers=api_token("resident"))
    assert response.status_code == 400 and field in response.json["error"]["fields"]


def test_the_overall_question_must_be_answered(client, api_token, opened):
    _, survey = opened
    other = next(q["id"] for q in survey["questions"] if not q["overall"] and q["kind"] == "likert")
    response = client.post(f"/api/v1/surveys/{survey['id']}/responses",
                           json={"answers": [{"question_id": other, "score": 5}]}, headers=api_token("resident"))
    assert response.status_code == 400 and "answers" in response.json["error"]["fields"]


# -------------------------------------------------------------------------------- scores

@pytest.mark.parametrize("overall_scores, expected_rate", [
    ([], None),                          # nobody answered
    ([5], 1.0),                          # a single response
    ([1, 2, 3], 0.0),                    # all unsatisfied
    ([5, 4, 3, 2, 4], 0.6),              # 3 of 5 scored 4 or 5
    ([4, 4, 4, 3], 0.75),
])
def test_satisfaction_rate_matches_hand_computed_values(client, db, api_token, opened, overall_scores,
                                                        expected_rate):
    project_id, survey = opened
    for name, score in zip(make_residents(db, len(overall_scores)), overall_scores):
        assert answer(client, survey, score, api_token(name, STRONG_PASSWORD)).status_code == 201
    result = client.get(f"/api/v1/projects/{project_id}/evaluation", headers=api_token("staff")).json
    assert result["responses"] == len(overall_scores)
    assert result["satisfaction_rate"] == (pytest.approx(expected_rate) if expected_rate is not None else None)


def test_respondents_who_skip_the_overall_question_do_not_count(client, db, api_token, completed):
    questions = [{"text": "总体满意度", "kind": "likert", "overall": True}, {"text": "建议", "kind": "text"}]
    survey_id = client.post(f"/api/v1/projects/{completed.id}/evaluation/open", json={"questions": questions},
                            headers=api_token("staff")).json["survey_id"]
    survey = client.get(f"/api/v1/surveys/{survey_id}", headers=api_token("staff")).json
    a, b = make_residents(db, 2)
    answer(client, survey, 5, api_token(a, STRONG_PASSWORD))
    answer(client, survey, 2, api_token(b, STRONG_PASSWORD))
    result = client.get(f"/api/v1/projects/{completed.id}/evaluation", headers=api_token("staff")).json
    assert result["satisfaction_rate"] == pytest.approx(0.5)


def test_indicator_and_composite_scores_match_hand_computed_values(app, client, db, api_token, opened):
    project_id, survey = opened
    indicators = db.session.scalars(select(Indicator).order_by(Indicator.id)).all()  # weights 15,10,10,15,10,10,10,10,10
    staff = api_token("staff")
    body = {"scores": [{"indicator_id": i.id, "score": 80} for i in indicators]}
    body["scores"][0]["score"] = 100     # weight 15
    body["scores"][3]["score"] = 60      # weight 15
    assert client.post(f"/api/v1/projects/{project_id}/indicator-scores", json=body, headers=staff).status_code == 200
    # a second evaluator scores the first indicator 50: its mean becomes 75
    accounts.create_user(None, username="evaluator2", password=STRONG_PASSWORD, roles=["staff"])
    db.session.commit()
    client.post(f"/api/v1/projects/{project_id}/indicator-scores",
                json={"scores": [{"indicator_id": indicators[0].id, "score": 50}]}, headers=api_token("evaluator2", STRONG_PASSWORD))
    weights = [float(i.weight) for i in indicators]
    means = [75, 80, 80, 60, 80, 80, 80, 80, 80]
    expected_indicator = sum(w * m for w, m in zip(weights, means)) / sum(weights)  # = 76.25
    for name, score in zip(make_residents(db, 4), [5, 5, 4, 2]):
        answer(client, survey, score, api_token(name, STRONG_PASSWORD))
    result = client.get(f"/api/v1/projects/{project_id}/evaluation", headers=staff).json
    assert result["indicator_score"] == pytest.approx(expected_indicator)
    assert result["satisfaction_rate"] == pytest.approx(0.75)
    assert result["composite_score"] == pytest.approx(0.6 * 75 + 0.4 * expected_indicator)


@pytest.mark.parametrize("scores, field", [([{"indicator_id": 999999, "score": 50}], "scores.0.indicator_id"),
                                           ([{"indicator_id": "FIRST", "score": 101}], "scores.0.score"),
                                           ([{"indicator_id": "FIRST", "score": -1}], "scores.0.score")])
def test_bad_indicator_scores_name_the_field(client, db, api_token, opened, scores, field):
    project_id, _ = opened
    first = db.session.scalar(select(Indicator.id).order_by(Indicator.id))
    for item in scores:
        if item["indicator_id"] == "FIRST":
            item["indicator_id"] = first
    response = client.post(f"/api/v1/projects/{project_id}/indicator-scores", json={"scores": scores},
                           headers=api_token("staff"))
    assert response.status_code == 400 and field in response.json["error"]["fields"]


# -------------------------------------------------------------------------------- review

def test_results_become_public_when_the_street_committee_accepts(client, db, api_token, opened):
    project_id, survey = opened
    answer(client, survey, 5, api_token("resident"))
    public = client.get(f"/api/v1/projects/{project_id}/evaluation").json
    assert public["satisfaction_rate"] is None and public["details"] is None
    street = api_token("street_committee")
    rework = client.post(f"/api/v1/projects/{project_id}/evaluation/review", json={"decision": "rework"},
                         headers=street)
    assert rework.status_code == 400 and "comment" in rework.json["error"]["fields"]
    rework = client.post(f"/api/v1/projects/{project_id}/evaluation/review",
                         json={"decision": "rework", "comment": "入户访问样本不足，请补充"}, headers=street)
    assert rework.status_code == 200 and rework.json["status"] == "evaluating"
    assert rework.json["review"]["decision"] == "rework"
    ready_for_review(client, api_token, project_id, survey["id"])
    accepted = client.post(f"/api/v1/projects/{project_id}/evaluation/review",
                           json={"decision": "accept", "comment": "同意"}, headers=street)
    assert accepted.status_code == 200 and accepted.json["status"] == "evaluated"
    public = client.get(f"/api/v1/projects/{project_id}/evaluation").json
    assert public["satisfaction_rate"] == 1.0 and public["review"]["decision"] == "accept"
    assert public["survey_status"] == "closed"
    assert answer(client, survey, 4, api_token("worker")).status_code == 409  # closed
    again = client.post(f"/api/v1/projects/{project_id}/evaluation/review", json={"decision": "accept"},
                        headers=street)
    assert again.status_code == 409


def test_rework_comments_are_not_public_before_acceptance(client, api_token, opened):
    project_id, _ = opened
    client.post(f"/api/v1/projects/{project_id}/evaluation/review",
                json={"decision": "rework", "comment": "样本太少，内部意见"}, headers=api_token("street_committee"))
    assert client.get(f"/api/v1/projects/{project_id}/evaluation").json["review"] is None
    assert "内部意见" not in client.get(f"/projects/{project_id}/evaluation").get_data(as_text=True)


@pytest.mark.parametrize("role", ["resident", "staff", "council", "community_committee", "admin"])
def test_only_the_street_committee_reviews(client, api_token, opened, role):
    project_id, _ = opened
    response = client.post(f"/api/v1/projects/{project_id}/evaluation/review",
                           json={"decision": "accept", "comment": "x"}, headers=api_token(role))
    assert response.status_code == 403


def test_an_evaluation_without_answers_cannot_be_accepted(client, api_token, opened):
    project_id, _ = opened
    response = client.post(f"/api/v1/projects/{project_id}/evaluation/review", json={"decision": "accept"},
                           headers=api_token("street_committee"))
    assert response.status_code == 409


def test_stats_summary(client, db, api_token, opened):
    project_id, survey = opened
    answer(client, survey, 5, api_token("resident"))
    answer(client, survey, 3, api_token("worker"))
    before = client.get("/api/v1/stats/summary").json
    assert before["satisfaction_rate"] is None  # not accepted yet
    ready_for_review(client, api_token, project_id, survey["id"])
    client.post(f"/api/v1/projects/{project_id}/evaluation/review", json={"decision": "accept"},
                headers=api_token("street_committee"))
    summary = client.get("/api/v1/stats/summary").json
    assert set(summary) == {"needs", "projects", "units", "party_members", "beneficiaries", "satisfaction_rate"}
    assert summary["satisfaction_rate"] == 0.5
    assert summary["units"] == 10 and summary["party_members"] == 1064
    assert summary["projects"]["by_status"]["evaluated"] == 1
    assert summary["needs"]["by_status"]["fulfilled"] >= 1
    assert db.session.scalar(select(func.count()).select_from(Indicator)) == 9
