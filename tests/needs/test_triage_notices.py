"""The submitter hears of triage: a rejection with its reason (which only they and staff may
read), a merge with a link to the need theirs joined; supporters hear of it without the reason."""

from __future__ import annotations

from sqlalchemy import select

from coordination.core.models import Notification
from tests.factories import user


def notes_of(db, username: str) -> list[Notification]:
    return db.session.scalars(select(Notification).where(Notification.user_id == user(db, username).id)
                              .order_by(Notification.id)).all()


def texts(client, headers, language="zh-CN") -> list[dict]:
    response = client.get("/api/v1/me/notifications", headers={**headers, "Accept-Language": language})
    assert response.status_code == 200, response.json
    return response.json["items"]


def test_the_submitter_reads_why_their_need_was_rejected_and_supporters_do_not(client, db, submit, triage,
                                                                                api_token):
    need = submit("resident", title="小区门口加装遮阳棚")
    assert client.post(f"/api/v1/needs/{need['id']}/support", headers=api_token("worker")).status_code == 200
    assert triage(need["id"], action="reject", reason="该位置属市政道路，已转交街道城建办").status_code == 200

    [told] = [n for n in notes_of(db, "resident") if n.kind.startswith("need.")]
    assert (told.kind, told.params["reason"], told.link) == (
        "need.rejected", "该位置属市政道路，已转交街道城建办", f"/needs/{need['id']}")
    [item] = [n for n in texts(client, api_token("resident")) if n["kind"] == "need.rejected"]
    assert item["text"] == "您的需求“小区门口加装遮阳棚”未被受理：该位置属市政道路，已转交街道城建办"
    [item] = [n for n in texts(client, api_token("resident"), "en") if n["kind"] == "need.rejected"]
    assert item["text"] == ("Your need “小区门口加装遮阳棚” was not accepted: "
                            "该位置属市政道路，已转交街道城建办")

    [supporter] = [n for n in notes_of(db, "worker") if n.kind.startswith("need.")]
    assert supporter.kind == "need.status" and supporter.params["status"] == "rejected"
    assert "reason" not in supporter.params  # the reason is for the submitter and staff
    [item] = texts(client, api_token("worker"))
    assert item["text"] == "需求“小区门口加装遮阳棚”的状态已变更为：未被受理"


def test_the_submitter_of_a_merged_need_is_sent_to_the_need_it_joined(client, db, submit, triage, api_token):
    target = submit("worker", title="建工大厦午间健身课", place="建工大厦")
    duplicate = submit("resident", title="午休时想上健身课")
    response = triage(duplicate["id"], action="merge", merge_into=target["id"])
    assert response.status_code == 200, response.json

    [told] = [n for n in notes_of(db, "resident") if n.kind.startswith("need.")]
    assert told.kind == "need.merged"
    assert told.link == f"/needs/{target['id']}"
    assert told.params["into_title"] == "建工大厦午间健身课"
    [item] = [n for n in texts(client, api_token("resident")) if n["kind"] == "need.merged"]
    assert item["text"] == "需求“午休时想上健身课”已合并到“建工大厦午间健身课”，可在那里继续关注"
    assert item["link"] == f"/needs/{target['id']}"
    # the merge moved the submitter to the target's followers: they hear of it from now on
    triage(target["id"], action="accept", category_id=4)
    assert [n.kind for n in notes_of(db, "resident") if n.kind.startswith("need.")] == ["need.merged", "need.status"]
