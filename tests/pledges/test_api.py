"""The pledges' API: the list per community, one pledge, making, keeping, following and rating."""

from __future__ import annotations

from datetime import date
from datetime import timedelta

import pytest
from sqlalchemy import select

from coordination.core.models import AuditRecord
from coordination.core.models import Notification
from coordination.core.notifications import render
from tests.conftest import STRONG_PASSWORD
from tests.factories import user
from tests.pledges.conftest import IN_A_MONTH
from tests.pledges.conftest import follow
from tests.pledges.conftest import keep
from tests.pledges.conftest import make
from tests.pledges.conftest import neighbour
from tests.pledges.conftest import volunteer


def test_a_party_member_makes_a_pledge_for_their_place(client, db, api_token, places):
    volunteer(db, "resident")
    response = client.post("/api/v1/pledges", headers=api_token("resident"), json={
        "title": "  为楼宇白领开设沪语课堂 ", "content": "每月两次，在党员服务点。", "due_on": IN_A_MONTH.isoformat()})
    assert response.status_code == 201, response.json
    body = response.json
    assert (body["title"], body["status"], body["status_label"]) == ("为楼宇白领开设沪语课堂", "made", "已承诺")
    assert (body["pledger_name"], body["party_member"]) == ("福山居民 张阿姨", True)
    assert (body["community_id"], body["community_name"]) == (places["福山居民区"], "福山居民区")  # her own place
    assert (body["rating_count"], body["average_rating"], body["overdue"], body["following"]) == (0, None, False, False)
    assert "phone" not in str(body) and "username" not in body
    record = db.session.scalar(select(AuditRecord).where(AuditRecord.action == "pledge.make"))
    assert (record.object_type, record.object_id, record.to_state) == ("Pledge", body["id"], "made")


def test_a_pledge_may_serve_another_place(client, db, api_token, places):
    volunteer(db, "worker")
    response = client.post("/api/v1/pledges", headers=api_token("worker"), json={
        "title": "每周义务修理小家电", "content": "每周三午休。", "due_on": IN_A_MONTH.isoformat(),
        "community_id": places["松山居民区"]})
    assert response.status_code == 201 and response.json["community_name"] == "松山居民区"


@pytest.mark.parametrize("body, field", [
    ({"title": "", "content": "x", "due_on": IN_A_MONTH.isoformat()}, "title"),
    ({"title": "x" * 121, "content": "x", "due_on": IN_A_MONTH.isoformat()}, "title"),
    ({"title": "x", "content": "x", "due_on": (date.today() - timedelta(days=1)).isoformat()}, "due_on"),
    ({"title": "x", "content": "x", "due_on": (date.today() + timedelta(days=3000)).isoformat()}, "due_on"),
    ({"title": "x", "content": "x", "due_on": "明年"}, "due_on"),
    ({"title": "x", "content": "x", "due_on": IN_A_MONTH.isoformat(), "community_id": 999999}, "community_id"),
    ({"title": "x", "due_on": IN_A_MONTH.isoformat()}, "content"),
    ({"title": "x", "content": "x", "due_on": IN_A_MONTH.isoformat(), "status": "kept"}, "status"),
])
def test_bad_pledges_are_refused_naming_the_field(client, db, api_token, body, field):
    volunteer(db, "resident")
    response = client.post("/api/v1/pledges", headers=api_token("resident"), json=body)
    assert response.status_code == 400, response.json
    assert response.json["error"]["code"] == "invalid" and field in response.json["error"]["fields"]


def test_an_area_is_not_a_place_a_pledge_serves(client, db, api_token):
    from coordination.places.models import Place

    volunteer(db, "resident")
    area = db.session.scalar(select(Place.id).where(Place.name == "建工片区"))
    response = client.post("/api/v1/pledges", headers=api_token("resident"), json={
        "title": "x", "content": "x", "due_on": IN_A_MONTH.isoformat(), "community_id": area})
    assert response.status_code == 400 and "community_id" in response.json["error"]["fields"]


def test_the_list_per_community_and_status_pages_newest_first(client, db, api_token, places):
    first = make(db, title="每月为独居老人上门测血压一次")
    second = make(db, title="为楼宇白领开设沪语课堂")
    third = make(db, "worker", title="每周义务修理小家电", community_id=places["松山居民区"])
    keep(db, second)
    everything = client.get("/api/v1/pledges").json
    assert [p["id"] for p in everything["items"]] == [third.id, second.id, first.id]
    assert (everything["total"], everything["page"], everything["per_page"]) == (3, 1, 20)
    fushan = client.get(f"/api/v1/pledges?community_id={places['福山居民区']}").json
    assert [p["id"] for p in fushan["items"]] == [second.id, first.id]
    kept = client.get(f"/api/v1/pledges?community_id={places['福山居民区']}&status=kept").json
    assert [p["id"] for p in kept["items"]] == [second.id] and kept["total"] == 1
    paged = client.get("/api/v1/pledges?per_page=2").json
    assert [p["id"] for p in paged["items"]] == [third.id, second.id] and paged["next"]
    rest = client.get(f"/api/v1/pledges?per_page=2&after={paged['next']}").json
    assert [p["id"] for p in rest["items"]] == [first.id] and rest["next"] is None
    assert client.get("/api/v1/pledges?page=2&per_page=2").json["items"][0]["id"] == first.id
    for query in ("status=broken", "per_page=101", "community_id=abc", "after=xyz"):
        response = client.get(f"/api/v1/pledges?{query}")
        assert response.status_code == 400, query


