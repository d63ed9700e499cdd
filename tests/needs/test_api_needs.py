"""The needs part of the API, for every role, with bad input."""

import pytest
from sqlalchemy import func
from sqlalchemy import select

from coordination.core.models import AuditRecord
from coordination.core.models import Notification
from coordination.needs.models import Need


def test_a_resident_submits_a_need(client, submit):
    need = submit("resident")
    assert need["status"] == "submitted" and need["channel"] == "online"
    assert need["supports"] == 0 and need["project_id"] is None
    assert need["place_name"] == "福山居民区"
    assert need["submitter_name"] == "福山居民 张阿姨"  # the submitter sees their own name


@pytest.mark.parametrize("role, status", [("worker", 201), ("staff", 201), ("unit_rep", 403), ("council", 403),
                                          ("community_committee", 403), ("street_committee", 403), ("admin", 403)])
def test_who_may_submit(client, api_token, places, role, status):
    response = client.post("/api/v1/needs", headers=api_token(role), json={
        "kind": "idea", "title": "午间公益一小时", "description": "中午组织白领做公益。", "place_id": places["建工大厦"]})
    assert response.status_code == status


def test_anonymous_visitors_cannot_submit(client, places):
    response = client.post("/api/v1/needs", json={"kind": "idea", "title": "t", "description": "d",
                                                  "place_id": places["建工大厦"]})
    assert response.status_code == 401


@pytest.mark.parametrize("change, field", [
    ({"title": ""}, "title"), ({"title": "长" * 121}, "title"), ({"description": None}, "description"),
    ({"kind": "complaint"}, "kind"), ({"place_id": 1}, "place_id"), ({"place_id": 99999}, "place_id"),
    ({"category_id": 99999}, "category_id"), ({"place_id": "福山"}, "place_id"), ({"extra": 1}, "extra"),
])
def test_bad_needs_name_the_field_and_save_nothing(client, db, api_token, places, change, field):
    body = {"kind": "wish", "title": "加装电梯", "description": "老人上下楼难。", "place_id": places["福山居民区"]}
    body.update(change)
    before = db.session.scalar(select(func.count()).select_from(Need))
    response = client.post("/api/v1/needs", json=body, headers=api_token("resident"))
    assert response.status_code == 400
    assert field in response.json["error"]["fields"]
    assert db.session.scalar(select(func.count()).select_from(Need)) == before


@pytest.mark.parametrize("extra", [{"channel": "hotline"}, {"on_behalf_of": "王阿婆"}])
def test_only_staff_record_offline_needs(client, api_token, places, extra):
    body = {"kind": "request", "title": "t", "description": "d", "place_id": places["市新居民区"], **extra}
    assert client.post("/api/v1/needs", json=body, headers=api_token("resident")).status_code == 403


def test_staff_record_a_hotline_need_whose_contact_only_staff_see(client, submit, api_token):
    need = submit("staff", channel="hotline", on_behalf_of={"name": "王阿婆", "phone": "13900001111"})
    assert need["channel"] == "hotline" and need["contact_phone"] == "13900001111"
    public = client.get(f"/api/v1/needs/{need['id']}").json
    assert public["contact_phone"] is None and public["submitter_name"] is None
    as_resident = client.get(f"/api/v1/needs/{need['id']}", headers=api_token("resident")).json
    assert as_resident["contact_phone"] is None
    assert "13900001111" not in str(client.get("/api/v1/needs?status=submitted").json)


def test_submitters_may_show_their_name(client, submit):
    need = submit("worker", place="建工大厦", show_submitter=True)
    assert client.get(f"/api/v1/needs/{need['id']}").json["submitter_name"] == "建工大厦白领 小林"


def test_the_menu_lists_accepted_needs_and_filters(client, submit, triage, db):
    lift = submit(title="加装电梯", description="6层老楼需要加装电梯。")
    light = submit(title="楼道感应灯")
    triage(lift["id"], action="accept", category_id=db.session.scalar(select(Need.category_id)) or 6)
    menu = client.get("/api/v1/needs").json
    assert set(menu) == {"items", "total", "page", "per_page", "next", "total_capped"}
    ids = {n["id"] for n in menu["items"]}
    assert lift["id"] in ids and light["id"] not in ids
    assert [n["id"] for n in client.get("/api/v1/needs?status=submitted").json["items"]] == [light["id"]]
    assert [n["id"] for n in client.get("/api/v1/needs", query_string={"q": "电梯"}).json["items"]] == [lift["id"]]
    assert client.get("/api/v1/needs", query_string={"q": "电梯 感应"}).json["total"] == 0
    assert client.get("/api/v1/needs?kind=idea").json["total"] == 0


