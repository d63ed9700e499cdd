"""GET /api/v1/me/notifications and POST /api/v1/me/notifications/read (API.md): the caller's own
notifications, newest first, in the reader's language; marking read never touches anyone else's."""

from __future__ import annotations

from sqlalchemy import select

from coordination.core.models import Notification
from tests.factories import user


def two_notices(submit, triage, client, api_token) -> tuple[dict, dict]:
    """The resident's need accepted (the supporting worker is told too), another one rejected."""
    kept = submit("resident", title="小区增设快递柜")
    assert client.post(f"/api/v1/needs/{kept['id']}/support", headers=api_token("worker")).status_code == 200
    assert triage(kept["id"], action="accept", category_id=2).status_code == 200
    dropped = submit("resident", title="楼顶养鸽子")
    assert triage(dropped["id"], action="reject", reason="违反小区管理规约").status_code == 200
    return kept, dropped


def test_the_caller_reads_their_notifications_newest_first_in_their_language(client, db, submit, triage,
                                                                             api_token):
    kept, dropped = two_notices(submit, triage, client, api_token)
    resident = api_token("resident")

    response = client.get("/api/v1/me/notifications", headers=resident)
    assert response.status_code == 200
    body = response.json
    assert (body["total"], body["page"], body["per_page"]) == (2, 1, 20)
    newest, older = body["items"]
    assert {k: newest[k] for k in ("kind", "text", "link", "read")} == {
        "kind": "need.rejected", "text": "您的需求“楼顶养鸽子”未被受理：违反小区管理规约",
        "link": f"/needs/{dropped['id']}", "read": False}
    assert {k: older[k] for k in ("kind", "text", "link", "read")} == {
        "kind": "need.status", "text": "需求“小区增设快递柜”的状态已变更为：已纳入需求菜单",
        "link": f"/needs/{kept['id']}", "read": False}
    assert set(newest) == {"id", "kind", "text", "link", "created_at", "read"}
    assert newest["created_at"].endswith("Z") or "+00:00" in newest["created_at"]

    english = client.get("/api/v1/me/notifications", headers={**resident, "Accept-Language": "en"}).json
    assert english["items"][1]["text"] == "The need “小区增设快递柜” is now: In the needs menu"
    # without Accept-Language, the language the person chose on the site
    user(db, "resident").locale = "en"
    db.session.commit()
    assert client.get("/api/v1/me/notifications", headers=resident).json["items"][0]["text"] == (
        "Your need “楼顶养鸽子” was not accepted: 违反小区管理规约")

    page_two = client.get("/api/v1/me/notifications?per_page=1&page=2", headers=resident).json
    assert [i["id"] for i in page_two["items"]] == [older["id"]] and page_two["total"] == 2
    too_many = client.get("/api/v1/me/notifications?per_page=101", headers=resident)
    assert too_many.status_code == 400 and "per_page" in too_many.json["error"]["fields"]
    assert client.get("/api/v1/me/notifications").status_code == 401
    assert client.get("/api/v1/me/notifications", headers={"Authorization": "Bearer gr_stale"}).status_code == 401


def test_marking_read_touches_only_the_callers_own(client, db, submit, triage, api_token):
    two_notices(submit, triage, client, api_token)
    resident, worker = api_token("resident"), api_token("worker")
    mine = [i["id"] for i in client.get("/api/v1/me/notifications", headers=resident).json["items"]]
    [theirs] = [i["id"] for i in client.get("/api/v1/me/notifications", headers=worker).json["items"]]

    response = client.post("/api/v1/me/notifications/read", json={"ids": [mine[0], theirs]}, headers=resident)
    assert (response.status_code, response.json) == (200, {"unread": 1})
    assert db.session.get(Notification, theirs).read_at is None  # another person's: ignored
    unread = client.get("/api/v1/me/notifications?unread=1", headers=resident).json
    assert (unread["total"], [i["id"] for i in unread["items"]]) == (1, [mine[1]])
    listed = client.get("/api/v1/me/notifications", headers=resident).json["items"]
    assert [i["read"] for i in listed] == [True, False]

    response = client.post("/api/v1/me/notifications/read", headers=resident)  # no ids: all of them
    assert (response.status_code, response.json) == (200, {"unread": 0})
    assert client.post("/api/v1/me/notifications/read", json={}, headers=worker).json == {"unread": 0}
    assert db.session.scalar(select(Notification.read_at).where(Notification.id == theirs)) is not None


def test_bad_bodies_name_the_field(client, api_token):
    resident = api_token("resident")
    for body, field in (({"ids": ["x"]}, "ids.0"), ({"ids": [0]}, "ids.0"), ({"ids": list(range(1, 1002))}, "ids"),
                        ({"ids": 5}, "ids"), ({"all": True}, "all")):
        response = client.post("/api/v1/me/notifications/read", json=body, headers=resident)
        assert response.status_code == 400, body
        assert field in response.json["error"]["fields"], (body, response.json)
    assert client.post("/api/v1/me/notifications/read", json={}).status_code == 401
