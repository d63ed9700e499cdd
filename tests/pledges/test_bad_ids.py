"""A community id no place could have is a field error, on the page and in the API, never a 500."""

from tests.conftest import csrf_token
from tests.pledges.conftest import IN_A_MONTH
from tests.pledges.conftest import volunteer


def test_a_pledge_for_an_impossible_community_is_a_field_error(client_as, client, api_token, db):
    volunteer(db, "resident")
    resident = client_as("resident")
    response = resident.post("/pledges/new", data={
        "csrf_token": csrf_token(resident, "/pledges/new"), "title": "每周教老人用手机",
        "content": "每周六上午在活动室。", "due_on": IN_A_MONTH.isoformat(), "community_id": "99999999999999999999"})
    assert response.status_code == 400
    assert 'id="community_id-error"' in response.get_data(as_text=True)

    answer = client.post("/api/v1/pledges", headers=api_token("resident"), json={
        "title": "每周教老人用手机", "content": "每周六上午在活动室。", "due_on": IN_A_MONTH.isoformat(),
        "community_id": 99999999999999999999})
    assert answer.status_code == 400
    assert "community_id" in answer.json["error"]["fields"]