@pytest.mark.parametrize("query, field", [("per_page=101", "per_page"), ("page=0", "page"),
                                          ("status=lost", "status"), ("category_id=x", "category_id"),
                                          ("sort=random", "sort")])
def test_bad_list_filters_name_the_field(client, query, field):
    response = client.get(f"/api/v1/needs?{query}")
    assert response.status_code == 400
    assert field in response.json["error"]["fields"]


def test_pagination(client, submit, triage):
    for i in range(5):
        need = submit(title=f"需求{i}")
        triage(need["id"], action="accept", category_id=1)
    page = client.get("/api/v1/needs?per_page=2&page=3&sort=oldest").json
    assert page["total"] == 5 and page["page"] == 3 and page["per_page"] == 2
    assert [n["title"] for n in page["items"]] == ["需求4"]


def test_support_once_per_person_and_undo(client, submit, api_token):
    need = submit("resident")
    worker = api_token("worker")
    first = client.post(f"/api/v1/needs/{need['id']}/support", headers=worker)
    second = client.post(f"/api/v1/needs/{need['id']}/support", headers=worker)
    assert first.status_code == second.status_code == 200
    assert first.json["supports"] == second.json["supports"] == 1
    assert client.get(f"/api/v1/needs/{need['id']}", headers=worker).json["supported_by_me"] is True
    assert client.delete(f"/api/v1/needs/{need['id']}/support", headers=worker).json["supports"] == 0


def test_one_cannot_support_ones_own_need(client, submit, api_token):
    need = submit("resident")
    response = client.post(f"/api/v1/needs/{need['id']}/support", headers=api_token("resident"))
    assert response.status_code == 409


@pytest.mark.parametrize("role", ["staff", "unit_rep", "council", "admin"])
def test_only_residents_and_workers_support(client, submit, api_token, role):
    need = submit("resident")
    assert client.post(f"/api/v1/needs/{need['id']}/support", headers=api_token(role)).status_code == 403


def test_triage_accept_needs_a_category(client, submit, triage):
    need = submit()
    response = triage(need["id"], action="accept")
    assert response.status_code == 400 and "category_id" in response.json["error"]["fields"]
    accepted = triage(need["id"], action="accept", category_id=2)
    assert accepted.status_code == 200
    assert accepted.json["status"] == "accepted" and accepted.json["category"]["code"] == 2


def test_triage_reject_needs_a_reason_the_submitter_sees(client, submit, triage, api_token):
    need = submit()
    assert "reason" in triage(need["id"], action="reject").json["error"]["fields"]
    assert triage(need["id"], action="reject", reason="属于物业维修范围，已转物业。").status_code == 200
    mine = client.get(f"/api/v1/needs/{need['id']}", headers=api_token("resident")).json
    assert mine["status"] == "rejected" and mine["rejection_reason"] == "属于物业维修范围，已转物业。"
    assert client.get(f"/api/v1/needs/{need['id']}", headers=api_token("worker")).json["rejection_reason"] is None


def test_a_triaged_need_cannot_be_triaged_again(client, submit, triage):
    need = submit()
    triage(need["id"], action="accept", category_id=1)
    response = triage(need["id"], action="reject", reason="x")
    assert response.status_code == 409
    assert response.json["error"]["current_status"] == "accepted"


def test_merge_carries_supports_and_followers_over(client, db, submit, triage, api_token):
    target = submit("resident", title="加装电梯")
    duplicate = submit("worker", title="老楼加装电梯", place="建工大厦")
    client.post(f"/api/v1/needs/{duplicate['id']}/support", headers=api_token("resident"))
    client.post(f"/api/v1/needs/{target['id']}/support", headers=api_token("worker"))
    response = triage(duplicate["id"], action="merge", merge_into=target["id"])
    assert response.status_code == 200
    assert response.json["status"] == "merged" and response.json["merged_into"] == target["id"]
    merged_target = client.get(f"/api/v1/needs/{target['id']}").json
    # the worker's support and the submitter of the duplicate count once each; the resident
    # (who submitted the target) cannot support their own need twice
    assert merged_target["supports"] == 1
    assert client.get(f"/api/v1/needs/{duplicate['id']}").json["supports"] == 0


