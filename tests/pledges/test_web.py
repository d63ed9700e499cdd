"""The pledges' pages: the list per community, a pledge's page with its forms, making a pledge,
keeping it with a photo, following and rating, /me and the volunteer card's partial."""

from __future__ import annotations

import io

from sqlalchemy import select

from coordination.pledges.models import Pledge
from coordination.pledges.models import PledgePhoto
from tests.conftest import csrf_token
from tests.factories import png
from tests.pledges.conftest import IN_A_MONTH
from tests.pledges.conftest import keep
from tests.pledges.conftest import make
from tests.pledges.conftest import volunteer


def test_the_pledge_list_filters_by_community_and_status(client, db, places):
    make(db, title="每月为独居老人上门测血压一次")
    kept = make(db, title="为楼宇白领开设沪语课堂")
    keep(db, kept)
    make(db, "worker", title="每周义务修理小家电", community_id=places["松山居民区"])
    page = client.get("/pledges").get_data(as_text=True)
    assert page.count('href="/pledges/') >= 3 and "共找到 3 项承诺" in page and "党员" in page
    fushan = client.get(f"/pledges?community_id={places['福山居民区']}&status=kept").get_data(as_text=True)
    assert "为楼宇白领开设沪语课堂" in fushan and "每周义务修理小家电" not in fushan and "测血压" not in fushan
    assert client.get("/pledges?status=nonsense&community_id=x").status_code == 200  # ignored, not a 500
    assert client.get("/pledges?after=garbage").status_code == 400


def test_the_pledge_page_shows_who_what_when_and_the_ratings(client, client_as, db, pledge, api_token):
    keep(db, pledge)
    client.post(f"/api/v1/pledges/{pledge.id}/ratings", json={"score": 4, "comment": "很及时"},
                headers=api_token("worker"))
    page = client.get(f"/pledges/{pledge.id}").get_data(as_text=True)
    for text in ("每月为独居老人上门测血压一次", "承诺人：福山居民 张阿姨", "党员", str(IN_A_MONTH), "已践诺",
                 "已连续三个月上门测量，记录齐全。", "4.0", "1 人评价", "很及时", "登录后关注并评价"):
        assert text in page, text
    worker = client_as("worker").get(f"/pledges/{pledge.id}").get_data(as_text=True)
    assert "您的评分：4 分" in worker and "提交评价" not in worker and "取消关注" in worker


def test_a_resident_without_a_party_members_profile_is_told_what_to_do(client_as, db):
    resident = client_as("resident")
    response = resident.get("/pledges/new")
    assert response.status_code == 403 and "请先填写您的志愿者档案" in response.get_data(as_text=True)
    volunteer(db, "resident", party_member=False)
    response = resident.get("/pledges/new")
    assert response.status_code == 403 and "亮明党员身份" in response.get_data(as_text=True)
    assert client_as("staff").get("/pledges/new").status_code == 403


def test_a_party_member_makes_a_pledge_on_the_web(client_as, db):
    volunteer(db, "resident")
    resident = client_as("resident")
    assert resident.get("/pledges/new").status_code == 200
    token = csrf_token(resident, "/pledges/new")
    bad = resident.post("/pledges/new", data={"csrf_token": token, "title": "", "content": "x", "due_on": "2000-01-01",
                                              "community_id": "0"})
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "请选择今天或以后的日期。" in text and 'aria-invalid="true"' in text
    made = resident.post("/pledges/new", data={"csrf_token": token, "title": "每周义务修理小家电",
                                               "content": "每周三午休时间。", "due_on": IN_A_MONTH.isoformat(),
                                               "community_id": "0"})
    assert made.status_code == 302
    pledge = db.session.scalar(select(Pledge).where(Pledge.title == "每周义务修理小家电"))
    assert made.headers["Location"] == f"/pledges/{pledge.id}"
    assert "您的承诺已公开" in resident.get(made.headers["Location"]).get_data(as_text=True)
    me = resident.get("/me").get_data(as_text=True)
    assert "我的承诺" in me and "每周义务修理小家电" in me


