"""The public page cache (core/page_cache.py): anonymous pages and API lists are served from the
cache without a query, a committed change shows at once (in every gunicorn worker), and nothing
personal or role-specific is ever stored or served across visitors."""

from __future__ import annotations

import io
import re

import pytest
import requests
from flask import template_rendered
from sqlalchemy import select

from tests.conftest import login
from tests.conftest import make_app
from tests.conftest import migrate_and_seed
from tests.core.test_query_counts import counted
from tests.live_server import gunicorn_server


@pytest.fixture()
def page_cache(app, db):
    app.config["PAGE_CACHE_ENABLED"] = True
    try:
        yield
    finally:
        app.config["PAGE_CACHE_ENABLED"] = False


def statements_of(client, url: str, **kwargs) -> tuple[int, object]:
    with counted() as statements:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return len(statements), response


@pytest.mark.parametrize("url", ["/", "/needs", "/needs?category_id=1", "/projects", "/api/v1/needs",
                                 "/api/v1/projects", "/api/v1/stats/summary"])
def test_a_second_anonymous_visit_runs_no_query(app, page_cache, url):
    first, answer = statements_of(app.test_client(), url)
    again, cached = statements_of(app.test_client(), url)
    assert first > 0 and again == 0, (first, again)
    assert cached.get_data() == answer.get_data()


def test_a_new_need_shows_at_once(app, page_cache, submit, triage):
    visitor = app.test_client()
    assert "加装无障碍坡道" not in visitor.get("/needs").get_data(as_text=True)
    assert "加装无障碍坡道" not in visitor.get("/api/v1/needs").get_data(as_text=True)
    assert statements_of(visitor, "/needs")[0] == 0  # cached
    need = submit(title="加装无障碍坡道")
    assert triage(need["id"], action="accept", category_id=1).status_code == 200
    assert "加装无障碍坡道" in visitor.get("/needs").get_data(as_text=True)
    assert "加装无障碍坡道" in [item["title"] for item in visitor.get("/api/v1/needs").json["items"]]
    assert "加装无障碍坡道" in visitor.get(f"/needs/{need['id']}").get_data(as_text=True)


def test_a_logged_in_page_is_never_stored_or_served_from_the_store(app, page_cache):
    anonymous = app.test_client()
    assert "Log out" not in anonymous.get("/needs?lang-test=1", headers={"Accept-Language": "en"}).get_data(as_text=True)
    staff = app.test_client()
    login(staff, "staff")
    again, answer = statements_of(staff, "/needs?lang-test=1")
    assert again > 0  # the person's own page, rendered for them
    assert 'action="/logout"' in answer.get_data(as_text=True)
    count, answer = statements_of(staff, "/needs?lang-test=1")
    assert count > 0
    # and what staff saw was not kept for the next anonymous visitor
    assert 'action="/logout"' not in app.test_client().get("/needs?lang-test=1").get_data(as_text=True)


def test_a_bearer_token_bypasses_the_store(app, page_cache, api_token):
    app.test_client().get("/api/v1/needs")
    headers = api_token("staff")
    count, _answer = statements_of(app.test_client(), "/api/v1/needs", headers=headers)
    assert count > 0


def test_the_language_is_part_of_the_key(app, page_cache, submit, triage):
    need = submit()
    triage(need["id"], action="accept", category_id=1)
    english, url = {"Accept-Language": "en"}, f"/api/v1/needs/{need['id']}"
    zh = app.test_client().get(url).json["status_label"]
    en = app.test_client().get(url, headers=english).json["status_label"]
    assert statements_of(app.test_client(), url, headers=english)[0] == 0
    assert statements_of(app.test_client(), url)[0] == 0
    assert app.test_client().get(url, headers=english).json["status_label"] == en == "In the needs menu"
    assert app.test_client().get(url).json["status_label"] == zh != en


def test_security_headers_are_sent_with_a_cached_answer(app, page_cache):
    app.test_client().get("/needs")
    app.test_client().get("/api/v1/needs")
    count, page = statements_of(app.test_client(), "/needs")
    assert count == 0
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    count, api = statements_of(app.test_client(), "/api/v1/needs")
    assert count == 0
    assert api.headers["Cache-Control"] == "no-store"
    assert api.headers["Content-Type"] == "application/json"


def test_a_page_holding_a_csrf_token_is_not_stored(app, page_cache):
    # the login page renders a form: its token belongs to the visitor's own session
    first = app.test_client().get("/login")
    assert "Set-Cookie" in first.headers
    from coordination.core import page_cache as module

    assert "accounts.login" not in module.PUBLIC_ENDPOINTS


@pytest.fixture()
def served(database_kind, database_url_factory, tmp_path):
    url = database_url_factory(database_kind)
    application = make_app(url)
    migrate_and_seed(application)
    from coordination.extensions import db

    with application.app_context():
        db.engine.dispose()
    with gunicorn_server(url, workers=2, env={"FLASK_PAGE_CACHE_ENABLED": "true",
                                              "CACHE_DIR": str(tmp_path / "cache")}) as base:
        yield base


def test_every_gunicorn_worker_shows_a_new_need_at_once(served):
    def token(username):
        answer = requests.post(served + "/api/v1/auth/token", json={"username": username, "password": "Ribbon-2026"},
                               timeout=30)
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['token']}"}

    menu = served + "/api/v1/needs?category_id=2"
    for _ in range(12):  # both workers have the menu cached
        assert requests.get(menu, timeout=30).json()["items"] == []
    places = requests.get(served + "/api/v1/places", timeout=30).json()["items"]
    place = next(p["id"] for p in places if p["kind"] != "area")
    created = requests.post(served + "/api/v1/needs", headers=token("resident"), timeout=30, json={
        "kind": "wish", "title": "楼道感应灯坏了", "description": "3号楼2单元楼道的感应灯坏了一个月。", "place_id": place})
    assert created.status_code == 201, created.text
    accepted = requests.post(served + f"/api/v1/needs/{created.json()['id']}/triage", headers=token("staff"),
                             json={"action": "accept", "category_id": 2}, timeout=30)
    assert accepted.status_code == 200, accepted.text
    for _ in range(12):
        assert [item["title"] for item in requests.get(menu, timeout=30).json()["items"]] == ["楼道感应灯坏了"]


