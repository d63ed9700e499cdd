"""Every page the browser can reach, as each role, in Chinese and in English, at a phone
(390×844) and a desktop (1280×800) size: nothing scrolls sideways, the English header fits, no
code (``wish``, ``meeting_hall``) or broken plural ("1 supporters") shows on a Chinese page, and no
Chinese system text (merge notes, council tallies) on an English page.

The walk follows the links of each page (nav, workbench, page body) from the home page and
``/me``, once per kind of page (``/needs/3`` and ``/needs/5`` are one kind), so it stays
bounded: one browser, one context per role."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest

from coordination.extensions import db
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
ROLES = [None, "resident", "worker", "unitrep", "council", "staff", "community", "street", "admin"]
# Pages each role sees in its own way; every other kind of page is checked once.
# Where each walk starts (pages reached by a button or a form rather than a plain link among them).
START = ["/", "/me", "/needs/new", "/association", "/surveys/code", "/selection"]
PER_ROLE = {"/", "/me", "/projects/tasks", "/projects/N", "/needs/N"}
SKIP = re.compile(r"^/(lang|logout|static|vendor|bootstrap|api)/|\.(csv|xlsx|zip|png|jpe?g|svg)$|/download$"
                  r"|/photos/|/progress-photos/|^/me/(data|delete)$|^/healthz$")
MAX_WALK = 80  # kinds of page one role's walk may open
MAX_VIEWS = 600  # page loads checked in all
# Codes and broken plurals that must never reach a Chinese page.
CODES_IN_CHINESE = re.compile(r"\b(wish|idea|meeting_hall|reception_room|hotline|in_project|self_governance"
                              r"|1 supporters|1 needs|1 votes|1 members|1 partners)\b")
# System text the platform writes that must follow the reader into English.
CHINESE_SYSTEM_TEXT = re.compile(r"合并而来|理事共\d+名|同意\d+票|反对\d+票|”已审批通过|”已完成|提交完成报告")
# Exports are file downloads: their layout is checked, there are no page words to read.
WORDS_CHECKED_ELSEWHERE = re.compile(r"^/exports(/|$)")
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
MAIN_TEXT = "(document.querySelector('main') || document.body).innerText"


def kind_of(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/N", path)


@pytest.fixture(scope="module")
def street_data(live_app):
    """A project in each part of the loop, a merged need and an open survey."""
    from coordination.evaluation import operations as evaluation
    from coordination.needs import operations as needs
    from tests.factories import accepted_need
    from tests.factories import build
    from tests.factories import user

    with live_app.app_context():
        published = build(db, "published", title="版面检查已发布项目", need_title="版面检查需求一")
        build(db, "claimed", title="版面检查实施项目", need_title="版面检查需求二")
        evaluated = build(db, "completed", title="版面检查测评项目", need_title="版面检查需求三")
        evaluation.open_evaluation(user(db, "staff"), evaluated.id)
        target = accepted_need(db, title="版面检查合并目标")
        duplicate = needs.submit_need(user(db, "resident"), needs.NeedInput(
            kind="wish", title="版面检查重复需求", description="与另一条相同。", place_id=target.place_id))
        needs.merge_need(user(db, "staff"), duplicate.id, target.id)
        needs.support_need(user(db, "worker"), target)
        db.session.commit()
        data = {"merged_target": target.id, "project": published.id}
        db.session.remove()
    return data


def links(page, origin: str) -> list[str]:
    hrefs = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin or parts.query or not parts.path:
            continue
        if SKIP.search(parts.path):
            continue
        found.append(parts.path)
    return found


def test_no_page_scrolls_sideways_and_each_language_reads_clean(browser, live_server, street_data):
    started = time.monotonic()
    seen_kinds: set[str] = set()
    problems: list[str] = []
    checked = 0
    for role in ROLES:
        context = browser.new_context(viewport=SIZES["desktop"], base_url=live_server, locale="zh-CN")
        context.set_default_timeout(15000)
        page = context.new_page()
        try:
            if role:
                login(page, role)
            # the walk: every page this role reaches; the kinds no earlier role saw are checked
            queue = [*START, f"/needs/{street_data['merged_target']}", f"/projects/{street_data['project']}/edit"]
            paths: list[str] = []
            role_kinds: set[str] = set()
            while queue and len(role_kinds) < MAX_WALK:
                path = queue.pop(0)
                kind = kind_of(path)
                if kind in role_kinds:
                    continue
                role_kinds.add(kind)
                response = page.goto(path)
                if response is None or response.status != 200 or urlsplit(page.url).path != path:
                    continue  # not this role's page (403/404, or a redirect to the login)
                if kind not in seen_kinds or kind in PER_ROLE:
                    paths.append(path)
                queue.extend(p for p in links(page, live_server) if kind_of(p) not in role_kinds)
            seen_kinds |= {kind_of(p) for p in paths}  # kinds checked (not those refused)
            print(role or "visitor", len(paths), paths)
            for language in ("zh_CN", "en"):
                page.goto(f"/lang/{language}")
                for path in paths:
                    where = f"{path} as {role or 'visitor'} in {language}"
                    for size in ("desktop", "phone"):
                        page.set_viewport_size(SIZES[size])
                        page.goto(path)  # loaded at each size, as a phone or a desktop would
                        page.wait_for_load_state("load")
                        overflow = page.evaluate(OVERFLOW)
                        if overflow > 0:
                            problems.append(f"{where} at {SIZES[size]['width']}px: {overflow}px wider than the window")
                        checked += 1
                    text = "" if WORDS_CHECKED_ELSEWHERE.search(path) else (
                        page.evaluate(MAIN_TEXT) + " " + page.evaluate("document.querySelector('header').innerText"))
                    if language == "zh_CN" and CODES_IN_CHINESE.search(text):
                        problems.append(f"{where}: English code {CODES_IN_CHINESE.search(text).group(0)!r}")
                    if language == "en" and CHINESE_SYSTEM_TEXT.search(text):
                        problems.append(f"{where}: Chinese system text {CHINESE_SYSTEM_TEXT.search(text).group(0)!r}")
                    assert checked <= MAX_VIEWS, "the walk grew past its bound"
        finally:
            if role:  # the language is kept on the account: leave it Chinese for the other tests
                page.goto("/lang/zh_CN")
            context.close()
    print(f"\n{checked} page views checked in {time.monotonic() - started:.0f}s")
    assert checked > 150, "the walk reached too few pages"
    assert problems == [], "\n".join(problems)


def test_the_english_desktop_header_shows_the_user_menu_and_the_language_switch(browser, live_server):
    context = browser.new_context(viewport=SIZES["desktop"], base_url=live_server, locale="zh-CN")
    page = context.new_page()
    try:
        login(page, "staff")
        page.goto("/lang/en")
        page.goto("/")
        for selector in ("#userMenu", "#langMenu", "#workMenu"):
            box = page.locator(selector).bounding_box()
            assert box is not None and page.locator(selector).is_visible(), selector
            assert box["x"] + box["width"] <= SIZES["desktop"]["width"], f"{selector} is off-screen: {box}"
        assert page.evaluate(OVERFLOW) <= 0
    finally:
        page.goto("/lang/zh_CN")
        context.close()
