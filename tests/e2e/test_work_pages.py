"""The pages people work on, at a phone's 390×844: the survey's call to action is on the first
screen, the 1–5 scale sits on one row with "非常不满意" on one line, triage is a list of cards, the
needs menu shows its first need on the first screen with the filters folded, badges are ≥ 14 px.
Screenshots go to test-artifacts/ (work-*.png)."""

import pytest

from coordination.extensions import db
from tests.factories import build

pytestmark = pytest.mark.e2e
SCREEN_HEIGHT = 844
TAB_BAR = 56  # the phone's fixed bottom bar covers the last 56 px of the screen


@pytest.fixture(scope="module")
def work_data(live_app):
    """An evaluating project with an open survey, and needs awaiting triage; returns paths."""
    from sqlalchemy import select

    from coordination.evaluation import operations as evaluation
    from coordination.needs import operations as needs
    from coordination.places.models import Place
    from tests.factories import user

    with live_app.app_context():
        project = build(db, "completed", title="午间公益一小时进社区", need_title="午间公益服务")
        survey = evaluation.open_evaluation(user(db, "staff"), project.id)
        place_id = db.session.scalar(select(Place.id).where(Place.name == "福山居民区"))
        for title in ("老旧小区加装电梯意愿征询与协调", "楼宇白领子女暑期托管班", "社区健身角夜间照明改造"):
            needs.submit_need(user(db, "resident"), needs.NeedInput(
                kind="request", title=title, description="希望尽快解决，方便居民生活。", place_id=place_id))
        db.session.commit()
        paths = {"project": f"/projects/{project.id}", "survey": f"/surveys/{survey.id}"}
        db.session.remove()
    return paths


def bottom_of(page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box["y"] + box["height"]


def test_the_survey_call_to_action_is_on_the_first_screen(new_page, work_data, artifacts_dir):
    page = new_page("resident", phone=True)
    page.goto(work_data["project"])
    cta = page.get_by_role("link", name="参与测评")
    assert cta.is_visible()
    assert bottom_of(page, "#survey-cta a") <= SCREEN_HEIGHT - TAB_BAR
    page.screenshot(path=str(artifacts_dir / "work-project-resident-390.png"))
    cta.click()
    page.wait_for_url(f"**{work_data['survey']}")


def test_people_who_may_not_answer_get_no_call_to_action(new_page, work_data):
    for who in (None, "staff"):
        page = new_page(who, phone=True)
        page.goto(work_data["project"])
        assert page.locator("#survey-cta").count() == 0


def test_the_scale_is_one_row_with_unbroken_labels(new_page, work_data, artifacts_dir):
    page = new_page("resident", phone=True)
    page.goto(work_data["survey"])
    scale = page.locator(".likert-scale").first
    layout = scale.evaluate("""el => {
        const labels = [...el.querySelectorAll('label.likert-option')];
        const small = labels[0].querySelector('small');
        const line = parseFloat(getComputedStyle(small).lineHeight) || small.getBoundingClientRect().height;
        return {tops: labels.map(l => Math.round(l.getBoundingClientRect().top)),
                rights: labels.map(l => l.getBoundingClientRect().right),
                width: el.getBoundingClientRect().right,
                text: small.textContent.trim(), lines: Math.round(small.getBoundingClientRect().height / line),
                overflow: small.scrollWidth > small.clientWidth + 1 || el.scrollWidth > el.clientWidth + 1};
    }""")
    assert len(layout["tops"]) == 5 and len(set(layout["tops"])) == 1, layout
    assert max(layout["rights"]) <= layout["width"] + 1, layout
    assert layout["text"] == "非常不满意" and layout["lines"] == 1 and not layout["overflow"], layout
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts_dir / "work-survey-resident-390.png"))


def test_triage_is_a_list_of_cards_on_a_phone_and_a_table_on_a_desktop(new_page, work_data, artifacts_dir):
    page = new_page("staff", phone=True)
    page.goto("/needs/triage")
    row = page.locator(".triage-table tbody tr").first
    assert row.evaluate("el => getComputedStyle(el).display") == "grid"
    assert page.locator(".triage-table thead").evaluate("el => el.getBoundingClientRect().height") <= 1
    title = page.locator(".triage-table td.triage-need a", has_text="老旧小区加装电梯意愿征询与协调")
    box = title.bounding_box()
    line = title.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
    # the card gives the title the phone's width: 15 characters and the need's number take one
    # line or two (by the number's length), never two or three characters a line
    assert box["width"] >= 240 and round(box["height"] / line) <= 2, (box, line)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts_dir / "work-triage-staff-390.png"), full_page=True)
    desktop = new_page("staff")
    desktop.goto("/needs/triage")
    assert desktop.locator(".triage-table tbody tr").first.evaluate("el => getComputedStyle(el).display") == "table-row"


def test_the_needs_menu_shows_a_need_first_with_the_filters_folded(new_page, work_data, artifacts_dir):
    page = new_page(phone=True)
    page.goto("/needs")
    assert not page.locator("#needs-filters").is_visible()
    assert page.locator("#area_id").is_hidden()
    title = page.locator(".need-card h2").first
    assert bottom_of(page, ".need-card h2") <= SCREEN_HEIGHT - TAB_BAR, title.text_content()
    page.screenshot(path=str(artifacts_dir / "work-needs-menu-390.png"))
    toggle = page.locator("button.filters-toggle")
    assert toggle.text_content().strip() == "筛选" and toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    page.locator("#area_id").wait_for(state="visible")
    assert toggle.get_attribute("aria-expanded") == "true"
    desktop = new_page()
    desktop.goto("/needs")
    assert desktop.locator("#area_id").is_visible() and desktop.locator("button.filters-toggle").is_hidden()



@pytest.mark.parametrize("path", ["/needs", "PROJECT"])
def test_badges_are_at_least_14_px(new_page, work_data, path):
    page = new_page("resident", phone=True)
    page.goto(work_data["project"] if path == "PROJECT" else path)
    sizes = page.locator(".badge").evaluate_all("els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert sizes and min(sizes) >= 14, sizes
