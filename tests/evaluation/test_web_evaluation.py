"""The evaluation pages: open with an edited template, answer, codes, scores, review, the
printable report."""

import re

from sqlalchemy import select

from coordination.evaluation.models import Survey
from tests.conftest import csrf_token
from tests.factories import answer
from tests.factories import ready_for_review


def test_staff_open_an_edited_questionnaire(client_as, db, completed):
    staff = client_as("staff")
    page = staff.get(f"/projects/{completed.id}/evaluation/open")
    assert "您对本项目的总体满意度如何？" in page.get_data(as_text=True)
    data = {"csrf_token": csrf_token(staff, f"/projects/{completed.id}/evaluation/open"), "overall": "0",
            "text_0": "您对健身苑焕新总体满意吗？", "kind_0": "likert", "text_1": "还有什么建议？", "kind_1": "text"}
    response = staff.post(f"/projects/{completed.id}/evaluation/open", data=data)
    assert response.status_code == 302
    survey = db.session.scalar(select(Survey).where(Survey.project_id == completed.id))
    assert [q.text for q in survey.questions] == ["您对健身苑焕新总体满意吗？", "还有什么建议？"]


def test_a_questionnaire_without_an_overall_question_is_refused(client_as, db, completed):
    staff = client_as("staff")
    data = {"csrf_token": csrf_token(staff, f"/projects/{completed.id}/evaluation/open"), "overall": "1",
            "text_0": "满意吗？", "kind_0": "likert", "text_1": "建议", "kind_1": "text"}
    response = staff.post(f"/projects/{completed.id}/evaluation/open", data=data)
    assert response.status_code == 400
    assert db.session.scalar(select(Survey).where(Survey.project_id == completed.id)) is None


def test_a_resident_answers_once_and_a_code_holder_answers(client, client_as, db, opened):
    project_id, survey = opened
    resident = client_as("resident")
    overall = next(q["id"] for q in survey["questions"] if q["overall"])
    url = f"/surveys/{survey['id']}"
    response = resident.post(url, data={"csrf_token": csrf_token(resident, url), f"q_{overall}": "5"})
    assert response.status_code == 200 and "感谢" in response.get_data(as_text=True)
    assert "您已参与本次测评" in resident.get(url).get_data(as_text=True) or \
        "已" in resident.get(url).get_data(as_text=True)
    staff = client_as("staff")
    sheet = staff.post(f"/surveys/{survey['id']}/invites", data={"csrf_token": csrf_token(staff, url), "count": "2"})
    html = sheet.get_data(as_text=True)
    codes = re.findall(r'<p class="invite-code mb-1">([A-Z0-9-]+)</p>', html)
    assert len(codes) == 2 and html.count("<svg") >= 2
    entry = client.post("/surveys/code", data={"csrf_token": csrf_token(client, "/surveys/code"), "code": codes[0]})
    assert entry.status_code == 302 and entry.headers["Location"].endswith(url)
    answered = client.post(url, data={"csrf_token": csrf_token(client, url), f"q_{overall}": "2"})
    assert answered.status_code == 200
    reused = client.post("/surveys/code", data={"csrf_token": csrf_token(client, "/surveys/code"), "code": codes[0]})
    assert reused.status_code == 400
    result = client_as("street_committee").get(f"/projects/{project_id}/evaluation").get_data(as_text=True)
    assert "50.0%" in result  # one 5 and one 2


def test_the_committee_accepts_and_results_go_public(client, client_as, api_token, opened):
    project_id, survey = opened
    resident = client_as("resident")
    overall = next(q["id"] for q in survey["questions"] if q["overall"])
    resident.post(f"/surveys/{survey['id']}",
                  data={"csrf_token": csrf_token(resident, f"/surveys/{survey['id']}"), f"q_{overall}": "4"})
    assert "100.0%" not in client.get(f"/projects/{project_id}/evaluation").get_data(as_text=True)
    ready_for_review(client, api_token, project_id, survey["id"])
    street = client_as("street_committee")
    page = f"/projects/{project_id}/evaluation"
    street.post(f"{page}/accept", data={"csrf_token": csrf_token(street, page)})
    assert "100.0%" in client.get(page).get_data(as_text=True)


def test_printable_report(client, client_as, api_token, opened):
    project_id, survey = opened
    answer(client, survey, 4, api_token("resident"))
    staff_view = client_as("staff").get(f"/projects/{project_id}/evaluation/report")
    assert staff_view.status_code == 200 and "data-print" in staff_view.get_data(as_text=True)
    assert client.get(f"/projects/{project_id}/evaluation/report").status_code == 404  # not public yet