def test_another_host_header_does_not_leak_into_the_cached_answer(app, page_cache, client_as, places, triage, db):
    from coordination.needs.models import Need
    from tests.factories import png
    from tests.factories import post_need

    assert post_need(client_as("resident"), places, photos=[(io.BytesIO(png()), "light.png")]).status_code == 302
    need_id = db.session.scalar(select(Need.id).order_by(Need.id.desc()))
    triage(need_id, action="accept", category_id=1)
    url = f"/api/v1/needs/{need_id}"
    forged = app.test_client().get(url, headers={"Host": "evil.example"})
    assert forged.json["photos"][0].startswith("http://evil.example/")  # the links follow the Host header
    honest = app.test_client().get(url)
    assert honest.json["photos"][0].startswith("http://localhost/")
    assert statements_of(app.test_client(), url)[0] == 0  # the honest answer is cached under its own host


# ----------------------------------------------------------------------------- the menu's shared part

def test_a_logged_in_menu_shares_its_cards_but_says_whose_support_it_is(app, page_cache, client_as, submit,
                                                                          triage):
    """The needs menu's filters and cards are built once for everybody (logged in or not);
    "including you" is each visitor's own, and a new support shows at once."""
    need = submit(role="staff", title="加装无障碍坡道")
    assert triage(need["id"], action="accept", category_id=1).status_code == 200
    worker, resident = client_as("worker"), client_as("resident")
    token = re.search(r'name="csrf_token" value="([^"]+)"', worker.get(f"/needs/{need['id']}").get_data(as_text=True))
    assert worker.post(f"/needs/{need['id']}/support", data={"csrf_token": token.group(1)}).status_code == 302

    def card(client) -> str:
        html = client.get("/needs", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
        found = re.search(r'<article class="card need-card(?:(?!</article>).)*加装无障碍坡道(?:(?!</article>).)*</article>',
                          html, re.S)
        assert found, "the need is not on the menu"
        return re.sub(r"\s+", " ", found.group(0))

    assert "1</strong> 人也需要</span>" in card(resident)  # builds the shared part
    with counted() as statements:
        mine = card(worker)
    assert "1</strong> 人也需要 · 包括您</span>" in mine
    assert "1</strong> 人也需要</span>" in card(resident)
    assert "包括您" not in card(app.test_client())
    assert not any("FROM needs " in s and "LIMIT" in s for s in statements), "the cards were queried again"
    token = re.search(r'name="csrf_token" value="([^"]+)"', resident.get(f"/needs/{need['id']}").get_data(as_text=True))
    assert resident.post(f"/needs/{need['id']}/support", data={"csrf_token": token.group(1)}).status_code == 302
    assert "2</strong> 人也需要 · 包括您</span>" in card(resident)
    assert "2</strong> 人也需要 · 包括您</span>" in card(worker)


# ----------------------------------------------------------------------------- a viewer's own pages

LOGOUT_TOKEN = re.compile(r'action="/logout">\s*<input type="hidden" name="csrf_token" value="([^"]+)"')


def test_the_dashboard_kept_for_a_viewer_stays_their_own(app, page_cache, client_as, db):
    """The dashboard is kept per person until anything is written: each sees their own name,
    gets their own logout token, and a new notification shows on their next visit."""
    from coordination.accounts.models import User
    from coordination.core.notifications import notify

    street, community = client_as("street_committee"), client_as("community_committee")
    names = {}
    for username, client in (("street", street), ("community", community)):
        names[username] = db.session.scalar(select(User.display_name).where(User.username == username))
        for _visit in range(2):  # the second visit is the kept page
            page = client.get("/dashboard").get_data(as_text=True)
            assert f'<span class="user-menu-name">{names[username]}</span>' in page
    assert names["street"] != names["community"]
    tokens = {LOGOUT_TOKEN.search(client.get("/dashboard").get_data(as_text=True)).group(1)
              for client in (street, community)}
    assert len(tokens) == 2

    rendered = []
    with template_rendered.connected_to(lambda _app, template, **_extra: rendered.append(template.name), app):
        assert street.get("/dashboard").status_code == 200
    assert "dashboards/index.html" not in rendered, "the kept page was rendered again"

    person = db.session.scalar(select(User).where(User.username == "street"))
    notify([person], "need.status", link="/needs", title="路灯", status="accepted")
    db.session.commit()
    page = street.get("/dashboard").get_data(as_text=True)
    assert re.search(r'<span class="badge[^>]*>1<', page), "the new notification is not on the bell"
    assert street.post("/logout", data={"csrf_token": LOGOUT_TOKEN.search(page).group(1)}).status_code == 302
    assert f'<span class="user-menu-name">{names["street"]}</span>' not in street.get("/dashboard").get_data(as_text=True)


def test_a_message_to_show_is_never_lost_to_the_kept_page(app, page_cache, client_as):
    street = client_as("street_committee")
    street.get("/dashboard")
    street.get("/dashboard")  # kept now
    with street.session_transaction() as stored:
        stored["_flashes"] = [("success", "导出已准备好。")]
    assert "导出已准备好。" in street.get("/dashboard").get_data(as_text=True)
    assert "导出已准备好。" not in street.get("/dashboard").get_data(as_text=True)
