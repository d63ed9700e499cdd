"""In a real browser: a need becomes a project, is resolved, approved, raced for, delivered
and completed, each step taken by the role that takes it."""

import re
from datetime import date
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.test_needs_flow import submit_need

pytestmark = pytest.mark.e2e


def test_a_project_from_need_to_completion(new_page, browser, live_server, artifacts_dir):
    # A resident's need is accepted into the menu.
    resident = new_page("resident")
    need_id = submit_need(resident, "小区健身器材维修", "松山居民区健身苑的器材损坏，老人锻炼不安全。")
    staff = new_page("staff")
    staff.goto(f"/needs/{need_id}")
    staff.get_by_role("radio", name="纳入需求菜单").check()
    staff.get_by_label(re.compile(r"^类别")).select_option(label="2 社会公共服务")
    staff.get_by_role("button", name="确定").click()

    # Staff draft a project on it, then propose it.
    staff.goto(f"/projects/new?need_id={need_id}")
    staff.get_by_label(re.compile(r"^项目名称")).fill("健身苑器材焕新")
    staff.get_by_label(re.compile(r"^预算")).fill("9000")
    staff.get_by_label(re.compile(r"^计划开始日期")).fill(date.today().isoformat())
    staff.get_by_label(re.compile(r"^计划结束日期")).fill((date.today() + timedelta(days=45)).isoformat())
    staff.get_by_role("button", name="保存草稿").click()
    expect(staff.locator(".badge-status").first).to_have_text("草稿")
    project_url = staff.url
    staff.get_by_role("button", name="提交理事会审议").click()
    expect(staff.locator(".badge-status").first).to_have_text("理事会审议中")

    # Three council members vote to approve; the third vote resolves it.
    for who in ("council", "council2", "council3"):
        member = new_page(who)
        member.goto("/projects/tasks")
        member.get_by_role("link", name="健身苑器材焕新").click()
        member.get_by_role("radio", name="同意").check()
        member.get_by_role("button", name="提交表决").click()
        expect(member.locator(".alert-success")).to_be_visible()
    expect(member.locator(".badge-status").first).to_have_text("理事会已决议")

    # The community Party committee approves: the project is published.
    committee = new_page("community")
    committee.goto("/projects/tasks")
    committee.get_by_role("link", name="健身苑器材焕新").click()
    committee.get_by_role("radio", name="审批通过并发布").check()
    committee.get_by_role("button", name="提交审批意见").click()
    expect(committee.locator(".badge-status").first).to_have_text(re.compile("已发布"))

    # Two member unit contacts race to claim it: exactly one wins, the other is told who.
    first, second = new_page("unitrep"), new_page("unitrep2")
    for page in (first, second):
        page.goto(project_url)
        expect(page.get_by_role("button", name="由本单位认领")).to_be_visible()
    # Both press "claim" before either page has its answer (the server decides atomically);
    # each page then shows the answer it got.
    first.get_by_role("button", name="由本单位认领").click(no_wait_after=True)
    second.get_by_role("button", name="由本单位认领").click(no_wait_after=True)
    for page in (first, second):
        expect(page.locator(".flash-messages .alert")).to_be_visible()
    answers = {page: page.locator(".flash-messages .alert").inner_text() for page in (first, second)}
    winners = [page for page, text in answers.items() if "牵头单位" in text and "已由" not in text]
    assert len(winners) == 1, answers
    winner = winners[0]
    loser = second if winner is first else first
    lead_name = "上海建工集团股份有限公司" if winner is first else "中交航道勘察设计学院"
    assert lead_name in answers[loser]  # "already claimed by …" names the holder
    expect(loser.get_by_role("button", name="由本单位认领")).to_have_count(0)

    # The lead reports progress and completes with a report.
    winner.goto(project_url)
    winner.get_by_label(re.compile(r"^目前完成进度")).fill("50")
    winner.get_by_label(re.compile(r"^本期工作内容")).fill("已更换6件器材。")
    winner.get_by_label(re.compile(r"^本期支出")).fill("4500")
    winner.get_by_role("button", name="保存进度报告").click()
    expect(winner.get_by_text("已更换6件器材。")).to_be_visible()
    winner.get_by_label(re.compile(r"^结项报告")).fill("共更换器材12件，居民满意。")
    winner.get_by_role("button", name="提交结项报告").click()
    expect(winner.locator(".badge-status").first).to_have_text("已完成")

    # The resident sees the project completed and their need fulfilled.
    resident.goto(project_url)
    expect(resident.get_by_text("共更换器材12件，居民满意。")).to_be_visible()
    resident.screenshot(path=artifacts_dir / "project-completed-desktop.png", full_page=True)
    resident.goto(f"/needs/{need_id}")
    expect(resident.locator(".badge-status").first).to_have_text("已实现")
