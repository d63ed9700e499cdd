"""The needs pages: submit (with similar needs and photos), the menu, a need, triage, follow."""

import io

import pytest
from PIL import Image
from sqlalchemy import func
from sqlalchemy import select

from coordination.core.models import Notification
from coordination.needs.models import Need
from coordination.needs.models import NeedPhoto
from tests.conftest import csrf_token
from tests.conftest import wait_for
from tests.factories import png
from tests.factories import post_need


def test_the_submit_form_defaults_to_the_residents_community(client_as, places):
    html = client_as("resident").get("/needs/new").get_data(as_text=True)
    assert f'<option selected value="{places["福山居民区"]}"' in html


def test_a_resident_submits_with_a_photo_and_sees_it(client_as, db, places):
    resident = client_as("resident")
    response = post_need(resident, places, photos=[(io.BytesIO(png()), "light.png")])
    assert response.status_code == 302
    need = db.session.scalar(select(Need).where(Need.title == "楼道装感应灯"))
    page = resident.get(response.headers["Location"]).get_data(as_text=True)
    assert "楼道装感应灯" in page
    photo = db.session.scalar(select(NeedPhoto).where(NeedPhoto.need_id == need.id))
    served = resident.get(f"/needs/photos/{photo.id}")
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert Image.open(io.BytesIO(served.data)).size == (40, 30)


@pytest.mark.parametrize("payload, name", [(b"%PDF-1.4 not an image", "doc.png"), (b"GIF89a....", "x.gif")])
def test_files_that_are_not_photos_are_refused(client_as, db, places, payload, name):
    before = db.session.scalar(select(func.count()).select_from(Need))
    response = post_need(client_as("resident"), places, photos=[(io.BytesIO(payload), name)])
    assert response.status_code == 400
    assert 'id="photos-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Need)) == before


def test_similar_needs_are_shown_before_saving(client_as, db, places):
    post_need(client_as("worker"), places, title="老楼加装电梯", place_id=str(places["市新居民区"]))
    resident = client_as("resident")
    first = post_need(resident, places, title="希望老楼加装电梯")
    html = first.get_data(as_text=True)
    assert first.status_code == 200 and "老楼加装电梯" in html and 'name="confirm_new"' in html
    assert db.session.scalar(select(func.count()).select_from(Need).where(Need.title == "希望老楼加装电梯")) == 0
    second = post_need(resident, places, title="希望老楼加装电梯", confirm_new="1")
    assert second.status_code == 302


def test_a_missing_title_keeps_the_description(client_as, places):
    response = post_need(client_as("resident"), places, title="")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="title-error"' in html and "3号楼2单元楼道晚上很暗。" in html


def test_unit_reps_cannot_open_the_submit_form(client_as):
    assert client_as("unit_rep").get("/needs/new").status_code == 403


def test_the_menu_counts_needs_per_category(client, client_as, db, places):
    staff = client_as("staff")
    post_need(client_as("resident"), places)
    need = db.session.scalar(select(Need).where(Need.title == "楼道装感应灯"))
    token = csrf_token(staff, f"/needs/{need.id}")
    staff.post(f"/needs/{need.id}/triage", data={"csrf_token": token, "action": "accept", "category_id": "6"})
    html = client.get("/needs").get_data(as_text=True)
    assert "楼道装感应灯" in html
    assert client.get("/needs?category_id=1").get_data(as_text=True).count("楼道装感应灯") == 0
    assert "楼道装感应灯" in client.get("/needs?q=感应灯").get_data(as_text=True)


def test_support_follow_and_notification_on_the_web(client_as, db, places):
    post_need(client_as("resident"), places)
    need = db.session.scalar(select(Need).where(Need.title == "楼道装感应灯"))
    worker = client_as("worker")
    token = csrf_token(worker, f"/needs/{need.id}")
    assert worker.post(f"/needs/{need.id}/support", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Need, need.id).support_count == 1
    staff = client_as("staff")
    staff.post(f"/needs/{need.id}/triage", data={"csrf_token": csrf_token(staff, f"/needs/{need.id}"),
                                                 "action": "reject", "reason": "已由物业处理"})
    page = worker.get("/me").get_data(as_text=True)
    assert "楼道装感应灯" in page  # in "needs I support" and in the notifications
    from coordination.accounts.models import User

    worker_id = db.session.scalar(select(User.id).where(User.username == "worker"))
    note = db.session.scalar(select(Notification).where(Notification.kind == "need.status",
                                                        Notification.user_id == worker_id))
    assert note is not None and note.params["status"] == "rejected"
    assert worker.get(f"/notifications/{note.id}").headers["Location"].endswith(f"/needs/{need.id}")
    resident = client_as("resident")
    assert "已由物业处理" in resident.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "已由物业处理" not in worker.get(f"/needs/{need.id}").get_data(as_text=True)