def test_one_pledge_and_a_missing_one(client, db, api_token, pledge):
    response = client.get(f"/api/v1/pledges/{pledge.id}")
    assert response.status_code == 200 and response.json["following"] is None
    mine = client.get(f"/api/v1/pledges/{pledge.id}", headers=api_token("worker")).json
    assert mine["following"] is True and mine["my_score"] is None
    missing = client.get("/api/v1/pledges/999999")
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"
    for path, body in (("fulfilment", {"note": "x"}), ("follow", None), ("ratings", {"score": 5})):
        assert client.post(f"/api/v1/pledges/999999/{path}", json=body,
                           headers=api_token("resident")).status_code == 404


def test_keeping_needs_a_note_and_tells_the_followers(client, db, api_token, pledge):
    follow(db, pledge, "staff")
    empty = client.post(f"/api/v1/pledges/{pledge.id}/fulfilment", json={"note": "  "}, headers=api_token("resident"))
    assert empty.status_code == 400 and "note" in empty.json["error"]["fields"]
    kept = client.post(f"/api/v1/pledges/{pledge.id}/fulfilment", json={"note": "三个月上门12次，记录齐全。"},
                       headers=api_token("resident"))
    assert kept.status_code == 200, kept.json
    assert (kept.json["status"], kept.json["fulfilment_note"]) == ("kept", "三个月上门12次，记录齐全。")
    assert kept.json["fulfilled_at"]
    again = client.post(f"/api/v1/pledges/{pledge.id}/fulfilment", json={"note": "再次"}, headers=api_token("resident"))
    assert again.status_code == 409
    told = db.session.scalars(select(Notification).where(Notification.kind == "pledge.kept")).all()
    assert sorted(n.user_id for n in told) == sorted([user(db, "worker").id, user(db, "staff").id])
    assert told[0].link == f"/pledges/{pledge.id}"
    assert "每月为独居老人上门测血压一次" in render(told[0])
    record = db.session.scalar(select(AuditRecord).where(AuditRecord.action == "pledge.keep"))
    assert (record.from_state, record.to_state, record.comment) == ("made", "kept", None)  # the note is not logged


def test_following_twice_changes_nothing_and_unfollowing_stops_the_rating(client, db, api_token, pledge):
    headers = api_token("worker")
    assert client.post(f"/api/v1/pledges/{pledge.id}/follow", headers=headers).json == {"following": True}
    assert client.delete(f"/api/v1/pledges/{pledge.id}/follow", headers=headers).status_code == 204
    assert client.delete(f"/api/v1/pledges/{pledge.id}/follow", headers=headers).status_code == 204
    keep(db, pledge)
    refused = client.post(f"/api/v1/pledges/{pledge.id}/ratings", json={"score": 4}, headers=headers)
    assert refused.status_code == 403  # follow it first
    assert client.post(f"/api/v1/pledges/{pledge.id}/follow").status_code == 401


def test_a_follower_rates_once_and_the_average_is_kept(client, db, api_token, pledge):
    from coordination.core import counters

    neighbour(db, "neighbour.a", "worker")
    neighbour(db, "neighbour.b")
    follow(db, pledge, "neighbour.a", "neighbour.b")
    keep(db, pledge)
    first = client.post(f"/api/v1/pledges/{pledge.id}/ratings", json={"score": 5, "comment": "很贴心"},
                        headers=api_token("worker"))
    assert first.status_code == 201, first.json
    assert (first.json["score"], first.json["rating_count"], first.json["average_rating"]) == (5, 1, "5.0")
    second = client.post(f"/api/v1/pledges/{pledge.id}/ratings", json={"score": 1}, headers=api_token("worker"))
    assert second.status_code == 409 and second.json["error"]["code"] == "conflict"
    assert "already" in second.json["error"]["message"] or "已经" in second.json["error"]["message"]
    assert client.post(f"/api/v1/pledges/{pledge.id}/ratings", json={"score": 4},
                       headers=api_token("neighbour.a", STRONG_PASSWORD)).status_code == 201
    third = client.post(f"/api/v1/pledges/{pledge.id}/ratings", json={"score": 4},
                        headers=api_token("neighbour.b", STRONG_PASSWORD))
    assert (third.json["rating_count"], third.json["average_rating"]) == (3, "4.3")  # 13 / 3
    shown = client.get(f"/api/v1/pledges/{pledge.id}", headers=api_token("worker")).json
    assert (shown["rating_count"], shown["average_rating"], shown["my_score"]) == (3, "4.3", 5)
    told = db.session.scalars(select(Notification).where(Notification.kind == "pledge.rated")).all()
    assert {n.user_id for n in told} == {user(db, "resident").id} and len(told) == 3
    assert "5" in render(told[0])
    assert counters.check() == {}


@pytest.mark.parametrize("body, field", [({"score": 0}, "score"), ({"score": 6}, "score"), ({}, "score"),
                                         ({"score": "五"}, "score"), ({"score": 4, "comment": "x" * 501}, "comment")])
def test_bad_ratings_are_refused(client, db, api_token, pledge, body, field):
    keep(db, pledge)
    response = client.post(f"/api/v1/pledges/{pledge.id}/ratings", json=body, headers=api_token("worker"))
    assert response.status_code == 400 and field in response.json["error"]["fields"]


def test_the_openapi_document_declares_the_pledge_routes(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert set(paths["/pledges"]) == {"get", "post"}
    assert set(paths["/pledges/{pledge_id}/follow"]) == {"post", "delete"}
    rate = paths["/pledges/{pledge_id}/ratings"]["post"]
    assert {"201", "400", "401", "403", "404", "409"} <= set(rate["responses"])
    assert rate["x-roles"] == ["resident", "worker"]
    assert "409" in paths["/pledges/{pledge_id}/fulfilment"]["post"]["responses"]
    assert "204" in paths["/pledges/{pledge_id}/follow"]["delete"]["responses"]
