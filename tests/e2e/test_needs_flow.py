"""In a real browser: residents, workers and staff submit, support, follow, record, import,
triage, merge and reject needs, and see what each of them should see."""

import re

import pandas as pd
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def submit_need(page, title: str, description: str) -> int:
    page.goto("/needs/new")
    page.get_by_label("微心愿").check()
    page.get_by_label(re.compile(r"^标题")).fill(title)
    page.get_by_label(re.compile(r"^具体描述")).fill(description)
    page.get_by_role("button", name=re.compile("^(提交|仍然提交)")).click()
    if page.get_by_text("附近已有类似需求").count():
        page.get_by_role("button", name=re.compile("仍然提交")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    return int(page.url.rstrip("/").split("/")[-1])


def test_needs_from_submission_to_the_menu(new_page, live_server, artifacts_dir):
    # A resident on a phone submits a micro-wish; it awaits triage.
    resident = new_page("resident", phone=True)
    need_id = submit_need(resident, "楼道感应灯维修", "12号楼3单元楼道感应灯坏了一个多月。")
    expect(resident.locator(".alert-success")).to_contain_text("提交")
    expect(resident.locator(".badge-status")).to_have_text("待分拣")
    resident.screenshot(path=artifacts_dir / "needs-submitted-phone.png", full_page=True)

    # An office worker says "I need this too" and follows it.
    worker = new_page("worker")
    worker.goto(f"/needs/{need_id}")
    worker.get_by_role("button", name="我也需要").click()
    expect(worker.locator(".display-6")).to_have_text("1")
    expect(worker.get_by_role("button", name="撤回支持")).to_be_visible()

    # Staff record a hotline need on behalf of someone, then triage from the queue.
    staff = new_page("staff")
    staff.goto("/needs/new")
    staff.get_by_label(re.compile(r"^渠道")).select_option(label="热线电话")
    staff.get_by_label(re.compile(r"^提出人姓名")).fill("王阿婆")
    staff.get_by_label(re.compile("^联系电话")).fill("13900001111")
    staff.get_by_label("诉求").check()
    staff.get_by_label(re.compile(r"^标题")).fill("楼道灯不亮")
    staff.get_by_label(re.compile(r"^具体描述")).fill("热线反映：12号楼楼道灯不亮。")
    staff.get_by_label(re.compile(r"^居民区或楼宇")).select_option(label="居民区 · 福山居民区")
    staff.get_by_role("button", name=re.compile("^(提交|仍然提交)")).click()
    if staff.get_by_role("button", name="仍然提交").count():
        staff.get_by_role("button", name="仍然提交").click()
    duplicate_id = int(staff.url.rstrip("/").split("/")[-1])
    expect(staff.get_by_text("13900001111")).to_be_visible()  # staff see the contact

    staff.goto("/needs/triage")
    expect(staff.get_by_role("link", name=re.compile("楼道感应灯维修"))).to_be_visible()
    # merge the hotline duplicate into the resident's need
    staff.goto(f"/needs/{duplicate_id}")
    staff.get_by_role("radio", name="合并到其他需求").check()
    staff.get_by_label(re.compile(r"^合并到需求编号")).fill(str(need_id))
    staff.get_by_role("button", name="确定").click()
    expect(staff.locator(".badge-status").first).to_have_text("已合并")
    # accept the resident's need into category 6
    staff.goto(f"/needs/{need_id}")
    staff.get_by_role("radio", name="纳入需求菜单").check()
    staff.get_by_label(re.compile(r"^类别")).select_option(label="6 社区公共事务")
    staff.get_by_role("button", name="确定").click()
    expect(staff.locator(".badge-status").first).to_have_text("已纳入需求菜单")

    # The public needs menu shows it in category 6, with its supporter count.
    visitor = new_page()
    visitor.goto("/needs?category_id=6")
    card = visitor.locator(".need-card", has=visitor.locator(f'a[href="/needs/{need_id}"]'))
    expect(card).to_contain_text("1")
    expect(visitor.get_by_text("13900001111")).to_have_count(0)
    expect(visitor.get_by_text("王阿婆")).to_have_count(0)

    # The resident is notified (the bell shows an unread count) and sees the history.
    resident.goto(f"/needs/{need_id}")
    expect(resident.get_by_role("link", name=re.compile(r"通知 \d+ 条未读"))).to_be_visible()
    expect(resident.get_by_text("已纳入需求菜单").first).to_be_visible()
    resident.goto("/me")
    expect(resident.get_by_text("楼道感应灯维修").first).to_be_visible()


def test_staff_reject_with_a_reason_the_submitter_sees(new_page):
    worker = new_page("worker")
    need_id = submit_need(worker, "大厦门口停车难", "希望大厦门口增加临时停车位。")
    staff = new_page("staff")
    staff.goto(f"/needs/{need_id}")
    staff.get_by_role("radio", name="不予受理").check()
    staff.get_by_label(re.compile("^原因")).fill("停车管理属于交警部门职责，已转交相关部门。")
    staff.get_by_role("button", name="确定").click()
    expect(staff.locator(".badge-status").first).to_have_text("未被受理")
    worker.goto(f"/needs/{need_id}")
    expect(worker.locator(".alert", has_text="停车管理属于交警部门职责")).to_be_visible()
    resident = new_page("resident")
    resident.goto(f"/needs/{need_id}")
    expect(resident.get_by_text("停车管理属于交警部门职责")).to_have_count(0)


def test_staff_import_a_spreadsheet_with_a_preview(new_page, tmp_path):
    rows = [["微心愿", "小区图书角添置新书", "希望增加儿童读物。", "松山居民区", "群众议事厅", "赵阿姨", "", "", ""],
            ["诉求", "楼宇午间健身角开放", "希望中午开放。", "航科大厦", "走访", "小周", "", "", ""]]
    path = tmp_path / "needs.xlsx"
    pd.DataFrame(rows, columns=["类型", "标题", "描述", "居民区/楼宇", "渠道", "提出人", "联系电话", "邮箱", "类别"]
                 ).to_excel(path, index=False)
    staff = new_page("staff")
    staff.goto("/needs/import")
    staff.get_by_label(re.compile("电子表格")).set_input_files(str(path))
    staff.get_by_role("button", name="检查文件").click()
    expect(staff.get_by_text("小区图书角添置新书")).to_be_visible()
    staff.get_by_role("button", name=re.compile("导入这 ?2 ?条需求")).click()
    expect(staff.locator(".alert-success")).to_contain_text("2")
    expect(staff.get_by_role("link", name=re.compile("小区图书角添置新书"))).to_be_visible()


def test_a_new_office_worker_registers_and_submits_a_need(new_page):
    page = new_page(phone=True)
    page.goto("/register")
    page.get_by_role("radio", name="楼宇白领").check()
    page.get_by_label(re.compile(r"^我所在的居民区或楼宇")).select_option(label="楼宇 · 航科大厦")
    page.get_by_label(re.compile(r"^用户名")).fill("xiaozhou")
    page.get_by_label(re.compile(r"^显示名称")).fill("航科大厦 小周")
    page.get_by_label(re.compile(r"^密码")).fill("Jinse-Niudai-7")
    page.get_by_label(re.compile(r"^确认密码")).fill("Jinse-Niudai-7")
    page.get_by_role("button", name="创建账号").click()
    expect(page.locator(".alert-success")).to_contain_text("小周")
    need_id = submit_need(page, "楼宇午间健身角开放", "希望大厦健身角中午也能开放。")
    assert need_id > 0
    expect(page.locator("main").get_by_text(re.compile("航科大厦 ·"))).to_be_visible()
