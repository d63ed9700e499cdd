"""Council resolution: once per round, more than half resolves or rejects, rounds restart."""

from sqlalchemy import select

from coordination.projects.models import CouncilVote


def vote(client, api_token, project_id, who, choice, password="Ribbon-2026"):
    return client.post(f"/api/v1/projects/{project_id}/votes", json={"vote": choice, "comment": f"{who}意见"},
                       headers=api_token(who, password))


def test_more_than_half_of_five_approvals_resolve(client, api_token, make_project):
    project = make_project("proposed")
    assert vote(client, api_token, project.id, "council", "approve").json == {
        "project_status": "proposed", "tally": {"approve": 1, "reject": 0, "abstain": 0}}
    assert vote(client, api_token, project.id, "council2", "reject").json["project_status"] == "proposed"
    assert vote(client, api_token, project.id, "council3", "approve").json["project_status"] == "proposed"
    assert vote(client, api_token, project.id, "council4", "abstain").json["project_status"] == "proposed"
    last = vote(client, api_token, project.id, "council5", "approve")
    assert last.json == {"project_status": "resolved", "tally": {"approve": 3, "reject": 1, "abstain": 1}}


def test_a_second_vote_in_the_same_round_is_refused(client, api_token, make_project):
    project = make_project("proposed")
    assert vote(client, api_token, project.id, "council", "approve").status_code == 200
    again = vote(client, api_token, project.id, "council", "reject")
    assert again.status_code == 409
    assert client.get(f"/api/v1/projects/{project.id}", headers=api_token("staff")).json["tally"]["approve"] == 1


def test_three_rejections_reject(client, api_token, make_project):
    project = make_project("proposed")
    for who in ("council", "council2"):
        vote(client, api_token, project.id, who, "reject")
    assert vote(client, api_token, project.id, "council3", "reject").json["project_status"] == "rejected"
    assert vote(client, api_token, project.id, "council4", "approve").status_code == 409


def test_a_returned_project_proposed_again_starts_a_new_round(client, db, api_token, make_project):
    project = make_project("resolved")
    back = client.post(f"/api/v1/projects/{project.id}/decision", json={"decision": "return", "comment": "补充预算明细"},
                       headers=api_token("community_committee"))
    assert back.json["status"] == "draft"
    again = client.post(f"/api/v1/projects/{project.id}/propose", headers=api_token("staff"))
    assert again.json["status"] == "proposed" and again.json["round"] == 2
    assert again.json["tally"] == {"approve": 0, "reject": 0, "abstain": 0}
    assert vote(client, api_token, project.id, "council", "approve").status_code == 200  # voted in round 1 too
    rounds = db.session.execute(select(CouncilVote.round, CouncilVote.voter_id)
                                .where(CouncilVote.project_id == project.id)).all()
    assert sorted(r for r, _ in rounds) == [1, 1, 1, 2]
    history = client.get(f"/api/v1/projects/{project.id}", headers=api_token("staff")).json["history"]
    assert [(h["from"], h["to"]) for h in history] == [
        (None, "draft"), ("draft", "proposed"), ("proposed", "resolved"), ("resolved", "draft"),
        ("draft", "proposed")]
    assert history[3]["comment"] == "补充预算明细" and history[3]["by"] == "社区党委 刘书记"


def test_members_of_another_areas_council_cannot_vote(client, db, api_token, make_project):
    from coordination.accounts import operations as accounts
    from tests.conftest import STRONG_PASSWORD

    accounts.create_user(None, username="outsider", password=STRONG_PASSWORD, roles=["council"])
    db.session.commit()
    project = make_project("proposed")
    assert vote(client, api_token, project.id, "outsider", "approve", STRONG_PASSWORD).status_code == 403


def test_votes_are_hidden_from_the_public(client, api_token, make_project):
    project = make_project("published")
    public = client.get(f"/api/v1/projects/{project.id}").json
    assert public["votes"] is None and public["tally"] is None
    staff = client.get(f"/api/v1/projects/{project.id}", headers=api_token("staff")).json
    assert len(staff["votes"]) == 3


def test_drafts_are_not_public(client, api_token, make_project):
    project = make_project("draft")
    assert client.get(f"/api/v1/projects/{project.id}").status_code == 404
    assert client.get(f"/api/v1/projects/{project.id}", headers=api_token("resident")).status_code == 404
    assert client.get(f"/api/v1/projects/{project.id}", headers=api_token("council")).status_code == 200
    assert project.id not in {p["id"] for p in client.get("/api/v1/projects").json["items"]}
