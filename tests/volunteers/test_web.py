"""The volunteers' pages: the profile form, the project's volunteer panel, the directory, the
teams, the lead unit's code of the day, and the administrator's skills, teams and service points."""

import re

from sqlalchemy import select

from coordination.volunteers import checkin
from coordination.volunteers.models import ServicePoint
from coordination.volunteers.models import VolunteerSignup
from coordination.volunteers.models import VolunteerTeam
from tests.conftest import csrf_token
from tests.factories import place_ids


def post_form(client, url, page=None, **data):
    data["csrf_token"] = csrf_token(client, page or url)
    return client.post(url, data=data)


def test_the_profile_form_saves_the_three_shows(client_as, db, reference):
    resident = client_as("resident")
    page = resident.get("/me/volunteer")
    assert page.status_code == 200 and "法律咨询" in page.get_data(as_text=True)
    refused = post_form(resident, "/me/volunteer", party_org="某支部", willingness="陪老人聊天")
    assert refused.status_code == 400 and 'id="party_org-error"' in refused.get_data(as_text=True)
    saved = post_form(resident, "/me/volunteer", party_member="y", party_org="福山居民区党总支",
                      skills=["elderly", "law"], other_skills="编织，剪纸", willingness="陪老人聊天", public="y")
    assert saved.status_code == 302 and saved.headers["Location"] == "/me/volunteer"
    html = resident.get("/me/volunteer").get_data(as_text=True)
    assert 'value="编织、剪纸"' in html and 'id="hours-total">0<' in html
    me = resident.get("/me").get_data(as_text=True)
    assert 'id="my-volunteer-title"' in me and "福山居民区流动志愿服务队" in me
    assert client_as("staff").get("/me/volunteer").status_code == 403


def test_the_project_panel_from_sign_up_to_hours(client_as, db, open_project, profile):
    project = open_project(places=2)
    resident = client_as("resident")
    html = resident.get(f"/projects/{project.id}").get_data(as_text=True)
    assert 'id="volunteer-panel"' in html and f'href="/me/volunteer?project_id={project.id}"' in html  # no profile yet
    profile("resident")
    html = resident.get(f"/projects/{project.id}").get_data(as_text=True)
    assert f'action="/projects/{project.id}/volunteer/sign-up"' in html
    response = post_form(resident, f"/projects/{project.id}/volunteer/sign-up", f"/projects/{project.id}", note="带工具")
    assert response.status_code == 302 and response.headers["Location"] == f"/projects/{project.id}#volunteer-panel"
    html = resident.get(f"/projects/{project.id}").get_data(as_text=True)
    assert f'action="/projects/{project.id}/volunteer/withdraw"' in html

    lead = client_as("unit_rep")
    html = lead.get(f"/projects/{project.id}").get_data(as_text=True)
    signup_id = db.session.scalar(select(VolunteerSignup.id).where(VolunteerSignup.project_id == project.id))
    assert "福山居民 张阿姨" in html and "带工具" in html
    assert f'href="/projects/{project.id}/volunteers/check-in-code"' in html
    post_form(lead, f"/projects/{project.id}/volunteers/{signup_id}/check-in", f"/projects/{project.id}")
    response = post_form(lead, f"/projects/{project.id}/volunteers/{signup_id}/hours", f"/projects/{project.id}",
                         hours="3.5", served_on=checkin.local_today().isoformat(), note="")
    assert response.status_code == 302
    db.session.expire_all()
    assert float(db.session.get(VolunteerSignup, signup_id).hours_total) == 3.5
    assert 'id="hours-total">3.5<' in resident.get("/me/volunteer").get_data(as_text=True)


def test_the_public_sees_places_left_but_no_names(client, open_project, profile, client_as):
    profile("resident")
    project = open_project(places=3)
    resident = client_as("resident")
    post_form(resident, f"/projects/{project.id}/volunteer/sign-up", f"/projects/{project.id}")
    html = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert 'id="volunteer-panel"' in html and "张阿姨" not in html
    assert re.search(r"2\D+3", html)  # 2 of 3 places left


def test_the_lead_shows_a_code_the_volunteer_scans_to_check_in(client_as, db, open_project, profile):
    profile("resident")
    project = open_project()
    resident = client_as("resident")
    post_form(resident, f"/projects/{project.id}/volunteer/sign-up", f"/projects/{project.id}")
    page = client_as("unit_rep").get(f"/projects/{project.id}/volunteers/check-in-code").get_data(as_text=True)
    assert "<svg" in page
    assert client_as("unitrep2").get(f"/projects/{project.id}/volunteers/check-in-code").status_code == 403
    link = re.search(r'href="http://localhost(/projects/\d+/check-in\?code=[^"]+)"', page)
    url = link.group(1).replace("&amp;", "&") if link else None
    assert url is not None
    scan = resident.get(url).get_data(as_text=True)
    assert 'name="code"' in scan
    response = post_form(resident, f"/projects/{project.id}/check-in", url,
                         code=re.search(r'name="code" type="hidden" value="([^"]+)"', scan).group(1))
    assert response.status_code == 302
    db.session.expire_all()
    signup = db.session.scalar(select(VolunteerSignup).where(VolunteerSignup.project_id == project.id))
    assert signup.status.value == "checked_in" and signup.check_in_method.value == "scan"


