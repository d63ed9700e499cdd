"""The volunteers' API rows of API.md, with the exact statuses and error codes, and the totals
the hours add up to."""

from datetime import timedelta

from sqlalchemy import select

from coordination.accounts.models import User
from coordination.core import counters
from coordination.core.models import Notification
from coordination.projects import operations as projects
from coordination.volunteers import checkin
from coordination.volunteers import queries
from coordination.volunteers.models import VolunteerProfile
from coordination.volunteers.models import VolunteerTeam
from tests.factories import user
from tests.volunteers.conftest import PROFILE
from tests.volunteers.conftest import check_in
from tests.volunteers.conftest import hours
from tests.volunteers.conftest import sign_up


def today() -> str:
    return checkin.local_today().isoformat()


# ----------------------------------------------------------------------------- the profile (三亮)

def test_a_resident_keeps_a_profile_of_listed_skills_and_own_words(client, api_token, reference):
    headers = api_token("resident")
    assert client.get("/api/v1/me/volunteer", headers=headers).status_code == 404
    response = client.put("/api/v1/me/volunteer", headers=headers, json=PROFILE)
    assert response.status_code == 200, response.json
    body = response.json
    assert body["skills"] == ["助老服务", "沪语教学", "编织"]  # a code, a name, and a word of her own
    assert body["listed_skills"] == ["elderly", "shanghainese"] and body["other_skills"] == ["编织"]
    assert body["party_member"] is True and body["party_org"] == "福山居民区党总支"
    assert body["team"]["name"] == "福山居民区流动志愿服务队"  # the team of her community
    assert body["hours_total"] == 0 and body["public"] is True
    again = client.get("/api/v1/me/volunteer", headers=headers)
    assert again.status_code == 200 and again.json == body


def test_only_party_members_name_a_party_organisation(client, api_token, reference):
    response = client.put("/api/v1/me/volunteer", headers=api_token("worker"),
                          json={**PROFILE, "party_member": False, "party_org": "某党支部"})
    assert response.status_code == 400
    assert list(response.json["error"]["fields"]) == ["party_org"]


def test_at_most_ten_skills_in_ones_own_words(client, api_token, reference):
    words = [f"特长{i}" for i in range(11)]
    response = client.put("/api/v1/me/volunteer", headers=api_token("worker"), json={**PROFILE, "skills": words})
    assert response.status_code == 400 and "skills" in response.json["error"]["fields"]
    ok = client.put("/api/v1/me/volunteer", headers=api_token("worker"), json={**PROFILE, "skills": words[:10]})
    assert ok.status_code == 200 and ok.json["other_skills"] == words[:10]


def test_a_chosen_team_and_an_unknown_one(client, api_token, db, reference):
    team_id = db.session.scalar(select(VolunteerTeam.id).where(VolunteerTeam.name == "松山居民区流动志愿服务队"))
    response = client.put("/api/v1/me/volunteer", headers=api_token("worker"), json={**PROFILE, "team_id": team_id})
    assert response.status_code == 200 and response.json["team"]["id"] == team_id
    wrong = client.put("/api/v1/me/volunteer", headers=api_token("worker"), json={**PROFILE, "team_id": 999999})
    assert wrong.status_code == 400 and list(wrong.json["error"]["fields"]) == ["team_id"]


def test_other_roles_keep_no_profile(client, api_token, reference):
    for role in ("staff", "unit_rep", "admin"):
        assert client.put("/api/v1/me/volunteer", headers=api_token(role), json=PROFILE).status_code == 403


# ----------------------------------------------------------------------------- signing up

def test_without_a_profile_the_person_is_told_to_fill_it_in(client, api_token, open_project, reference):
    project = open_project()
    response = sign_up(client, api_token, project.id)
    assert response.status_code == 403
    assert "/me/volunteer" in response.json["error"]["message"]


def test_sign_up_once_withdraw_and_sign_up_again(client, api_token, db, open_project, profile):
    profile("resident")
    project = open_project()
    first = sign_up(client, api_token, project.id, note="周末可以")
    assert first.status_code == 201
    assert first.json["status"] == "signed_up" and first.json["note"] == "周末可以" and first.json["hours"] == 0
    second = sign_up(client, api_token, project.id)
    assert second.status_code == 409 and second.json["error"]["code"] == "conflict"
    withdrawn = client.delete(f"/api/v1/projects/{project.id}/volunteers/me", headers=api_token("resident"))
    assert withdrawn.status_code == 204 and withdrawn.data == b""
    again = sign_up(client, api_token, project.id)
    assert again.status_code == 201 and again.json["id"] == first.json["id"]


def test_more_sign_ups_than_places_are_full(client, api_token, open_project, profile):
    profile("resident")
    profile("worker", party_member=False, party_org=None)
    project = open_project(places=1)
    assert sign_up(client, api_token, project.id).status_code == 201
    full = sign_up(client, api_token, project.id, role="worker")
    assert full.status_code == 409 and full.json["error"]["code"] == "full"
    # a withdrawal frees the place
    client.delete(f"/api/v1/projects/{project.id}/volunteers/me", headers=api_token("resident"))
    assert sign_up(client, api_token, project.id, role="worker").status_code == 201


