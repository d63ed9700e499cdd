"""In a real browser: a Party-member volunteer makes a public pledge (承诺) and keeps it with a
note and a photo (践诺); a resident follows it and rates it (评诺), and the rating shows."""

import re
from datetime import date
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from coordination.accounts.models import User
from coordination.extensions import db
from coordination.volunteers.models import VolunteerProfile
from tests.factories import png

pytestmark = pytest.mark.e2e

TITLE = "每月教社区老人用手机挂号一次"


def party_member(app, username: str) -> None:
    """The person's volunteer profile shows them as a Party member (the profile pages are the
    volunteers' own; here it is written directly)."""
    with app.app_context():
        person = db.session.scalar(select(User).where(User.username == username))
        if db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == person.id)) is None:
            db.session.add(VolunteerProfile(user_id=person.id, party_member=True, public=True,
                                            willingness="愿意教老人用智能手机"))
            db.session.commit()
        db.session.remove()


def test_a_pledge_made_kept_followed_and_rated(new_page, live_app, artifacts_dir, tmp_path):
    party_member(live_app, "worker")

    # The Party-member office worker makes a public pledge for 福山居民区.
    volunteer = new_page("worker")
    volunteer.goto("/me")
    volunteer.get_by_role("link", name="我要承诺").click()
    volunteer.get_by_label(re.compile(r"^承诺内容")).fill(TITLE)
    volunteer.get_by_label(re.compile(r"^具体做法")).fill("每月第二个周六上午在福山居民区活动室，手把手教老人用手机预约挂号。")
    volunteer.get_by_label(re.compile(r"^承诺完成时间")).fill((date.today() + timedelta(days=60)).isoformat())
    volunteer.get_by_label(re.compile(r"^服务的居民区或楼宇")).select_option(label="居民区 · 福山居民区")
    volunteer.get_by_role("button", name="公开我的承诺").click()
    expect(volunteer.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(volunteer.locator(".alert-success")).to_contain_text("您的承诺已公开")
    expect(volunteer.locator("#pledger")).to_contain_text("党员")
    pledge_url = volunteer.url

    # A resident finds it in her community's pledge list on her phone and follows it.
    resident = new_page("resident", phone=True)
    resident.goto("/pledges")
    resident.get_by_label("居民区或楼宇").select_option(label="居民区 · 福山居民区")
    resident.get_by_role("button", name="筛选").click()
    resident.get_by_role("link", name=TITLE).click()
    expect(resident.get_by_text("承诺人：建工大厦白领 小林")).to_be_visible()
    expect(resident.get_by_role("button", name="评价这项承诺")).to_have_count(0)
    resident.get_by_role("button", name="关注这项承诺").click()
    expect(resident.get_by_role("button", name="取消关注")).to_be_visible()
    expect(resident.get_by_text("承诺践行后即可评价。")).to_be_visible()

    # The volunteer records how the pledge was kept, with a note and a photo.
    photo = tmp_path / "class.png"
    photo.write_bytes(png(80, 60))
    volunteer.goto(pledge_url)
    volunteer.get_by_label(re.compile(r"^践诺情况")).fill("已开课两次，23位老人学会了用手机预约社区医院挂号。")
    volunteer.get_by_label(re.compile(r"^照片")).set_input_files(str(photo))
    volunteer.get_by_role("button", name="提交践诺记录").click()
    expect(volunteer.locator(".alert-success")).to_contain_text("践诺情况已记录")
    expect(volunteer.locator(".badge-status").first).to_have_text("已践诺")
    expect(volunteer.locator("#fulfilment-note")).to_have_text("已开课两次，23位老人学会了用手机预约社区医院挂号。")
    expect(volunteer.get_by_role("img", name="践诺照片 1")).to_be_visible()

    # The resident is told, and rates it once: 5, with a word of thanks.
    resident.goto("/notifications")
    resident.get_by_role("link", name=re.compile("您关注的承诺“" + TITLE)).click()
    expect(resident.get_by_role("heading", level=1)).to_have_text(TITLE)
    resident.locator("#rate").get_by_text("非常满意").click()
    resident.get_by_label(re.compile(r"^想对志愿者说的话")).fill("小林老师特别耐心！")
    resident.get_by_role("button", name="提交评价").click()
    expect(resident.get_by_text("感谢您的评价。")).to_be_visible()
    expect(resident.locator("#rating-summary")).to_contain_text("5.0")
    expect(resident.locator("#rating-summary")).to_contain_text("1 人评价")
    expect(resident.get_by_text("您的评分：5 分（满分5分）。")).to_be_visible()
    expect(resident.get_by_role("button", name="提交评价")).to_have_count(0)  # once each
    resident.screenshot(path=artifacts_dir / "pledge-rated-phone.png", full_page=True)

    # Anyone sees the rating on the pledge and in the list; the volunteer is told, on /me.
    visitor = new_page()
    visitor.goto(pledge_url)
    expect(visitor.locator("#rating-summary")).to_contain_text("5.0")
    expect(visitor.get_by_text("小林老师特别耐心！")).to_be_visible()
    visitor.goto("/pledges?status=kept")
    expect(visitor.get_by_text("评分 5.0（满分5分）").first).to_be_visible()
    volunteer.goto("/me")
    expect(volunteer.get_by_role("link", name=TITLE, exact=True)).to_be_visible()  # my pledges
    expect(volunteer.get_by_role("link", name=f"您的承诺“{TITLE}”获得 5 分评价（满分5分）")).to_be_visible()
