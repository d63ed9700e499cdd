"""The dashboard in a real browser, on the demo street: every chart draws under our strict
Content-Security-Policy without a console error, nothing overlaps or scrolls sideways on a
phone, and the tables behind the charts are headed in Chinese."""

from __future__ import annotations

import re
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import make_app
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
CJK = re.compile(r"[\u4e00-\u9fff]")
WATCH_CSP = ("document.addEventListener('securitypolicyviolation', e => console.error("
             "'CSP violation: ' + e.violatedDirective + ' ' + e.sourceFile + ':' + e.lineNumber));")


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The app on its own SQLite file holding the whole demo street, needs and projects included
    (what ``flask seed demo`` loads), served on 127.0.0.1."""
    from flask_migrate import upgrade

    from coordination.demo import load_demo
    from coordination.extensions import db

    db_file = tmp_path_factory.mktemp("dashboard") / "demo.sqlite3"
    # Its own cache folder: the cached dashboards of the suite's other database are not this one's.
    app = make_app(f"sqlite:///{db_file}", UPLOAD_FOLDER=str(db_file.parent / "uploads"),
                   CACHE_DIR=str(db_file.parent / "cache"))
    with app.app_context():
        upgrade()
        load_demo(out=lambda *_: None)
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture()
def dashboard(browser, demo_server):
    """``dashboard(viewport)``: the street committee's dashboard, drawn, with the console errors."""
    contexts = []

    def open_(viewport: str):
        phone = viewport == "phone"
        context = browser.new_context(viewport=VIEWPORTS[viewport], base_url=demo_server, locale="zh-CN",
                                      has_touch=phone, is_mobile=phone)
        context.set_default_timeout(15000)
        contexts.append(context)
        context.add_init_script(WATCH_CSP)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        login(page, "street")
        response = page.goto("/dashboard")
        assert response.status == 200
        charts = page.locator("[data-chart]").count()
        assert charts >= 3  # the demo street has needs, projects and an evaluated one to draw
        page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}")
        page.wait_for_timeout(300)  # anything plotly does after the first paint
        return page, errors, response

    yield open_
    for context in contexts:
        context.close()


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_every_chart_draws_under_the_csp_without_a_console_error(dashboard, artifacts_dir, viewport):
    page, errors, response = dashboard(viewport)
    policy = dict(part.strip().split(" ", 1) for part in response.headers["content-security-policy"].split(";")
                  if part.strip())
    assert policy["script-src"] == "'self'" and "unsafe" not in policy["style-src"]
    assert errors == []
    assert page.locator(".js-plotly-plot").count() == page.locator("[data-chart]").count()
    page.screenshot(path=artifacts_dir / f"dashboard-{viewport}.png", full_page=True)


def _overlapping(boxes: list[dict]) -> list[tuple[dict, dict]]:
    def cross(a, b):
        return (a["x"] < b["x"] + b["width"] - 1 and b["x"] < a["x"] + a["width"] - 1
                and a["y"] < b["y"] + b["height"] - 1 and b["y"] < a["y"] + a["height"] - 1)

    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if cross(a, b)]


LABEL_BOXES = """root => [...root.querySelectorAll(
    '.xtick text, .ytick text, .funnellayer text, .bartext, .legendtext, .g-xtitle text, .g-ytitle text')]
  .filter(t => t.textContent.trim() && t.getBBox().width > 0)
  .map(t => { const r = t.getBoundingClientRect();
              return {text: t.textContent, x: r.x, y: r.y, width: r.width, height: r.height}; })"""


def test_on_a_phone_nothing_overlaps_or_scrolls_sideways(dashboard):
    page, errors, _response = dashboard("phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for chart in page.locator(".js-plotly-plot").all():
        boxes = chart.evaluate(LABEL_BOXES)
        assert boxes, "a chart without any label"
        assert _overlapping(boxes) == [], chart.get_attribute("id")
        right = chart.evaluate("c => c.getBoundingClientRect().right")
        assert right <= 390
    # The member units are a ranked list: one unit a line, its figures below its name.
    units = page.locator("section[aria-labelledby='chart-units-title'] ol.ranked-list > li")
    assert units.count() >= 2
    first, second = units.nth(0).bounding_box(), units.nth(1).bounding_box()
    assert first["y"] + first["height"] <= second["y"] and first["x"] + first["width"] <= 390
    assert errors == []


def test_the_tables_behind_the_charts_are_headed_in_chinese(dashboard):
    page, _errors, _response = dashboard("phone")
    for summary in page.locator("details > summary").all():
        summary.click()
    headers = page.locator("details table th").all_inner_texts()
    assert len(headers) >= 12
    assert [h for h in headers if not CJK.search(h)] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