def test_bulk_triage_from_the_queue_oldest_first(client_as, db, places):
    resident = client_as("resident")
    for title in ["第一个需求", "第二个需求"]:
        post_need(resident, places, title=title, confirm_new="1")
    staff = client_as("staff")
    html = staff.get("/needs/triage").get_data(as_text=True)
    assert html.index("第一个需求") < html.index("第二个需求")
    ids = db.session.scalars(select(Need.id).where(Need.title.in_(["第一个需求", "第二个需求"]))).all()
    response = staff.post("/needs/triage/bulk", data={"csrf_token": csrf_token(staff, "/needs/triage"),
                                                      "need_ids": [str(i) for i in ids], "action": "accept",
                                                      "category_id": "2"})
    assert response.status_code == 302
    db.session.expire_all()
    assert {db.session.get(Need, i).status.value for i in ids} == {"accepted"}


def test_a_bulk_rejection_without_reason_changes_nothing(client_as, db, places):
    post_need(client_as("resident"), places, title="第三个需求")
    staff = client_as("staff")
    need_id = db.session.scalar(select(Need.id).where(Need.title == "第三个需求"))
    staff.post("/needs/triage/bulk", data={"csrf_token": csrf_token(staff, "/needs/triage"),
                                           "need_ids": [str(need_id)], "action": "reject"})
    db.session.expire_all()
    assert db.session.get(Need, need_id).status.value == "submitted"


def test_notification_emails_go_through_a_real_smtp_server(app, client, db, api_token, places, worker):
    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        from coordination.accounts.models import User

        resident = db.session.scalar(select(User).where(User.username == "resident"))
        resident.email = "zhang@example.org"
        db.session.commit()
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        need = client.post("/api/v1/needs", headers=api_token("resident"), json={
            "kind": "wish", "title": "楼道装感应灯", "description": "很暗", "place_id": places["福山居民区"]}).json
        client.post(f"/api/v1/needs/{need['id']}/triage", headers=api_token("staff"),
                    json={"action": "accept", "category_id": 6})
        with worker():  # the background worker sends the queued e-mail
            wait_for(lambda: received, timeout=20)
    finally:
        app.config["MAIL_SERVER"] = None
        controller.stop()
    assert [e.rcpt_tos for e in received] == [["zhang@example.org"]]
    import email
    from email import policy

    message = email.message_from_bytes(received[0].content, policy=policy.default)
    assert "楼道装感应灯" in message["Subject"]
    body = message.get_content()
    assert "楼道装感应灯" in body and f"/needs/{need['id']}" in body


def test_the_history_shows_the_rejection_note_only_to_those_who_may_read_it(client_as, submit, triage):
    need = submit(role="resident")
    assert triage(need["id"], action="reject", reason="属于物业维修范围，已转物业。").status_code == 200
    for role, sees in [("resident", True), ("staff", True), ("worker", False)]:
        html = client_as(role).get(f"/needs/{need['id']}").get_data(as_text=True)
        history = html[html.index('id="history-title"'):]
        assert ("属于物业维修范围" in history) is sees, role


def test_a_hidden_or_missing_need_is_the_404_page_on_the_web(client, client_as, submit, triage, api_token):
    need = submit()
    triage(need["id"], action="accept", category_id=1)
    assert client.post(f"/api/v1/needs/{need['id']}/hide", json={"reason": "含有广告内容"},
                       headers=api_token("staff")).status_code == 200
    for path in (f"/needs/{need['id']}", "/needs/999999"):
        response = client_as("resident").get(path)
        assert response.status_code == 404 and "<html" in response.get_data(as_text=True), path
    assert client_as("staff").get(f"/needs/{need['id']}").status_code == 200
    missing = client.get("/api/v1/needs/999999").json["error"]
    assert missing["code"] == "not_found" and missing["fields"] == {}
