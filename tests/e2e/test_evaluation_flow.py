"""In a real browser: staff open a project's satisfaction survey, residents answer online and
with invitation codes, staff enter a household visit and score indicators, the street
committee accepts, and the public sees the satisfaction rate."""

import re

import pytest
from playwright.sync_api import expect

from coordination.extensions import db
from tests.factories import build

pytestmark = pytest.mark.e2e


def overall_score(page, score: int):
    page.locator("fieldset.likert").first.get_by_text(str(score), exact=True).click()


def test_a_survey_from_opening_to_acceptance(new_page, live_app, artifacts_dir):
    with live_app.app_context():
        project = build(db, "completed", title="白领课堂进社区", need_title="白领教老人用手机")
        project_id = project.id
        db.session.remove()
    evaluation_url = f"/projects/{project_id}/evaluation"

    # Staff open the survey from the standard template, dropping one question.
    staff = new_page("staff")
    staff.goto(f"/projects/{project_id}")
    staff.get_by_role("link", name="成效评估与满意度测评").click()
    staff.get_by_role("link", name="启动成效评估").click()
    staff.locator("#text_3").fill("")
    staff.get_by_role("button", name="启动测评并邀请服务对象参与").click()
    expect(staff.locator(".alert-success")).to_be_visible()

    # They print two invitation cards for people without an account.
    staff.get_by_label("打印邀请码数量").fill("2")
    staff.get_by_role("button", name="打印邀请卡").click()
    codes = staff.locator(".invite-code").all_inner_texts()
    assert len(codes) == 2 and all(re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", c) for c in codes)
    staff.screenshot(path=artifacts_dir / "invitation-cards.png", full_page=True)

    # A resident answers on a phone.
    resident = new_page("resident", phone=True)
    resident.goto(evaluation_url)
    resident.get_by_role("link", name="参与测评").click()
    overall_score(resident, 5)
    resident.get_by_role("button", name="提交问卷").click()
    expect(resident.get_by_text("感谢您的参与！")).to_be_visible()
    resident.screenshot(path=artifacts_dir / "survey-answered-phone.png", full_page=True)

    # Someone without an account answers with a code.
    visitor = new_page(phone=True)
    visitor.goto("/surveys/code")
    visitor.get_by_label("邀请码").fill(codes[0].lower())
    visitor.get_by_role("button", name="继续").click()
    overall_score(visitor, 2)
    visitor.get_by_role("button", name="提交问卷").click()
    expect(visitor.get_by_text("感谢您的参与！")).to_be_visible()

    # Staff enter a household visit, and score the indicators.
    staff.goto(evaluation_url)
    staff.get_by_role("link", name="录入纸质问卷或入户访问结果").click()
    staff.get_by_label("收集方式").select_option("visit")
    overall_score(staff, 4)
    staff.get_by_role("button", name="提交问卷").click()
    expect(staff.locator(".alert-success")).to_be_visible()
    staff.goto(evaluation_url)
    for field in staff.locator("input[name^=ind_]").all():
        field.fill("90")
    staff.get_by_role("button", name="保存我的评分").click()
    expect(staff.locator(".alert-success")).to_be_visible()
    # Staff close the survey: the street committee reviews only a finished one.
    staff.once("dialog", lambda dialog: dialog.accept())
    staff.get_by_role("button", name="关闭测评").click()
    expect(staff.locator(".alert-success")).to_be_visible()

    # The public cannot see the results yet; the street committee accepts.
    public = new_page()
    public.goto(evaluation_url)
    expect(public.get_by_text("66.7%")).to_have_count(0)
    street = new_page("street")
    street.goto(evaluation_url)
    expect(street.get_by_text("66.7%")).to_be_visible()  # 2 of 3 scored 4 or 5
    street.get_by_role("button", name="审核通过：公开评估结果").click()
    expect(street.locator(".badge-status").first).to_have_text("已评估")

    public.goto(evaluation_url)
    expect(public.get_by_text("66.7%")).to_be_visible()
    public.screenshot(path=artifacts_dir / "evaluation-public-desktop.png", full_page=True)
    public.goto("/")
    expect(public.get_by_text(re.compile("群众满意率66.7%"))).to_be_visible()
    # The dashboard shows it too, in the satisfaction chart's table.
    public.goto("/dashboard?by=project")
    table = public.locator("#chart-satisfaction-title").locator("xpath=ancestor::section")
    table.get_by_text("以表格查看").click()
    expect(table.locator("td", has_text="66.7")).to_be_visible()
