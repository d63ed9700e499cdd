"""In a real browser on a phone (390 px): a resident switches to the display for elders (长辈版)
from the home page with the keyboard, then submits a need, supports a neighbour's need, answers a
satisfaction survey and finds their needs — while the computed font sizes, line and paragraph
spacing and target sizes are measured on every page (MIIT 2021 age-friendly design), no pop-up
ever opens, and "读给我听" reads the need, project and survey aloud in Chinese."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from coordination.evaluation import operations as evaluation
from coordination.extensions import db
from coordination.needs import operations as needs
from coordination.needs.models import Category
from coordination.places.models import Place
from tests.e2e.conftest import login
from tests.e2e.test_accessibility import serious_violations
from tests.factories import build
from tests.factories import user

pytestmark = pytest.mark.e2e

# Records what the page asks the speech synthesis to say, instead of saying it (a browser API stub).
SPEECH_STUB = """
window.__spoken = [];
window.__cancelled = 0;
if (window.speechSynthesis) {
  window.speechSynthesis.speak = function (utterance) {
    window.__spoken.push({text: utterance.text, lang: utterance.lang});
  };
  window.speechSynthesis.cancel = function () { window.__cancelled += 1; };
}
"""

# Every visible piece of text on the page: its computed size, line height and element.
MEASURE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    if (!node.textContent.trim() || !element || element.closest("script, style, noscript, svg")) continue;
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if (box.width <= 1 || box.height <= 1 || style.visibility === "hidden" || !element.offsetParent
        && style.position !== "fixed") continue;
    out.push({text: node.textContent.trim().slice(0, 40), tag: element.tagName, cls: element.className,
              font: parseFloat(style.fontSize), line: parseFloat(style.lineHeight)});
  }
  return out;
}"""

MEASURE_BOXES = """(selector) => Array.from(document.querySelectorAll(selector)).filter(element => {
    const box = element.getBoundingClientRect();
    return box.width > 1 && box.height > 1 && getComputedStyle(element).visibility !== "hidden";
  }).map(element => {
    const box = element.getBoundingClientRect();
    return {text: (element.textContent || element.value || element.name || "").trim().slice(0, 30),
            cls: element.className, height: box.height, width: box.width};
  })"""

# Paragraphs followed by another (a big figure over its caption is not a paragraph of text).
MEASURE_PARAGRAPHS = """() => Array.from(document.querySelectorAll("main p:not([class*=display-])")).filter(p => {
    const next = p.nextElementSibling;
    return next && next.tagName === "P" && p.getBoundingClientRect().height > 1;
  }).map(p => {
    const style = getComputedStyle(p);
    return {text: p.textContent.trim().slice(0, 30), gap: parseFloat(style.marginBottom),
            line: parseFloat(style.lineHeight)};
  })"""

PRIMARY = ".btn, .form-control, .form-select, .display-switch, .tab-bar-item, .task-tile, .navbar-toggler, .nav-bell"
PAGES_MEASURED: list[str] = []


def measure(page) -> None:
    """The page in the elder display meets the numbers: text ≥ 18px, lines ≥ 1.3 apart, paragraphs
    further apart than lines, main controls ≥ 60px tall, every other link ≥ 44px."""
    assert page.evaluate("document.documentElement.classList.contains('elder')"), page.url
    texts = page.evaluate(MEASURE_TEXT)
    assert texts, page.url
    small = [t for t in texts if t["font"] < 18]
    assert small == [], (page.url, small[:5])
    # body text (big figures and headings are single lines of display type)
    cramped = [t for t in texts if t["line"] and t["font"] < 24 and t["line"] / t["font"] < 1.3]
    assert cramped == [], (page.url, cramped[:5])
    for paragraph in page.evaluate(MEASURE_PARAGRAPHS):
        assert paragraph["gap"] > paragraph["line"], (page.url, paragraph)
    low = [b for b in page.evaluate(MEASURE_BOXES, PRIMARY) if b["height"] < 60 - 0.5]
    assert low == [], (page.url, low[:5])
    links = [b for b in page.evaluate(MEASURE_BOXES, "main a, .form-check") if b["height"] < 44 - 0.5]
    assert links == [], (page.url, links[:5])
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url  # nothing scrolls sideways
    PAGES_MEASURED.append(page.url)