def test_a_project_without_places_is_full(client, api_token, open_project, profile):
    profile("resident")
    response = sign_up(client, api_token, open_project(places=0).id)
    assert response.status_code == 409 and response.json["error"]["code"] == "full"


def test_no_withdrawal_after_check_in(client, api_token, open_project, profile):
    profile("resident")
    project = open_project()
    signup_id = sign_up(client, api_token, project.id).json["id"]
    assert check_in(client, api_token, project.id, signup_id).json["status"] == "checked_in"
    response = client.delete(f"/api/v1/projects/{project.id}/volunteers/me", headers=api_token("resident"))
    assert response.status_code == 409
    assert client.delete(f"/api/v1/projects/{project.id}/volunteers/me",
                         headers=api_token("worker")).status_code == 404  # no sign-up


# ----------------------------------------------------------------------------- the roster

def test_staff_and_the_units_running_the_project_see_the_roster(client, api_token, db, open_project, profile):
    profile("resident")
    project = open_project()
    signup_id = sign_up(client, api_token, project.id, note="带工具").json["id"]
    url = f"/api/v1/projects/{project.id}/volunteers"
    assert client.get(url, headers=api_token("unitrep2")).status_code == 403  # not running it (yet)
    projects.join_project(user(db, "unitrep2"), project.id)
    db.session.commit()
    for who in ("staff", "unit_rep", "unitrep2"):
        response = client.get(url, headers=api_token(who))
        assert response.status_code == 200
        [row] = response.json["items"]
        assert (row["id"], row["name"], row["skills"], row["hours"], row["note"]) == (
            signup_id, "福山居民 张阿姨", ["助老服务", "沪语教学", "编织"], 0, "带工具")
        assert "phone" not in row
    assert client.get(url, headers=api_token("resident")).status_code == 403


# ----------------------------------------------------------------------------- check-in and hours

def test_hours_add_up_on_the_volunteer_the_sign_up_the_team_and_the_unit(app, client, api_token, db, open_project,
                                                                          profile):
    profile("resident")
    project = open_project()
    signup_id = sign_up(client, api_token, project.id).json["id"]
    not_yet = hours(client, api_token, project.id, signup_id, hours=2, date=today())
    assert not_yet.status_code == 409  # not checked in
    check_in(client, api_token, project.id, signup_id)
    first = hours(client, api_token, project.id, signup_id, hours=2.5, date=today(), note="按时到岗")
    assert first.status_code == 201, first.json
    assert (first.json["hours"], first.json["date"], first.json["hours_total"]) == (2.5, today(), 2.5)
    twice = hours(client, api_token, project.id, signup_id, hours=1, date=today())
    assert twice.status_code == 409  # once a day
    # the resident signed up today: an earlier day is refused, as is a later one
    earlier = (checkin.local_today() - timedelta(days=1)).isoformat()
    assert list(hours(client, api_token, project.id, signup_id, hours=1, date=earlier).json["error"]["fields"]) == [
        "date"]
    later = (checkin.local_today() + timedelta(days=1)).isoformat()
    assert "date" in hours(client, api_token, project.id, signup_id, hours=1, date=later).json["error"]["fields"]
    for bad in (0, 24.5, -1):
        response = hours(client, api_token, project.id, signup_id, hours=bad, date=today())
        assert response.status_code == 400 and "hours" in response.json["error"]["fields"]
    assert hours(client, api_token, project.id, signup_id, role="unitrep2", hours=1,
                 date=today()).status_code == 403  # not the lead unit

    db.session.expire_all()
    profile_row = db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == user(db, "resident").id))
    assert float(profile_row.hours_total) == 2.5 and float(profile_row.team.hours_total) == 2.5
    assert client.get("/api/v1/me/volunteer", headers=api_token("resident")).json["hours_total"] == 2.5
    roster = client.get(f"/api/v1/projects/{project.id}/volunteers", headers=api_token("staff")).json["items"]
    assert roster[0]["hours"] == 2.5 and roster[0]["days"] == [{"date": today(), "hours": 2.5}]
    record = queries.unit_record(project.lead_unit_id)
    assert (float(record["hours"]), record["volunteers"]) == (2.5, 1)
    page = client.get(f"/units/{project.lead_unit_id}").get_data(as_text=True)
    assert 'id="volunteer-record"' in page
    team = client.get(f"/api/v1/teams/{profile_row.team_id}").json
    assert team["hours_total"] == 2.5 and team["projects"] == [{"id": project.id, "title": project.title, "hours": 2.5}]
    assert counters.check() == {}
    assert db.session.scalars(select(User.username).where(User.id.in_(queries.served_ids(project.id)))).all() == ["resident"]