def test_directory_and_team_pages(client, client_as, profile, reference):
    profile("resident")
    staff = client_as("staff")
    html = staff.get("/volunteers?skill=elderly").get_data(as_text=True)
    assert "福山居民 张阿姨" in html and "13" not in re.sub(r"<[^>]+>", "", html).split("张阿姨")[1][:200]
    assert "张阿姨" not in staff.get("/volunteers?skill=law").get_data(as_text=True)
    assert "福山居民区流动志愿服务队" in client.get("/teams").get_data(as_text=True)
    team_id = client.get("/api/v1/teams").json["items"][0]["id"]
    assert "张阿姨" in client.get(f"/teams/{team_id}").get_data(as_text=True)


def test_admin_keeps_skills_teams_and_at_most_two_service_points(client_as, db, reference):
    admin = client_as("admin")
    places = place_ids(db)
    duplicate = post_form(admin, "/admin/volunteer-skills/new", code="law", name="法律咨询", name_en="Law", position="1",
                          active="y")
    assert duplicate.status_code == 400 and 'id="code-error"' in duplicate.get_data(as_text=True)
    assert post_form(admin, "/admin/volunteer-skills/new", code="cooking", name="烹饪", name_en="Cooking",
                     position="20", active="y").status_code == 302
    same_community = post_form(admin, "/admin/volunteer-teams/new", community_id=str(places["福山居民区"]),
                               name="另一支队伍", active="y")
    assert same_community.status_code == 400 and 'id="community_id-error"' in same_community.get_data(as_text=True)
    team = db.session.scalar(select(VolunteerTeam).where(VolunteerTeam.name == "松山居民区流动志愿服务队"))
    third = post_form(admin, "/admin/service-points/new", team_id=str(team.id), building_id=str(places["国际航运金融大厦"]),
                      slot="2", name="")
    assert third.status_code == 400 and 'id="slot-error"' in third.get_data(as_text=True)
    again = post_form(admin, "/admin/service-points/new", team_id=str(team.id), building_id=str(places["建工大厦"]),
                      slot="1", name="")
    assert again.status_code == 400
    assert len(db.session.scalars(select(ServicePoint).where(ServicePoint.team_id == team.id)).all()) == 2


# ----------------------------------------------------------------------------- what a signed-out visitor gets

def test_a_signed_out_visitor_gets_the_project_page_without_a_session_from_the_cache(app, db, open_project,
                                                                                    profile):
    """The panel builds its forms only for those it shows them to: a visitor who sees none
    gets no session cookie, and the page is kept in the public cache."""
    from tests.core.test_query_counts import counted

    profile("resident")
    project = open_project("published", places=3)
    app.config["PAGE_CACHE_ENABLED"] = True
    try:
        first = app.test_client().get(f"/projects/{project.id}")
        assert first.status_code == 200 and 'id="volunteer-panel"' in first.get_data(as_text=True)
        assert "Set-Cookie" not in first.headers
        with counted() as statements:
            again = app.test_client().get(f"/projects/{project.id}")
        assert statements == [] and again.get_data() == first.get_data()
    finally:
        app.config["PAGE_CACHE_ENABLED"] = False


def test_a_team_page_shows_the_members_cards_only_to_those_who_see_the_directory(client, client_as, profile,
                                                                                  reference):
    from tests.volunteers.conftest import PROFILE

    profile("resident", willingness="愿意陪伴独居老人，每周两次。")
    team_id = client.get("/api/v1/teams").json["items"][0]["id"]
    private = ("愿意陪伴独居老人", PROFILE["party_org"], PROFILE["availability"], "沪语教学")
    for viewer in (client, client_as("resident"), client_as("worker")):
        html = viewer.get(f"/teams/{team_id}").get_data(as_text=True)
        assert "福山居民 张阿姨" in html and 'id="team-members">1<' in html
        assert not [text for text in private if text in html]
    for role in ("staff", "unit_rep"):
        html = client_as(role).get(f"/teams/{team_id}").get_data(as_text=True)
        assert all(text in html for text in private), role


def test_hours_show_one_decimal_without_an_exponent(client, db, profile, reference):
    profile("resident")
    team = db.session.scalar(select(VolunteerTeam).where(VolunteerTeam.name == "福山居民区流动志愿服务队"))
    team.hours_total = 1234567.5
    db.session.commit()
    assert "1,234,567.5" in client.get("/teams").get_data(as_text=True)
    html = client.get(f"/teams/{team.id}").get_data(as_text=True)
    assert 'id="team-hours">1,234,567.5<' in html and "e+06" not in html