def tab_to(page, selector: str, presses: int = 40) -> None:
    """Press Tab until the element matching ``selector`` has the keyboard focus."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", selector  # the focus can be seen
            return
    raise AssertionError(f"Tab never reached {selector}")


def read_aloud(page, expected: str) -> None:
    """"读给我听" reads the page's main text in Chinese; "停止朗读" stops it."""
    start = page.get_by_role("button", name="读给我听")
    expect(start).to_be_visible()
    start.click()
    spoken = page.evaluate("window.__spoken")
    assert spoken and {s["lang"] for s in spoken} == {"zh-CN"}, spoken
    assert expected in "".join(s["text"] for s in spoken)
    assert not any("读给我听" in s["text"] for s in spoken)
    stop = page.get_by_role("button", name="停止朗读")
    expect(stop).to_be_enabled()
    stop.click()
    expect(stop).to_be_disabled()
    assert page.evaluate("window.__cancelled") >= 2


@pytest.fixture()
def street(live_app):
    """A neighbour's need in the menu, and a completed project being evaluated."""
    with live_app.app_context():
        place_id = db.session.scalar(select(Place.id).where(Place.name == "福山居民区"))
        category_id = db.session.scalar(select(Category.id).where(Category.code == 6))
        neighbour = needs.submit_need(user(db, "worker"), needs.NeedInput(
            kind="wish", title="小区增设休息座椅", description="小区步道旁没有座椅，老人散步走累了没地方歇脚。",
            place_id=place_id))
        needs.accept_need(user(db, "staff"), neighbour.id, category_id)
        project = build(db, "completed", title="长者助餐点改造", need_title="长者助餐点需要扩建")
        evaluation.open_evaluation(user(db, "staff"), project.id)
        db.session.commit()
        ids = {"need": neighbour.id, "project": project.id}
        db.session.remove()
    return ids


