"""Who may open which page: every role against every protected page."""

import pytest

ROLES = ["resident", "worker", "unit_rep", "staff", "council", "community_committee",
         "street_committee", "admin"]

# page → roles allowed (everyone else gets 403; anonymous users are sent to log in)
PROTECTED = {
    "/admin/": {"admin"},
    "/admin/users/": {"admin"},
    "/admin/units/": {"admin"},
    "/admin/places/new": {"admin"},
    "/admin/indicators/": {"admin"},
    "/audit": {"admin", "street_committee", "community_committee"},
    "/me": set(ROLES),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", sorted(PROTECTED))
def test_each_role_sees_only_its_pages(client_as, role, url):
    response = client_as(role).get(url)
    expected = 200 if role in PROTECTED[url] else 403
    assert response.status_code == expected


@pytest.mark.parametrize("url", sorted(PROTECTED))
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_a_forbidden_admin_change_changes_nothing(client_as, db, role):
    from sqlalchemy import func
    from sqlalchemy import select

    from coordination.places.models import Place
    from tests.conftest import csrf_token

    client = client_as(role)
    before = db.session.scalar(select(func.count()).select_from(Place))
    token = csrf_token(client, "/me")
    response = client.post("/admin/places/new", data={"csrf_token": token, "kind": "area",
                                                      "name": "新片区", "street_id": "1", "area_id": "0"})
    after = db.session.scalar(select(func.count()).select_from(Place))
    if role == "admin":
        assert response.status_code == 302 and after == before + 1
    else:
        assert response.status_code == 403 and after == before


@pytest.mark.parametrize("role, shown", [("staff", True), ("admin", True), ("resident", False),
                                         ("unit_rep", False), ("street_committee", False)])
def test_navigation_follows_the_role(client_as, role, shown):
    html = client_as(role).get("/").get_data(as_text=True)
    assert ('href="/admin/"' in html) == (role == "admin")
    assert ('href="/audit"' in html) == (role in {"admin", "street_committee"})