def test_a_volunteer_checks_in_with_the_code_of_the_day(app, client, api_token, open_project, profile):
    profile("resident")
    project = open_project()
    sign_up(client, api_token, project.id)
    url = f"/api/v1/projects/{project.id}/volunteers/me/check-in"
    wrong = client.post(url, json={"code": "forged"}, headers=api_token("resident"))
    assert wrong.status_code == 400 and list(wrong.json["error"]["fields"]) == ["code"]
    with app.test_request_context():
        code = checkin.code_for(project.id)
        assert not checkin.is_valid(code, project.id + 1)  # another project's code
    response = client.post(url, json={"code": code}, headers=api_token("resident"))
    assert response.status_code == 200 and response.json["status"] == "checked_in"
    assert client.post(url, json={"code": code}, headers=api_token("resident")).status_code == 409


# ----------------------------------------------------------------------------- the directory and the teams

def test_the_directory_shows_public_profiles_without_contact_data(client, api_token, db, profile):
    profile("resident")
    profile("worker", party_member=False, party_org=None, skills=["law"], public=False)
    response = client.get("/api/v1/volunteers", headers=api_token("staff"))
    assert response.status_code == 200
    [card] = response.json["items"]
    assert card["name"] == "福山居民 张阿姨" and card["party_member"] is True
    assert set(card) == {"id", "name", "skills", "party_member", "party_org", "willingness", "availability",
                         "team", "hours_total"}
    assert client.get("/api/v1/volunteers?skill=law", headers=api_token("unit_rep")).json["total"] == 0
    assert client.get("/api/v1/volunteers?skill=elderly&party_member=true",
                      headers=api_token("unit_rep")).json["total"] == 1
    assert client.get("/api/v1/volunteers?skill=编织", headers=api_token("unit_rep")).json["total"] == 1
    assert client.get("/api/v1/volunteers?party_member=false", headers=api_token("staff")).json["total"] == 0
    places = client.get("/api/v1/places").json["items"]
    fushan = next(p["id"] for p in places if p["name"] == "福山居民区")
    area = next(p["id"] for p in places if p["name"] == "建工片区")
    for place_id, total in ((fushan, 1), (area, 1)):
        assert client.get(f"/api/v1/volunteers?place_id={place_id}", headers=api_token("staff")).json["total"] == total
    assert client.get("/api/v1/volunteers", headers=api_token("resident")).status_code == 403


def test_teams_are_public_with_their_buildings(client, reference):
    teams = client.get("/api/v1/teams").json["items"]
    assert [t["community"]["name"] for t in teams] == ["福山居民区", "市新居民区", "陈家门居民区", "松山居民区"]
    songshan = teams[-1]
    assert [b["name"] for b in songshan["buildings"]] == ["建工大厦", "航科大厦"]
    assert client.get(f"/api/v1/teams/{songshan['id']}").status_code == 200
    assert client.get("/api/v1/teams/999999").status_code == 404
    skills = client.get("/api/v1/volunteer-skills").json["items"]
    assert skills[0] == {"id": skills[0]["id"], "code": "law", "name": "法律咨询"}


# ----------------------------------------------------------------------------- told of the project's changes

def test_signed_up_volunteers_hear_when_the_project_is_claimed_and_completed(client, api_token, db, open_project,
                                                                            profile):
    profile("resident")
    project = open_project("published")
    sign_up(client, api_token, project.id)
    projects.claim_project(user(db, "unitrep"), project.id)
    projects.complete_project(user(db, "unitrep"), project.id, "完成")
    db.session.commit()
    kinds = db.session.scalars(select(Notification.params).where(
        Notification.user_id == user(db, "resident").id, Notification.kind == "volunteer.project_changed")
        .order_by(Notification.id)).all()
    assert [k["status"] for k in kinds] == ["claimed", "completed"]


def test_a_team_names_its_members_and_shows_their_cards_to_the_directory_only(client, api_token, profile,
                                                                               reference):
    profile("resident")
    team_id = client.get("/api/v1/teams").json["items"][0]["id"]
    for headers in ({}, api_token("resident")):
        body = client.get(f"/api/v1/teams/{team_id}", headers=headers).json
        assert body["members"] == 1 and body["member_names"] == ["福山居民 张阿姨"]
        assert body["public_members"] is None
        assert PROFILE["willingness"] not in str(body) and PROFILE["party_org"] not in str(body)
    for role in ("staff", "unit_rep"):
        body = client.get(f"/api/v1/teams/{team_id}", headers=api_token(role)).json
        assert [(c["name"], c["willingness"], c["party_org"]) for c in body["public_members"]] == [
            ("福山居民 张阿姨", PROFILE["willingness"], PROFILE["party_org"])]


def test_ones_own_skills_fit_in_their_column_in_all(client, api_token, reference):
    words = [f"{i:02d}" + "手工编织与剪纸艺术" * 2 for i in range(10)]  # 20 characters each
    assert {len(word) for word in words} == {20}
    response = client.put("/api/v1/me/volunteer", headers=api_token("resident"),
                          json={"willingness": "x", "skills": words, "party_member": False, "public": True})
    assert response.status_code == 400 and list(response.json["error"]["fields"]) == ["skills"]
    ok = client.put("/api/v1/me/volunteer", headers=api_token("resident"),
                    json={"willingness": "x", "skills": words[:9], "party_member": False, "public": True})
    assert ok.status_code == 200 and ok.json["other_skills"] == words[:9]
