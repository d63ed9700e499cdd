"""The display for elders (长辈版): ``/mode/elder`` and ``/mode/standard`` switch it with a cookie and
return to the page; each display is its own HTML in the page cache, the memoised header and a
viewer's kept pages, so one display is never served to a visitor of the other; the elder home
page puts the four main tasks first; need, project and survey pages offer "读给我听"."""

from __future__ import annotations

import re

import pytest

from coordination.core.display import COOKIE
from tests.conftest import csrf_token
from tests.core.test_page_cache import page_cache  # noqa: F401 - a fixture
from tests.core.test_page_cache import statements_of
from tests.factories import build
from tests.factories import open_evaluation

ELDER_CSS = "/static/css/elder.css"


def elder(client):
    assert client.get("/mode/elder").status_code == 302
    return client


def is_elder(html: str) -> bool:
    opening = re.search(r"<html[^>]*>", html).group(0)
    return 'class="elder"' in opening and ELDER_CSS in html


def switch_link(html: str) -> tuple[str, str]:
    """The header's display switch: (its href, its visible label)."""
    found = re.search(r'<a class="btn display-switch[^"]*" href="([^"]+)">\s*([^<]+)<', html)
    assert found, "no display switch in the header"
    return found.group(1).replace("&amp;", "&"), found.group(2).strip()


@pytest.mark.parametrize("mode", ["elder", "standard"])
def test_the_switch_keeps_the_choice_in_a_cookie_and_returns_to_the_page(client, mode):
    response = client.get(f"/mode/{mode}?next=/needs%3Fcategory_id%3D2")
    assert (response.status_code, response.headers["Location"]) == (302, "/needs?category_id=2")
    cookie = response.headers["Set-Cookie"]
    if mode == "elder":
        assert cookie.startswith(f"{COOKIE}=elder;")
        assert "Max-Age=31536000" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    else:  # the standard display is the absence of the cookie
        assert cookie.startswith(f"{COOKIE}=;") and "Max-Age=0" in cookie
    assert is_elder(client.get("/needs?category_id=2").get_data(as_text=True)) == (mode == "elder")


@pytest.mark.parametrize("target, location", [
    ("https://evil.example/", "/"), ("//evil.example/x", "/"), ("javascript:alert(1)", "/"), ("evil.example", "/"),
    ("/\\evil.example", "/%5Cevil.example"),  # a path on this site: the backslash is sent encoded
])
def test_the_switch_never_sends_a_visitor_off_the_site(client, target, location):
    response = client.get("/mode/elder", query_string={"next": target})
    assert (response.status_code, response.headers["Location"]) == (302, location)


def test_an_unknown_display_does_not_exist(client):
    assert client.get("/mode/huge").status_code == 404


def test_every_page_has_the_switch_back_to_itself(app, db, client_as):
    visitor = app.test_client()
    href, label = switch_link(visitor.get("/projects?q=灯").get_data(as_text=True))
    assert (href, label) == ("/mode/elder?next=/projects?q%3D%E7%81%AF", "长辈版")
    elder(visitor)
    href, label = switch_link(visitor.get("/needs").get_data(as_text=True))
    assert (href, label) == ("/mode/standard?next=/needs?", "标准版")
    staff = client_as("staff")
    assert switch_link(staff.get("/needs/triage").get_data(as_text=True))[1] == "长辈版"
    english = app.test_client()
    english.get("/lang/en")
    elder(english)
    assert switch_link(english.get("/").get_data(as_text=True))[1] == "Standard mode"


def test_an_anonymous_visitor_never_gets_the_other_displays_cached_page(app, db, page_cache):  # noqa: F811
    project = build(db, "published", title="敬老食堂")
    for url in ("/", "/needs", f"/projects/{project.id}", "/projects"):
        standard, older = app.test_client(), elder(app.test_client())
        first = standard.get(url).get_data(as_text=True)
        assert not is_elder(first)
        count, page = statements_of(older, url)  # the standard page is cached: not this one
        assert count > 0 and is_elder(page.get_data(as_text=True)), url
        count, page = statements_of(app.test_client(), url)
        assert count == 0 and not is_elder(page.get_data(as_text=True)), url
        count, page = statements_of(elder(app.test_client()), url)
        assert count == 0 and is_elder(page.get_data(as_text=True)), url
    # and the other way round: the elder page cached first
    url = "/projects?status=evaluating"
    assert is_elder(elder(app.test_client()).get(url).get_data(as_text=True))
    count, page = statements_of(app.test_client(), url)
    assert count > 0 and not is_elder(page.get_data(as_text=True))


def test_a_logged_in_persons_kept_pages_follow_the_display(app, db, client_as, page_cache):  # noqa: F811
    staff = client_as("staff")
    for url in ("/dashboard", "/needs", "/me"):
        assert not is_elder(staff.get(url).get_data(as_text=True))
        assert switch_link(staff.get(url).get_data(as_text=True))[1] == "长辈版"
        elder(staff)
        html = staff.get(url).get_data(as_text=True)
        assert is_elder(html) and switch_link(html)[1] == "标准版", url
        assert staff.get("/mode/standard").status_code == 302
        assert not is_elder(staff.get(url).get_data(as_text=True)), url


def test_the_elder_home_page_puts_the_four_main_tasks_first(app, db, client_as):
    html = elder(client_as("resident")).get("/").get_data(as_text=True)
    main = html.split('<main id="main"', 1)[1]
    tiles = re.findall(r'<a class="task-tile" href="([^"]+)">.*?<span class="task-tile-title">([^<]+)</span>', main,
                       re.S)
    # a resident's surveys are listed on their page; a visitor is shown the projects being evaluated
    assert tiles == [("/needs/new", "提交需求"), ("/needs", "我也需要"), ("/me#my-surveys", "参与测评"),
                     ("/me", "我的需求")]
    assert re.search(r"<a [^>]*>", main).group(0).startswith('<a class="task-tile"')  # nothing before them
    assert "figures-title" not in main and "hero" not in main
    standard = client_as("resident").get("/").get_data(as_text=True)
    assert "task-tile" not in standard and "figures-title" in standard
    anonymous = elder(app.test_client()).get("/").get_data(as_text=True)
    assert "先登录" in anonymous and 'href="/register"' in anonymous
    assert 'href="/projects?status=evaluating"' in anonymous


def test_need_project_and_survey_pages_offer_read_aloud_in_both_displays(client, db, api_token, completed,
                                                                      client_as, submit):
    need = submit(title="楼道扶手松动")
    survey = open_evaluation(client, api_token, completed.id)
    resident = client_as("resident")
    for url in (f"/needs/{need['id']}", f"/projects/{completed.id}", f"/surveys/{survey['id']}"):
        for browser in (resident, elder(client_as("resident"))):
            html = browser.get(url).get_data(as_text=True)
            group = re.search(r'<div class="read-aloud[^"]*" data-read-aloud="([^"]+)" hidden>(.*?)</div>', html, re.S)
            assert group, url
            assert "读给我听" in group.group(2) and "停止朗读" in group.group(2)
            assert '<script src="/static/js/read-aloud.js' in html


def test_an_error_is_told_in_words_in_the_elder_display(client_as):
    resident = elder(client_as("resident"))
    response = resident.post("/needs/new?offline=0", data={"csrf_token": csrf_token(resident, "/needs/new?offline=0"),
                                                          "kind": "wish", "title": "", "description": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and is_elder(html)
    assert re.search(r'id="title-error" class="invalid-feedback d-block" role="alert">该字段是必填字段。</div>', html)
    assert 'aria-invalid="true"' in html
