"""The project pages: drafting from needs, each role's step on the page, the list, unit pages."""

from datetime import date
from datetime import timedelta

from sqlalchemy import select

from coordination.projects.models import Project
from tests.conftest import csrf_token
from tests.factories import accepted_need


def post(client, url, page, **data):
    data["csrf_token"] = csrf_token(client, page)
    return client.post(url, data=data, content_type="multipart/form-data")


def test_staff_draft_a_project_from_an_accepted_need(client_as, db):
    need = accepted_need(db)
    db.session.commit()
    staff = client_as("staff")
    form = staff.get(f"/projects/new?need_id={need.id}").get_data(as_text=True)
    assert "楼道感应灯维修" in form
    response = post(staff, "/projects/new", "/projects/new", title="楼道灯光改造", need_ids=str(need.id),
                    description="更换感应灯。", category_id=str(need.category_id), place_id=str(need.place_id),
                    committee_id="0", budget="5000", fund_self_governance="3000", fund_unit="2000",
                    planned_start=date.today().isoformat(), planned_end=(date.today() + timedelta(days=30)).isoformat())
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    project = db.session.scalar(select(Project).where(Project.title == "楼道灯光改造"))
    assert project.status.value == "draft" and [n.id for n in project.needs] == [need.id]
    assert sorted(float(f.amount) for f in project.funding) == [2000.0, 3000.0]


def test_sources_must_add_up_to_the_budget(client_as, db):
    need = accepted_need(db)
    db.session.commit()
    staff = client_as("staff")
    response = post(staff, "/projects/new", "/projects/new", title="x", need_ids=str(need.id), description="y",
                    category_id=str(need.category_id), place_id=str(need.place_id), committee_id="0",
                    budget="5000", fund_self_governance="1000", planned_start="2026-12-01", planned_end="2026-11-01")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="planned_end-error"' in html


def test_the_whole_loop_on_the_pages(client_as, db, make_project):
    project = make_project("draft")
    pid = project.id
    staff = client_as("staff")
    assert post(staff, f"/projects/{pid}/propose", f"/projects/{pid}").status_code == 302
    for who in ("council", "council2", "council3"):
        member = client_as(who)
        assert "projects/%d" % pid in member.get("/projects/tasks").get_data(as_text=True)
        post(member, f"/projects/{pid}/vote", f"/projects/{pid}", vote="approve", comment="同意")
    committee = client_as("community_committee")
    post(committee, f"/projects/{pid}/decision", f"/projects/{pid}", decision="approve", comment="同意发布")
    rep = client_as("unit_rep")
    post(rep, f"/projects/{pid}/claim", f"/projects/{pid}", comment="我单位认领")
    other = client_as("unitrep2")
    html = other.get(f"/projects/{pid}").get_data(as_text=True)
    assert "上海建工集团股份有限公司" in html
    post(other, f"/projects/{pid}/join", f"/projects/{pid}")
    post(rep, f"/projects/{pid}/progress", f"/projects/{pid}", percent="60", note="已完成3栋楼",
         volunteers="12", volunteer_hours="36", beneficiaries_residents="120", spent="4000")
    post(rep, f"/projects/{pid}/complete", f"/projects/{pid}", report="共更换感应灯36盏，居民反映良好。")
    db.session.expire_all()
    project = db.session.get(Project, pid)
    assert project.status.value == "completed" and project.progress_percent == 100
    assert [p.unit.name for p in project.partners] == ["中交航道勘察设计学院"]
    assert {n.status.value for n in project.needs} == {"fulfilled"}
    page = client_as("resident").get(f"/projects/{pid}").get_data(as_text=True)
    assert "共更换感应灯36盏" in page and "4,000.00" in page
    unit_page = client_as("resident").get(f"/units/{project.lead_unit_id}").get_data(as_text=True)
    assert "楼道灯光改造" in unit_page


def test_the_project_list_filters_and_hides_drafts(client, make_project):
    published = make_project("published", title="公开项目")
    draft = make_project("draft", title="内部草稿")
    html = client.get("/projects").get_data(as_text=True)
    assert "公开项目" in html and "内部草稿" not in html
    assert client.get(f"/projects/{draft.id}").status_code == 404
    assert "公开项目" not in client.get("/projects?q=不存在").get_data(as_text=True)
    assert "公开项目" in client.get(f"/projects?category_id={published.category_id}").get_data(as_text=True)


def test_overdue_projects_are_flagged_to_staff(client_as, make_project):
    make_project("claimed", title="逾期项目", planned_end=date.today() - timedelta(days=1))
    tasks = client_as("staff").get("/projects/tasks").get_data(as_text=True)
    assert "逾期项目" in tasks
    listing = client_as("staff").get("/projects?overdue=1").get_data(as_text=True)
    assert "逾期项目" in listing


def test_a_second_claim_on_the_page_names_the_holder(client_as, make_project):
    project = make_project("claimed")
    other = client_as("unitrep2")
    response = other.post(f"/projects/{project.id}/claim", data={"csrf_token": csrf_token(other, f"/projects/{project.id}")},
                          follow_redirects=True)
    assert "上海建工集团股份有限公司" in response.get_data(as_text=True)


def test_anyone_may_read_a_published_project(client, make_project):
    project = make_project("claimed")
    response = client.get(f"/projects/{project.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert project.title in html and "由本单位认领" not in html


def test_a_needs_page_links_its_project(client, make_project):
    project = make_project("published")
    html = client.get(f"/needs/{project.needs[0].id}").get_data(as_text=True)
    assert f'href="/projects/{project.id}"' in html
    api = client.get(f"/api/v1/needs/{project.needs[0].id}").json
    assert api["project_id"] == project.id and api["status"] == "in_project"
