"""The header and tab bar kept per worker (core/template_helpers.py ``page_chrome``) and the
URLs built once (core/application.py): what a person sees is still their own, at once."""

from __future__ import annotations

import re

import pytest
from flask import url_for
from sqlalchemy import select

from coordination.accounts.models import User
from coordination.core.enums import Role
from coordination.core.notifications import notify
from tests.conftest import login

LOGOUT_TOKEN = re.compile(r'action="/logout">\s*<input type="hidden" name="csrf_token" value="([^"]+)"')


def bell(html: str) -> str | None:
    """The unread count shown on the header's bell (phone), or None without a badge."""
    found = re.search(r'class="nav-bell[^"]*" href="/notifications">((?:(?!</a>).)*)</a>', html, re.S)
    assert found, "no bell in the header"
    count = re.search(r'<span class="badge[^>]*>(\d+)<', found.group(1))
    return count.group(1) if count else None


def test_a_new_notification_shows_on_the_next_page(app, db, client_as):
    resident = client_as("resident")
    assert bell(resident.get("/needs").get_data(as_text=True)) is None
    with app.app_context():
        person = db.session.scalar(select(User).where(User.username == "resident"))
        notify([person], "need.status", link="/needs", title="路灯", status="accepted")
        db.session.commit()
    assert bell(resident.get("/needs").get_data(as_text=True)) == "1"


def test_the_bell_counts_what_is_left_unread(app, db, client_as):
    """The count is read with the session, before the page: reading notifications lowers it."""
    resident = client_as("resident")
    with app.app_context():
        person = db.session.scalar(select(User).where(User.username == "resident"))
        for title in ("路灯", "电梯"):
            notify([person], "need.status", link="/needs", title=title, status="accepted")
        db.session.commit()
    page = resident.get("/notifications").get_data(as_text=True)
    assert bell(page) == "2"
    first = re.search(r'href="(/notifications/\d+)"', page).group(1)
    assert resident.get(first).status_code == 302
    assert bell(resident.get("/needs").get_data(as_text=True)) == "1"
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert resident.post("/notifications/read", data={"csrf_token": token}).status_code == 302
    assert bell(resident.get("/needs").get_data(as_text=True)) is None


def test_each_session_logs_out_with_its_own_token(app, db, client_as):
    first, second = client_as("resident"), client_as("resident")
    token_one = LOGOUT_TOKEN.search(first.get("/needs").get_data(as_text=True)).group(1)
    token_two = LOGOUT_TOKEN.search(second.get("/needs").get_data(as_text=True)).group(1)
    assert token_one != token_two
    # Another session's token is refused: the form is shown again, nobody is logged out.
    assert first.post("/logout", data={"csrf_token": token_two}).status_code == 400
    assert first.get("/me").status_code == 200
    answer = first.post("/logout", data={"csrf_token": token_one})
    assert answer.status_code == 302
    assert first.get("/me").status_code == 302  # to the login page


def test_a_granted_role_shows_its_menu_on_the_next_page(app, db, client_as):
    resident = client_as("resident")
    assert "需求分拣" not in resident.get("/needs").get_data(as_text=True)
    with app.app_context():
        person = db.session.scalar(select(User).where(User.username == "resident"))
        person.set_roles([Role.RESIDENT, Role.STAFF])
        db.session.commit()
    assert "需求分拣" in resident.get("/needs").get_data(as_text=True)


def test_the_header_follows_the_language_and_the_name(app, db, client):
    assert "退出登录" not in client.get("/needs").get_data(as_text=True)
    login(client, "resident")
    html = client.get("/needs").get_data(as_text=True)
    assert "退出登录" in html and "张阿姨" in html
    client.get("/lang/en")
    html = client.get("/needs").get_data(as_text=True)
    assert "Log out" in html and "退出登录" not in html
    # The language links come back to the page they are on, whatever its query string.
    assert 'href="/lang/zh_CN?next=/needs?category_id%3D2"' in client.get(
        "/needs?category_id=2").get_data(as_text=True)


@pytest.mark.parametrize("url", ["/needs", "/projects", "/dashboard"])
def test_query_arguments_named_like_parameters_are_ignored(client, url):
    # The pages pass their filters on into their links; these names must not break them.
    answer = client.get(f"{url}?self=x&endpoint=y&pagination=z&name=w&_external=1&page=1")
    assert answer.status_code == 200


def test_text_typed_into_a_search_is_never_taken_for_a_placeholder(app, db, client_as):
    from coordination.core.template_helpers import CSRF_SLOT
    from coordination.core.template_helpers import LANGUAGE_SLOT

    resident = client_as("resident")
    for slot in (CSRF_SLOT, LANGUAGE_SLOT + "en"):
        html = resident.get(f"/needs?q={slot}").get_data(as_text=True)
        token = LOGOUT_TOKEN.search(html).group(1)
        links = re.findall(r'href="(/lang/[^"]*)"', html)
        assert len(links) == 2 and all(token not in link for link in links), links


def test_memoised_urls_keep_their_values_apart(app):
    with app.test_request_context("/needs"):
        assert url_for("needs.index", page=1) == "/needs?page=1"
        assert url_for("needs.index", page=True) == "/needs?page=True"
        assert url_for("needs.index", page=2) == "/needs?page=2"
        assert url_for("needs.index", status=["accepted", "fulfilled"]) == \
            "/needs?status=accepted&status=fulfilled"
        assert url_for("needs.index", _external=True) == "http://localhost/needs"
        # Any query argument is passed on by the pagers, even one called "self".
        assert url_for("needs.index", page=2, self="x") == "/needs?page=2&self=x"
    with app.test_request_context("/needs", base_url="https://golden.example/street"):
        assert url_for("needs.index") == "/street/needs"
        assert url_for("needs.index", _external=True) == "https://golden.example/street/needs"
    with app.test_request_context("/needs"):
        assert url_for(".index") == "/needs"
    with app.test_request_context("/projects"):
        assert url_for(".index") == "/projects"
