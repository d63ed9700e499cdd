"""Key pages at a phone and a desktop size: axe-core finds nothing serious, nothing scrolls
sideways on a phone, targets are large enough, and screenshots are kept as artefacts."""

from pathlib import Path

import pytest

from coordination.extensions import db
from tests.e2e.conftest import login
from tests.factories import build

pytestmark = pytest.mark.e2e
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def serious_violations(page) -> list[dict]:
    """What axe-core finds serious or critical on the page (the context must bypass the CSP)."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")


@pytest.fixture(scope="module")
def key_pages(live_app):
    """A need, a project and an open survey to look at; returns {name: (path, who)}."""
    from coordination.evaluation import operations as evaluation
    from tests.factories import user

    with live_app.app_context():
        project = build(db, "claimed", title="可访问性检查项目", need_title="无障碍坡道")
        evaluated = build(db, "completed", title="问卷检查项目", need_title="社区图书角")
        survey = evaluation.open_evaluation(user(db, "staff"), evaluated.id)
        db.session.commit()
        pages = {
            "home": ("/", None), "needs-menu": ("/needs", None),
            "need": (f"/needs/{project.needs[0].id}", None), "submit-form": ("/needs/new", "resident"),
            "project": (f"/projects/{project.id}", None), "survey-form": (f"/surveys/{survey.id}", "resident"),
            "dashboard": ("/dashboard", None), "login": ("/login", None), "register": ("/register", None),
        }
        db.session.remove()
    return pages


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("name", ["home", "needs-menu", "need", "submit-form", "project", "survey-form",
                                  "dashboard", "login", "register"])
def test_key_page(browser, live_server, artifacts_dir, key_pages, name, viewport):
    path, who = key_pages[name]
    phone = viewport == "phone"
    context = browser.new_context(viewport=VIEWPORTS[viewport], base_url=live_server, locale="zh-CN",
                                  is_mobile=phone, has_touch=phone, bypass_csp=True)
    try:
        page = context.new_page()
        if who:
            login(page, who)
        page.goto(path)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=artifacts_dir / f"{name}-{viewport}.png", full_page=True)

        assert serious_violations(page) == []

        # Every form field has a label.
        unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
            .filter(el => el.type !== 'hidden' && !el.labels?.length && !el.getAttribute('aria-label'))
            .map(el => el.name || el.id)""")
        assert unlabelled == []

        if phone:
            # Nothing scrolls sideways on a phone.
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{overflow}px wider than the screen"
            # Buttons and form controls are big enough to hit with a thumb (WCAG 2.5.8: 24px).
            small = page.evaluate("""() => [...document.querySelectorAll(
                    'main button, main .btn, main input:not([type=hidden]):not(.btn-check), main select, .tab-bar a')]
                .filter(el => el.offsetParent !== null)
                .map(el => [el.textContent.trim().slice(0, 20) || el.name || el.id, el.getBoundingClientRect()])
                .filter(([, r]) => r.width < 24 || r.height < 24)
                .map(([label, r]) => `${label}: ${Math.round(r.width)}×${Math.round(r.height)}`)""")
            assert small == [], small
    finally:
        context.close()


def test_the_login_form_works_with_the_keyboard_alone(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto("/login")
        page.keyboard.press("Tab")  # the skip link comes first
        assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
        page.locator("#username").focus()
        page.keyboard.type("worker")
        page.keyboard.press("Tab")
        page.keyboard.type("Ribbon-2026")
        page.keyboard.press("Enter")
        page.wait_for_url("**/me")
        # the phone tab bar and the main menu are reachable by Tab as well
        focusable = page.evaluate("""() => [...document.querySelectorAll('a[href], button')]
            .filter(el => el.offsetParent !== null && el.tabIndex >= 0).length""")
        assert focusable > 10
    finally:
        context.close()


def test_errors_are_announced_next_to_their_field(new_page):
    page = new_page()
    page.goto("/register")
    page.locator("form button[type=submit]").last.click()
    error = page.locator("#username-error")
    assert error.get_attribute("role") == "alert"
    assert "username-error" in page.locator("#username").get_attribute("aria-describedby")
    assert page.locator("#username").get_attribute("aria-invalid") == "true"


def test_submitting_a_need_with_the_keyboard_alone(browser, live_server):
    """Tab to each field, type, choose with the arrow keys and the space bar, send with Enter."""
    context = browser.new_context(base_url=live_server, locale="zh-CN")
    try:
        page = context.new_page()
        login(page, "resident")
        page.goto("/needs/new")

        def tab_to(selector: str, limit: int = 60) -> None:
            for _ in range(limit):
                page.keyboard.press("Tab")
                if page.evaluate("(s) => document.activeElement.matches(s)", selector):
                    return
            raise AssertionError(f"{selector} cannot be reached with Tab")

        tab_to("input[name=kind]")
        page.keyboard.press("ArrowRight")  # from 微心愿 (the default) to the next kind
        tab_to("#title")
        page.keyboard.type("键盘提交的需求")
        tab_to("#description")
        page.keyboard.type("只用键盘也能提交。")
        tab_to("#show_submitter")
        page.keyboard.press("Space")
        tab_to("form button[type=submit]")
        page.keyboard.press("Enter")
        page.wait_for_url("**/needs/*")
        assert page.locator("h1").inner_text() == "键盘提交的需求"
        assert page.locator("main .badge").first.inner_text() == "诉求"
    finally:
        context.close()
