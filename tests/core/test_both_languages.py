"""Each language reads clean: text the system writes into the record (merge notes, council
tallies, approvals) is stored as a code and shown in the reader's language, older notes stored as
Chinese or English text too; codes (``wish``, ``meeting_hall``) never reach a page; counts agree
with their noun; the audit log names actions and objects in words and links to them."""

import io
import re
from datetime import date

import pandas as pd
import pytest
from flask_babel import force_locale
from sqlalchemy import select

from coordination.core import audit
from coordination.core.models import AuditRecord
from coordination.needs import operations as needs
from coordination.places.models import Place
from tests.conftest import csrf_token
from tests.factories import accepted_need
from tests.factories import build
from tests.factories import user

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def english(client):
    assert client.get("/lang/en").status_code == 302
    return client


def chinese(client):
    assert client.get("/lang/zh_CN").status_code == 302
    return client


def text_of(html: str) -> str:
    """The visible text of a page's main part (no markup, scripts or attribute values)."""
    main = html.split('<main', 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def merged_pair(db):
    target = accepted_need(db, title="小区增设休息座椅")
    place_id = db.session.scalar(select(Place.id).where(Place.name == "福山居民区"))
    duplicate = needs.submit_need(user(db, "resident"), needs.NeedInput(
        kind="wish", title="希望增加座椅", description="老人走累了没处坐。", place_id=place_id))
    needs.merge_need(user(db, "staff"), duplicate.id, target.id)
    db.session.commit()
    return target, duplicate


def test_a_merge_note_reads_in_each_language(client, db):
    target, duplicate = merged_pair(db)
    page = english(client).get(f"/needs/{target.id}").get_data(as_text=True)
    assert f"Merged from #{duplicate.id}" in page
    assert "合并而来" not in page
    page = chinese(client).get(f"/needs/{target.id}").get_data(as_text=True)
    assert f"由需求#{duplicate.id}合并而来" in page


def test_the_merge_note_is_stored_as_a_code_not_as_text(db):
    target, duplicate = merged_pair(db)
    entry = db.session.scalar(select(AuditRecord).where(AuditRecord.action == "need.merged_in",
                                                        AuditRecord.object_id == target.id))
    assert entry.comment is None
    assert entry.details == {"note": {"code": "need.merged_from", "params": {"id": duplicate.id}}}


def test_council_tallies_and_approvals_read_in_each_language(client, db):
    project = build(db, "published")
    need_id = project.needs[0].id
    page = english(client).get(f"/projects/{project.id}").get_data(as_text=True)
    assert "Approvals: 3 of 5" in page and "同意3票" not in page
    need_page = client.get(f"/needs/{need_id}").get_data(as_text=True)
    assert "Project “楼道灯光改造” was approved" in need_page and "已审批通过" not in need_page
    page = chinese(client).get(f"/projects/{project.id}").get_data(as_text=True)
    assert "同意3票（理事共5名）" in page


def test_the_api_history_comment_follows_the_request_language(client, db):
    project = build(db, "completed")
    comments = {}
    for language in ("en", "zh-CN"):
        body = client.get(f"/api/v1/projects/{project.id}", headers={"Accept-Language": language}).json
        comments[language] = [entry["comment"] for entry in body["history"]]
    assert "Approvals: 3 of 5" in comments["en"] and "Completion report submitted" in comments["en"]
    assert "同意3票（理事共5名）" in comments["zh-CN"]
    assert not any(CHINESE.search(c or "") for c in comments["en"] if c != "同意")  # "同意" was typed


def test_notes_stored_as_text_before_are_shown_in_the_readers_language(client, db):
    """Records written before the codes hold the note as text, in the writer's language; the
    append-only log cannot be rewritten, so they are recognised when read."""
    target = accepted_need(db, title="老楼加装扶手")
    audit.record(user(db, "staff"), "need.merged_in", target, comment="由需求#9合并而来")
    audit.record(user(db, "staff"), "need.merged_in", target, comment="Merged from #12")
    audit.record(user(db, "staff"), "need.merged_in", target, comment="两条需求内容相同")  # typed by a person
    db.session.commit()
    page = english(client).get(f"/needs/{target.id}").get_data(as_text=True)
    assert "Merged from #9" in page and "Merged from #12" in page and "由需求#9" not in page
    assert "两条需求内容相同" in page  # free text stays as written
    page = chinese(client).get(f"/needs/{target.id}").get_data(as_text=True)
    assert "由需求#9合并而来" in page and "由需求#12合并而来" in page and "Merged from" not in page


def test_category_names_follow_the_language(client, db):
    need = accepted_need(db, title="楼道感应灯维修")
    category = need.category
    page = english(client).get(f"/needs/{need.id}").get_data(as_text=True)
    assert category.name_en in page and category.name not in text_of(page)
    assert category.name in chinese(client).get(f"/needs/{need.id}").get_data(as_text=True)


# ----------------------------------------------------------------------------- codes on Chinese pages

def sheet(rows) -> bytes:
    frame = pd.DataFrame(rows, columns=["类型", "标题", "描述", "居民区/楼宇", "渠道", "提出人", "联系电话"])
    out = io.BytesIO()
    frame.to_excel(out, index=False)
    return out.getvalue()


def upload(staff, rows):
    return staff.post("/needs/import", data={"csrf_token": csrf_token(staff, "/needs/import"),
                                             "file": (io.BytesIO(sheet(rows)), "needs.xlsx")},
                      content_type="multipart/form-data")


def test_the_import_preview_names_kinds_and_channels_in_chinese(client_as):
    staff = client_as("staff")
    response = upload(staff, [["微心愿", "楼下装晾衣架", "希望在楼下装晾衣架。", "福山居民区", "群众议事厅", "王阿姨", ""],
                              ["金点子", "垃圾分类积分", "用积分鼓励分类。", "福山居民区", "热线", "李先生", ""]])
    assert response.status_code == 200
    table = text_of(response.get_data(as_text=True)).split("预览", 1)[1]
    for code in ("wish", "idea", "meeting_hall", "hotline"):
        assert not re.search(rf"\b{code}\b", table), code
    for label in ("微心愿", "金点子", "群众议事厅", "热线"):
        assert label in table


def test_an_error_listing_the_choices_names_them_in_the_readers_language(client_as):
    staff = client_as("staff")
    response = upload(staff, [["微心愿", "楼下装晾衣架", "希望在楼下装晾衣架。", "福山居民区", "传真", "王阿姨", ""]])
    assert response.status_code == 400
    text = text_of(response.get_data(as_text=True))
    assert "请从以下选项中选择：网上提交、群众议事厅、民生接纳室、走访、热线电话" in text
    assert not re.search(r"\b(hotline|meeting_hall|online|visit|reception_room)\b", text)


@pytest.mark.parametrize("language, expected", [
    ("en", "Choose one of: Self-governance fund, Member unit contribution"), ("zh_CN", "请从以下选项中选择：自治金")])
def test_operations_list_choices_as_labels(app, db, language, expected):
    from coordination.core.errors import InvalidInput
    from coordination.projects import operations as projects

    need = accepted_need(db)
    data = projects.ProjectInput(title="t", description="d", category_id=need.category_id, place_id=need.place_id,
                                 need_ids=[need.id], budget="10", planned_start=None, planned_end=None,
                                 funding=[{"source": "lottery", "amount": "10"}])
    with app.test_request_context(), force_locale(language):
        with pytest.raises(InvalidInput) as caught:
            projects.create_project(user(db, "staff"), data)
        message = caught.value.fields["funding.0.source"]
        _place, _category, errors = needs.validate_input(needs.NeedInput(
            kind="wish", title="t", description="d", place_id=need.place_id, channel="fax"), offline=True)
    assert message.startswith(expected), message
    assert "self_governance" not in message and ", unit," not in message
    assert not re.search(r"\b(hotline|meeting_hall|online|visit|reception_room)\b", errors["channel"])


def test_one_supporter_is_singular(client_as, db):
    need = accepted_need(db)
    needs.support_need(user(db, "worker"), need)
    db.session.commit()
    resident = english(client_as("resident"))
    page = text_of(resident.get("/me").get_data(as_text=True))
    assert "1 supporter" in page and "1 supporters" not in page


# ----------------------------------------------------------------------------- the audit log

def test_the_audit_log_names_actions_and_objects_and_links_to_them(client_as, db):
    project = build(db, "published")
    completed = build(db, "completed", title="评选项目", need_title="社区图书角")
    street = client_as("street_committee")
    assert street.post("/selection/open", data={
        "csrf_token": csrf_token(street, "/selection"), "year": str(date.today().year),
        "max_choices": "1", "project_ids": [str(completed.id)]}).status_code == 302
    admin = client_as("admin")
    for language, login_label, need_label, vote_details in (("en", "Logged in", "Need", "Vote: Approve; Round: 1"),
                                                            ("zh_CN", "登录", "需求", "表决: 同意; 轮次: 1")):
        admin.get(f"/lang/{language}")
        html = admin.get("/audit").get_data(as_text=True)
        text = text_of(html)
        assert "object at 0x" not in html
        assert not re.search(r"\b(user\.login|need\.submit|project\.resolve|selection\.open)\b", text), language
        assert login_label in text and f"{need_label} #{project.needs[0].id}" in text
        assert f'href="/projects/{project.id}"' in html and f'href="/needs/{project.needs[0].id}"' in html
        assert 'href="/selection"' in html
        votes = admin.get("/audit?object_type=Project").get_data(as_text=True)
        assert '"vote"' not in votes and "approve" not in text_of(votes)  # a vote's details in words
        assert vote_details in text_of(votes)


def test_every_audit_action_the_code_writes_has_a_label(app):
    """A new action code without a label would show as ``need.something`` on the audit page."""
    from pathlib import Path

    from coordination.core import audit_labels
    from coordination.evaluation.rules import EVALUATION_WORKFLOW
    from coordination.evaluation.rules import SELECTION_WORKFLOW
    from coordination.evaluation.rules import SURVEY_WORKFLOW
    from coordination.needs.rules import NEED_WORKFLOW
    from coordination.projects.rules import PROJECT_WORKFLOW

    package = Path(__file__).resolve().parents[2] / "coordination"
    written = set()
    for path in package.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        written |= set(re.findall(r"(?:record|record_many|audit)\(\s*[\w.()\[\], ]*?\"([a-z_]+\.[a-z_0-9]+)\"", source))
    for workflow in (NEED_WORKFLOW, PROJECT_WORKFLOW, EVALUATION_WORKFLOW, SURVEY_WORKFLOW, SELECTION_WORKFLOW):
        written |= {t.audit_action or f"{workflow.subject}.{t.step.value}" for t in workflow}
    assert {"user.login", "user.2fa_enabled", "need.merged_in", "selection.open"} <= written and len(written) > 50
    with app.test_request_context():
        unlabelled = sorted(code for code in written if audit_labels.action_label(code) == code)
    assert unlabelled == []
