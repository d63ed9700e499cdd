"""In a real browser: a survey invitation reaching a supporter. A resident supports an office
worker's need; staff build a project on it, which runs to completion; staff open its evaluation;
the resident logs in, finds the invitation and the "参与测评" action, and answers."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from coordination.extensions import db
from coordination.needs import operations as needs
from coordination.needs.models import Category
from coordination.places.models import Place
from tests.factories import build
from tests.factories import user

pytestmark = pytest.mark.e2e

NEED = "大厦周边增设休息座椅"
PROJECT = "楼宇周边休憩座椅共建"


def test_a_supporter_is_invited_to_the_survey_and_answers(new_page, live_app, artifacts_dir):
    with live_app.app_context():
        place_id = db.session.scalar(select(Place.id).where(Place.name == "建工大厦"))
        need = needs.submit_need(user(db, "worker"), needs.NeedInput(
            kind="wish", title=NEED, description="午休时想在楼下坐一坐，附近老人散步也需要歇脚的地方。", place_id=place_id))
        category_id = db.session.scalar(select(Category.id).where(Category.code == 2))
        needs.accept_need(user(db, "staff"), need.id, category_id)
        db.session.commit()
        need_id = need.id
        db.session.remove()

    # A resident says "I need this too".
    resident = new_page("resident", phone=True)
    resident.goto(f"/needs/{need_id}")
    resident.get_by_role("button", name="我也需要").click()
    expect(resident.get_by_role("button", name="撤回支持")).to_be_visible()

    # The project built on it is claimed and completed (fast-forwarded through the operations).
    with live_app.app_context():
        project_id = build(db, "completed", title=PROJECT, need_ids=[need_id]).id
        db.session.remove()

    # Staff open the evaluation: the worker who raised the need and the resident who supported it are invited.
    staff = new_page("staff")
    staff.goto(f"/projects/{project_id}/evaluation/open")
    staff.get_by_role("button", name="启动测评并邀请服务对象参与").click()
    expect(staff.locator(".alert-success")).to_contain_text("已邀请2位项目服务对象参与")

    # The resident logs in: the invitation is among the notifications and under "my surveys".
    resident = new_page("resident", phone=True)
    expect(resident.get_by_role("link", name=re.compile(r"通知 \d+ 条未读")).first).to_be_visible()
    notification = resident.get_by_role("link", name=f"邀请您参与项目“{PROJECT}”的满意度测评")
    expect(notification).to_be_visible()
    mine = resident.locator("#my-surveys")
    expect(mine).to_contain_text(PROJECT)
    expect(mine).to_contain_text("您支持过本项目所落实的需求")
    resident.screenshot(path=artifacts_dir / "survey-invitation-me-phone.png", full_page=True)

    # The project's page puts the survey first for them.
    resident.goto(f"/projects/{project_id}")
    cta = resident.locator("#survey-cta")
    expect(cta).to_contain_text("诚邀您参与测评：您支持过本项目所落实的需求。")
    cta.get_by_role("link", name="参与测评").click()
    resident.locator("fieldset.likert").first.get_by_text("5", exact=True).click()
    resident.get_by_role("button", name="提交问卷").click()
    expect(resident.get_by_text("感谢您的参与！")).to_be_visible()

    # Afterwards: answered, and no more call to action.
    resident.goto("/me")
    expect(resident.locator("#my-surveys")).to_contain_text("已参与，谢谢")
    resident.goto(f"/projects/{project_id}")
    expect(resident.locator("#survey-cta")).to_have_count(0)