def test_the_pledger_keeps_it_with_a_note_and_a_photo(app, client, client_as, db, pledge):
    resident = client_as("resident")
    page = resident.get(f"/pledges/{pledge.id}").get_data(as_text=True)
    assert "记录您的践诺情况" in page
    token = csrf_token(resident, f"/pledges/{pledge.id}")
    empty = resident.post(f"/pledges/{pledge.id}/keep", data={"csrf_token": token, "note": " "})
    assert empty.status_code == 400 and 'id="note-error"' in empty.get_data(as_text=True)
    worker = client_as("worker")
    assert worker.post(f"/pledges/{pledge.id}/keep", data={
        "csrf_token": csrf_token(worker, "/pledges"), "note": "x"}).status_code == 403
    kept = resident.post(f"/pledges/{pledge.id}/keep", content_type="multipart/form-data", data={
        "csrf_token": token, "note": "三个月上门12次。", "photos": [(io.BytesIO(png()), "bp.png")]})
    assert kept.status_code == 302, kept.get_data(as_text=True)[:300]
    photo = db.session.scalar(select(PledgePhoto).where(PledgePhoto.pledge_id == pledge.id))
    served = client.get(f"/pledges/photos/{photo.id}")
    assert served.status_code == 200 and served.mimetype == "image/png"
    page = client.get(f"/pledges/{pledge.id}").get_data(as_text=True)
    assert "三个月上门12次。" in page and f"/pledges/photos/{photo.id}" in page
    assert client.get("/pledges/photos/999999").status_code == 404
    again = resident.post(f"/pledges/{pledge.id}/keep", data={"csrf_token": token, "note": "再次"})
    assert again.status_code == 302  # said above the page: it is kept already


def test_a_follower_rates_on_the_web_once(client_as, db, pledge):
    keep(db, pledge)
    worker = client_as("worker")
    page = worker.get(f"/pledges/{pledge.id}").get_data(as_text=True)
    assert "评价这项承诺" in page and "非常满意" in page
    token = csrf_token(worker, f"/pledges/{pledge.id}")
    missing = worker.post(f"/pledges/{pledge.id}/rate", data={"csrf_token": token})
    assert missing.status_code == 400 and "请打 1 到 5 分。" in missing.get_data(as_text=True)
    rated = worker.post(f"/pledges/{pledge.id}/rate", data={"csrf_token": token, "score": "5", "comment": "贴心"})
    assert rated.status_code == 302
    again = worker.post(f"/pledges/{pledge.id}/rate", data={"csrf_token": token, "score": "1"})
    assert again.status_code == 302
    assert "您已经评价过这项承诺。" in worker.get(f"/pledges/{pledge.id}").get_data(as_text=True)
    db.session.expire_all()
    assert (db.session.get(Pledge, pledge.id).rating_count, db.session.get(Pledge, pledge.id).rating_sum) == (1, 5)
    staff = client_as("staff")
    refused = staff.post(f"/pledges/{pledge.id}/rate", data={"csrf_token": csrf_token(staff, "/pledges"), "score": "5"})
    assert refused.status_code == 403


def test_following_and_unfollowing_on_the_web(client_as, db, pledge):
    staff = client_as("staff")
    token = csrf_token(staff, f"/pledges/{pledge.id}")
    assert staff.post(f"/pledges/{pledge.id}/follow", data={"csrf_token": token}).status_code == 302
    assert "取消关注" in staff.get(f"/pledges/{pledge.id}").get_data(as_text=True)
    assert staff.post(f"/pledges/{pledge.id}/unfollow", data={"csrf_token": token}).status_code == 302
    assert "关注这项承诺" in staff.get(f"/pledges/{pledge.id}").get_data(as_text=True)
    assert staff.post(f"/pledges/{pledge.id}/follow", data={}).status_code == 400  # no CSRF token


def test_the_volunteer_card_partial_lists_a_persons_pledges(app, db, pledge):
    from flask import render_template

    from coordination.pledges.queries import pledges_of

    keep(db, make(db, title="为楼宇白领开设沪语课堂"))
    with app.test_request_context("/"):
        html = render_template("pledges/_card_pledges.html", card_pledges=pledges_of(pledge.profile_id))
    assert html.index("为楼宇白领开设沪语课堂") < html.index("每月为独居老人上门测血压一次")  # newest first
    assert f'href="/pledges/{pledge.id}"' in html and "已践诺" in html and "已承诺" in html
