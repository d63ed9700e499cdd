"""The annual selection in the API: anyone reads the selections, their nominees and (once voting
has closed, never before) the ranked results; residents and office workers cast one secret ballot
of projects each, as on the web."""

from datetime import date

import pytest
from sqlalchemy import func
from sqlalchemy import select

from coordination.evaluation import operations
from coordination.evaluation.models import Ballot
from coordination.evaluation.models import Nominee
from tests.factories import build
from tests.factories import user


def open_selection(db, count=3, max_choices=2):
    """This year's selection of ``count`` completed projects; returns (selection id, project ids)."""
    projects = [build(db, "completed", title=f"评选项目{i}") for i in range(count)]
    selection = operations.open_selection(user(db, "street"), date.today().year, [p.id for p in projects],
                                          max_choices)
    db.session.commit()
    return selection.id, [p.id for p in projects]


def close(db, selection_id):
    operations.close_selection(user(db, "street"), selection_id)
    db.session.commit()


def ballot(client, api_token, selection_id, project_ids, role="resident"):
    return client.post(f"/api/v1/selections/{selection_id}/ballots", json={"project_ids": project_ids},
                       headers=api_token(role))


def test_anyone_reads_an_open_selection_without_its_counts(client, db, api_token):
    selection_id, projects = open_selection(db)
    assert ballot(client, api_token, selection_id, projects[:2]).status_code == 201
    listed = client.get("/api/v1/selections")
    assert listed.status_code == 200
    assert (listed.json["total"], listed.json["page"], listed.json["per_page"]) == (1, 1, 20)
    shown = listed.json["items"][0]
    assert shown == client.get(f"/api/v1/selections/{selection_id}").json
    assert (shown["id"], shown["year"], shown["status"], shown["max_choices"]) == (
        selection_id, date.today().year, "open", 2)
    assert [n["project_id"] for n in shown["nominees"]] == projects
    assert shown["nominees"][0]["title"] == "评选项目0" and shown["nominees"][0]["lead_unit"]
    assert shown["results"] is None  # secret until voting closes
    assert "votes" not in str(shown["nominees"])
    assert shown["ballots"] == 1 and shown["voted_by_me"] is None
    mine = client.get(f"/api/v1/selections/{selection_id}", headers=api_token("resident")).json
    theirs = client.get(f"/api/v1/selections/{selection_id}", headers=api_token("worker")).json
    assert (mine["voted_by_me"], theirs["voted_by_me"]) == (True, False)


def test_one_ballot_each_then_ranked_results_once_closed(client, db, api_token):
    selection_id, projects = open_selection(db, count=4)
    first = ballot(client, api_token, selection_id, [projects[2], projects[1]])
    assert first.status_code == 201
    assert first.json == {"selection_id": selection_id, "project_ids": [projects[2], projects[1]]}
    assert ballot(client, api_token, selection_id, [projects[2]], role="worker").status_code == 201
    again = ballot(client, api_token, selection_id, [projects[0]])
    assert again.status_code == 409 and again.json["error"]["code"] == "conflict"
    assert again.json["error"]["message"] == "您已经投过票了。"
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == 2
    close(db, selection_id)
    shown = client.get(f"/api/v1/selections/{selection_id}").json
    assert shown["status"] == "closed" and shown["closed_at"]
    # two projects without votes share the third rank
    assert [(r["rank"], r["project_id"], r["votes"]) for r in shown["results"]] == [
        (1, projects[2], 2), (2, projects[1], 1), (3, projects[0], 0), (3, projects[3], 0)]
    late = ballot(client, api_token, selection_id, [projects[0]], role="worker")
    assert late.status_code == 409 and late.json["error"]["message"] == "投票已结束。"


@pytest.mark.parametrize("choice", ["none", "too_many", "not_nominated", "repeated_too_many"])
def test_a_bad_choice_names_project_ids(client, db, api_token, make_project, choice):
    selection_id, projects = open_selection(db)
    other = make_project("completed", title="未提名项目").id
    chosen = {"none": [], "too_many": projects, "not_nominated": [projects[0], other],
              "repeated_too_many": projects + projects}[choice]
    response = ballot(client, api_token, selection_id, chosen)
    assert response.status_code == 400
    assert response.json["error"]["fields"] == {"project_ids": "请在提名项目中选择1至2个。"}
    assert db.session.scalar(select(func.sum(Nominee.votes))) == 0


def test_who_may_vote_and_what_does_not_exist(client, db, api_token):
    selection_id, projects = open_selection(db)
    staff = ballot(client, api_token, selection_id, projects[:1], role="staff")
    assert staff.status_code == 403 and staff.json["error"]["code"] == "forbidden"
    anonymous = client.post(f"/api/v1/selections/{selection_id}/ballots", json={"project_ids": projects[:1]})
    assert anonymous.status_code == 401
    assert ballot(client, api_token, selection_id + 1000, projects[:1]).status_code == 404
    assert client.get(f"/api/v1/selections/{selection_id + 1000}").status_code == 404
    missing = client.post(f"/api/v1/selections/{selection_id}/ballots", json={}, headers=api_token("worker"))
    assert missing.status_code == 400 and "project_ids" in missing.json["error"]["fields"]
    # a duplicated project is one choice
    assert ballot(client, api_token, selection_id, [projects[0], projects[0]], role="worker").json["project_ids"] == [
        projects[0]]


def test_the_list_pages_newest_year_first(client, db):
    open_selection(db)
    empty = client.get("/api/v1/selections?page=2&per_page=1").json
    assert (empty["items"], empty["total"], empty["page"], empty["per_page"]) == ([], 1, 2, 1)
    assert client.get("/api/v1/selections?per_page=101").status_code == 400