@pytest.mark.parametrize("body, field", [({"action": "merge"}, "merge_into"),
                                         ({"action": "merge", "merge_into": 999999}, "merge_into"),
                                         ({"action": "delete"}, "action")])
def test_bad_merges_name_the_field(client, submit, triage, body, field):
    need = submit()
    response = triage(need["id"], **body)
    assert response.status_code == 400 and field in response.json["error"]["fields"]


@pytest.mark.parametrize("role", ["resident", "worker", "unit_rep", "council", "community_committee",
                                  "street_committee", "admin"])
def test_only_staff_triage(client, submit, api_token, role):
    need = submit("worker", place="建工大厦")
    response = client.post(f"/api/v1/needs/{need['id']}/triage", json={"action": "accept", "category_id": 1},
                           headers=api_token(role))
    assert response.status_code == 403


def test_status_changes_are_audited_and_notified(client, db, submit, triage, api_token):
    need = submit("resident")
    client.post(f"/api/v1/needs/{need['id']}/support", headers=api_token("worker"))
    triage(need["id"], action="accept", category_id=6)
    actions = db.session.scalars(select(AuditRecord.action).where(
        AuditRecord.object_type == "Need", AuditRecord.object_id == need["id"]).order_by(AuditRecord.id)).all()
    assert actions == ["need.submit", "need.support", "need.accept"]
    entry = db.session.scalar(select(AuditRecord).where(AuditRecord.action == "need.accept",
                                                        AuditRecord.object_id == need["id"]))
    assert (entry.from_state, entry.to_state) == ("submitted", "accepted")
    kinds = db.session.execute(select(Notification.user_id, Notification.kind)
                               .where(Notification.kind == "need.status")).all()
    assert len(kinds) == 2  # the submitter and the supporter follow the need


def test_hidden_needs_vanish_for_everyone_but_staff(client, db, submit, triage, api_token):
    need = submit()
    triage(need["id"], action="accept", category_id=1)
    report = client.post(f"/api/v1/needs/{need['id']}/report", json={"reason": "广告"}, headers=api_token("worker"))
    assert report.status_code == 201
    hide = client.post(f"/api/v1/needs/{need['id']}/hide", json={"reason": "含有广告内容"}, headers=api_token("staff"))
    assert hide.status_code == 200 and hide.json["hidden"] is True
    assert client.get(f"/api/v1/needs/{need['id']}").status_code == 404
    assert client.get(f"/api/v1/needs/{need['id']}", headers=api_token("resident")).status_code == 404
    assert need["id"] not in {n["id"] for n in client.get("/api/v1/needs").json["items"]}
    assert client.get(f"/api/v1/needs/{need['id']}", headers=api_token("staff")).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(AuditRecord).where(
        AuditRecord.action == "need.hide", AuditRecord.object_id == need["id"])) == 1
    again = client.post(f"/api/v1/needs/{need['id']}/hide", json={"reason": "x"}, headers=api_token("staff"))
    assert again.status_code == 409


def test_unknown_needs_are_404(client, api_token):
    assert client.get("/api/v1/needs/999999").status_code == 404
    assert client.post("/api/v1/needs/999999/support", headers=api_token("resident")).status_code == 404


def test_similar_needs_nearby_are_offered_before_submitting(client, submit, places):
    lift = submit(title="老楼加装电梯", description="6层老楼需要电梯。")
    submit(title="楼道感应灯")
    answer = client.get("/api/v1/needs/similar", query_string={"title": "希望加装电梯", "place_id": places["市新居民区"]})
    assert answer.status_code == 200
    assert [n["id"] for n in answer.json["items"]] == [lift["id"]]
    elsewhere = client.get("/api/v1/needs/similar", query_string={"title": "希望加装电梯",
                                                                   "place_id": places["梅园居民区"]})
    assert elsewhere.json["items"] == []  # another area
    assert client.get("/api/v1/needs/similar?place_id=2").status_code == 400