def test_a_resident_does_the_main_tasks_in_the_elder_display(new_page, street, artifacts_dir):
    page = new_page("resident", phone=True)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(SPEECH_STUB)

    # On the home page, the keyboard reaches the 长辈版 switch; Enter turns it on and comes back.
    page.goto("/")
    assert page.evaluate("document.documentElement.className") == ""
    switch = page.locator(".display-switch:visible")  # on a phone: beside the menu button
    expect(switch).to_have_text(re.compile("^长辈版"))
    assert switch.bounding_box()["height"] >= 44
    tab_to(page, ".display-switch")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator("html")).to_have_class("elder")
    expect(switch).to_have_text(re.compile("^标准版"))
    page.screenshot(path=artifacts_dir / "elder-home-phone.png", full_page=True)
    measure(page)

    # The four main tasks come first, as big tiles; the keyboard reaches each of them.
    tiles = page.locator("main .task-tile")
    expect(tiles).to_have_count(4)
    titles = page.locator("main .task-tile-title").all_inner_texts()
    assert titles == ["提交需求", "我也需要", "参与测评", "我的需求"]
    first_link = page.evaluate("document.querySelector('main a').className")
    assert first_link == "task-tile"
    for index in range(4):
        box = tiles.nth(index).bounding_box()
        assert box["height"] >= 60 and box["width"] >= 60
    page.locator("main .task-tile").first.focus()
    for index in range(1, 4):
        page.keyboard.press("Tab")
        assert page.evaluate("(i) => document.activeElement === document.querySelectorAll('main .task-tile')[i]",
                             index)

    # Submit a need: with the keyboard from the first tile; an empty form says what is wrong in words.
    tiles.first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/needs/new")
    measure(page)
    page.get_by_role("button", name=re.compile("^提交")).click()
    error = page.locator("#title-error")
    expect(error).to_have_text("该字段是必填字段。")
    icon = page.evaluate("getComputedStyle(document.querySelector('#title-error'), '::before').maskImage"
                         " || getComputedStyle(document.querySelector('#title-error'), '::before').webkitMaskImage")
    assert icon.startswith("url(")  # a warning sign beside the words, not colour alone
    expect(page.locator("#title")).to_have_attribute("aria-invalid", "true")
    measure(page)
    page.get_by_label("微心愿").check()
    page.get_by_label(re.compile(r"^标题")).fill("楼道加装扶手")
    page.get_by_label(re.compile(r"^具体描述")).fill("5号楼楼道台阶陡，老人上下楼需要扶手。")
    page.get_by_role("button", name=re.compile("^(提交|仍然提交)")).click()
    if page.get_by_role("button", name="仍然提交").count():
        page.get_by_role("button", name="仍然提交").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("楼道加装扶手")
    page.screenshot(path=artifacts_dir / "elder-need-phone.png", full_page=True)
    measure(page)
    read_aloud(page, "老人上下楼需要扶手")

    # Support a neighbour's need from the needs menu.
    page.goto("/")
    page.locator("main .task-tile").nth(1).click()
    page.wait_for_url("**/needs")
    measure(page)
    page.locator(f'main a[href="/needs/{street["need"]}"]').first.click()
    measure(page)
    page.get_by_role("button", name="我也需要").click()
    expect(page.locator(".display-6")).to_have_text("1")
    measure(page)

    # Answer the survey she was invited to (she raised the project's need): my surveys, then the project.
    page.goto("/")
    page.locator("main .task-tile").nth(2).click()
    page.wait_for_url(re.compile(r"/me#my-surveys$"))
    measure(page)
    page.locator(f'#my-surveys a[href="/projects/{street["project"]}"]').click()
    measure(page)
    read_aloud(page, "长者助餐点改造")
    page.get_by_role("link", name="参与测评").click()
    page.wait_for_url(re.compile(r"/surveys/\d+$"))
    page.screenshot(path=artifacts_dir / "elder-survey-phone.png", full_page=True)
    measure(page)
    read_aloud(page, "长者助餐点改造")
    options = page.locator("fieldset.likert").first.locator(".likert-option")
    assert all(options.nth(i).bounding_box()["height"] >= 60 for i in range(5))
    options.nth(4).click()
    page.get_by_role("button", name="提交问卷").click()
    expect(page.get_by_text("感谢您的参与！")).to_be_visible()
    measure(page)

    # See my needs.
    page.goto("/")
    page.locator("main .task-tile").nth(3).click()
    page.wait_for_url("**/me")
    expect(page.locator("main").get_by_role("link", name="楼道加装扶手")).to_be_visible()
    expect(page.locator("main").get_by_role("link", name="小区增设休息座椅")).to_be_visible()
    page.screenshot(path=artifacts_dir / "elder-me-phone.png", full_page=True)
    measure(page)

    # Back to the standard display, from the same switch.
    page.locator(".display-switch:visible").click()
    page.wait_for_url("**/me")
    assert page.evaluate("document.documentElement.className") == ""
    assert dialogs == []
    assert len(PAGES_MEASURED) >= 12


def test_a_confirmation_is_asked_on_the_page_not_in_a_pop_up(new_page, street):
    staff = new_page("staff", phone=True)
    dialogs = []
    staff.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    staff.goto(f"/mode/elder?next=/projects/{street['project']}/evaluation")
    close = staff.get_by_role("button", name="关闭测评")
    close.click()
    expect(staff.locator(".confirm-note")).to_contain_text("确认无误请再按一次按钮。")
    assert "evaluation" in staff.url and dialogs == []
    close.click()
    expect(staff.locator(".alert-success")).to_be_visible()
    assert dialogs == []


def test_the_elder_pages_pass_axe_core_contrast_and_all(browser, live_server, street):
    """axe-core (colour contrast included) finds nothing serious on the resident's pages for elders."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server, locale="zh-CN",
                                  is_mobile=True, has_touch=True, bypass_csp=True)
    try:
        page = context.new_page()
        login(page, "resident")
        page.goto("/mode/elder?next=/")
        for path in ("/", "/needs", f"/needs/{street['need']}", "/needs/new", f"/projects/{street['project']}",
                     "/projects?status=evaluating", "/me"):
            page.goto(path)
            assert page.evaluate("document.documentElement.className") == "elder"
            assert serious_violations(page) == [], path
        page.goto(f"/projects/{street['project']}")
        page.get_by_role("link", name="参与测评").click()
        assert serious_violations(page) == []
    finally:
        context.close()
