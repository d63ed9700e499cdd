def test_home_page_shows_live_figures(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "金色纽带" in html or "Golden Ribbon" in html


def test_home_page_figures_are_live(client, db, api_token):
    from sqlalchemy import select

    from coordination.places.models import Place

    place = db.session.scalar(select(Place).where(Place.name == "福山居民区"))
    before = client.get("/").get_data(as_text=True)
    client.post("/api/v1/needs", headers=api_token("resident"), json={
        "kind": "wish", "title": "测试", "description": "测试", "place_id": place.id})
    after = client.get("/").get_data(as_text=True)
    assert before != after
    assert '<div class="figure-value">1</div>' in after


import pytest  # noqa: E402

ROLES = [None, "resident", "worker", "unit_rep", "staff", "council", "community_committee", "street_committee",
         "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_renders_for_every_role(client, client_as, db, role):
    """A crawl of the main pages as each role (and anonymously): never a server error."""
    from tests.projects.conftest import build

    published = build(db, "claimed")
    draft = build(db, "draft", title="草稿项目")
    need_id = published.needs[0].id
    browser = client_as(role) if role else client
    urls = ["/", "/needs", f"/needs/{need_id}", "/needs?q=楼道&sort=newest", "/projects", f"/projects/{published.id}",
            f"/projects/{draft.id}", "/units", f"/units/{published.lead_unit_id}", "/association", "/me",
            "/notifications", "/projects/tasks", "/needs/new", "/needs/triage", "/needs/import", "/admin/",
            "/audit", "/api/v1/needs", f"/api/v1/projects/{published.id}", "/api/v1/openapi.json", "/lang/en"]
    for url in urls:
        response = browser.get(url)
        assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
        assert response.status_code < 500
