"""In a real browser: a resident shows her identity, skills and willingness, signs up on a
claimed project, the lead unit ticks her in and records her hours, and she sees them on her
profile page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.fixture()
def claimed_project(live_app):
    """A claimed project of the demo's lead unit with five volunteer places, and the skills and teams."""
    from coordination.demo.volunteers import load_reference
    from coordination.extensions import db
    from tests.factories import build

    with live_app.app_context():
        load_reference()
        project = build(db, "claimed", volunteer_places=5, title="楼道微更新志愿行动", need_title="楼道微更新")
        project_id = project.id
        db.session.remove()
    return project_id


def test_a_resident_volunteers_and_sees_her_hours(new_page, claimed_project, artifacts_dir):
    # The resident fills in her profile from her page.
    resident = new_page("resident", phone=True)
    resident.goto("/me")
    resident.get_by_role("link", name="成为志愿者").click()
    resident.get_by_label("我是中共党员").check()
    resident.get_by_label(re.compile(r"^所在党组织")).fill("福山居民区党总支第二支部")
    resident.get_by_label("助老服务").check()
    resident.get_by_label(re.compile(r"^其他特长")).fill("编织")
    resident.get_by_label(re.compile(r"^我愿意做的事")).fill("陪伴独居老人，帮忙整理楼道。")
    resident.get_by_label(re.compile(r"^在志愿者名录中公开")).check()
    resident.get_by_role("button", name="保存档案").click()
    expect(resident.locator(".alert-success")).to_contain_text("志愿者档案已保存")
    expect(resident.locator("#hours-total")).to_have_text("0")

    # She signs up on the claimed project.
    resident.goto(f"/projects/{claimed_project}")
    expect(resident.locator("#volunteer-panel")).to_contain_text("剩余5个")
    resident.get_by_role("button", name="报名当志愿者").click()
    expect(resident.locator(".alert-success")).to_contain_text("报名成功")
    expect(resident.locator("#volunteer-panel")).to_contain_text("已报名")
    resident.screenshot(path=artifacts_dir / "volunteer-signed-up-phone.png", full_page=True)

    # The lead unit ticks her in and records three and a half hours.
    lead = new_page("unitrep")
    lead.goto(f"/projects/{claimed_project}")
    panel = lead.locator("#volunteer-panel")
    expect(panel).to_contain_text("福山居民 张阿姨")
    panel.get_by_role("button", name="为福山居民 张阿姨签到").click()
    expect(lead.locator(".alert-success")).to_contain_text("已签到")
    panel.get_by_label("时长（小时）").fill("3.5")
    panel.get_by_role("button", name="登记福山居民 张阿姨的服务时长").click()
    expect(lead.locator(".alert-success")).to_contain_text("服务时长已登记")
    expect(panel).to_contain_text("3.5")
    lead.screenshot(path=artifacts_dir / "volunteer-hours-recorded.png", full_page=True)

    # She sees her hours on her profile page.
    resident.goto("/me/volunteer")
    expect(resident.locator("#hours-total")).to_have_text("3.5")
    expect(resident.get_by_role("link", name="楼道微更新志愿行动")).to_be_visible()
