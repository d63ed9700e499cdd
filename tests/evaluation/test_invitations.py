"""The people a project served are invited to its survey when the evaluation opens: who raised or
supported one of its needs, and who volunteered on it (``signals.served_by``); once each, by
notification, and the survey waits for them under "my surveys" and on the project's page."""

from __future__ import annotations

from sqlalchemy import select

from coordination.accounts.models import User
from coordination.core.models import Notification
from coordination.evaluation.models import SurveyInvitee
from coordination.needs import operations as needs
from coordination.needs.models import Category
from tests import factories
from tests.factories import user


def accepted(db, places, by: str | None, title: str):
    """An accepted need raised online by ``by``, or (None) recorded by staff for 王阿婆 from the hotline."""
    data = needs.NeedInput(kind="wish", title=title, description="希望尽快解决。", place_id=places["福山居民区"])
    if by is None:
        data.channel, data.requester_name, data.contact_phone = "hotline", "王阿婆", "13900001111"
        need = needs.record_offline_need(user(db, "staff"), data)
    else:
        need = needs.submit_need(user(db, by), data)
    category_id = db.session.scalar(select(Category.id).where(Category.code == 2))
    return needs.accept_need(user(db, "staff"), need.id, category_id)


def invitees(db, survey_id: int) -> dict[str, str]:
    rows = db.session.scalars(select(SurveyInvitee).where(SurveyInvitee.survey_id == survey_id)).all()
    return {db.session.get(User, row.user_id).username: row.reason.value for row in rows}


def invitations(db, username: str) -> list[Notification]:
    return db.session.scalars(select(Notification).where(Notification.user_id == user(db, username).id,
                                                         Notification.kind == "evaluation.invited")).all()


def test_submitters_and_supporters_are_invited_once_and_the_offline_requester_is_not(
        client, client_as, db, places, api_token):
    own = accepted(db, places, "resident", "楼道扶手加装")
    hotline = accepted(db, places, None, "小区门口台阶太高")
    needs.support_need(user(db, "worker"), own)
    needs.support_need(user(db, "worker"), hotline)
    needs.support_need(user(db, "resident"), hotline)  # the resident raised one need and supports the other
    db.session.commit()
    project = factories.build(db, "completed", title="老楼适老化改造", need_ids=[own.id, hotline.id])

    survey = factories.open_evaluation(client, api_token, project.id)

    assert invitees(db, survey["id"]) == {"resident": "submitted", "worker": "supported"}
    for username in ("resident", "worker"):
        [note] = invitations(db, username)
        assert note.link == f"/surveys/{survey['id']}"
    assert invitations(db, "staff") == []  # who recorded the hotline need is not the person served

    # The supporter finds the survey on their page, on the project's page and in the API.
    worker = client_as("worker")
    me = worker.get("/me").get_data(as_text=True)
    assert "我的测评" in me and "老楼适老化改造" in me and "您支持过本项目所落实的需求" in me
    assert f'href="/surveys/{survey["id"]}"' in me
    page = worker.get(f"/projects/{project.id}").get_data(as_text=True)
    assert 'id="survey-cta"' in page and "诚邀您参与测评：您支持过本项目所落实的需求。" in page
    listed = client.get("/api/v1/me/surveys", headers=api_token("worker"))
    assert listed.status_code == 200
    assert listed.json == {"items": [{
        "survey_id": survey["id"], "project_id": project.id, "project_title": "老楼适老化改造", "open": True,
        "answered": False, "reason": "supported", "reason_label": "您支持过本项目所落实的需求", "closes_on": None,
        "link": f"/surveys/{survey['id']}"}], "total": 1, "page": 1, "per_page": 20}

    assert factories.answer(client, survey, 5, headers=api_token("worker")).status_code == 201
    assert client.get("/api/v1/me/surveys", headers=api_token("worker")).json["items"][0]["answered"] is True
    assert "已参与，谢谢" in worker.get("/me").get_data(as_text=True)
    assert 'id="survey-cta"' not in worker.get(f"/projects/{project.id}").get_data(as_text=True)


def test_volunteers_who_served_are_invited(client, db, api_token):
    from coordination.demo.volunteers import load_reference
    from coordination.projects import operations as projects
    from coordination.volunteers import operations as volunteering

    load_reference()
    for role in ("resident", "worker"):
        volunteering.save_profile(user(db, role), volunteering.ProfileInput(
            party_member=False, party_org=None, skills=["沪语教学"], willingness="周末有空。", availability=None,
            public=True))
    db.session.commit()
    project = factories.build(db, "claimed", title="楼组微更新", need_title="楼道墙面翻新", volunteer_places=4)
    signups = {role: client.post(f"/api/v1/projects/{project.id}/volunteers", json={},
                                 headers=api_token(role)).json["id"] for role in ("resident", "worker")}
    checked = client.post(f"/api/v1/projects/{project.id}/volunteers/{signups['worker']}/check-in",
                          headers=api_token("unit_rep"))
    assert checked.status_code == 200  # the worker came; the resident signed up and did not
    projects.complete_project(user(db, "unitrep"), project.id, "楼道墙面已翻新。")
    db.session.commit()

    survey = factories.open_evaluation(client, api_token, project.id)

    # the resident raised the project's need (factories.build); the worker served on it
    assert invitees(db, survey["id"]) == {"resident": "submitted", "worker": "served"}
    assert len(invitations(db, "worker")) == 1
    assert invitations(db, "unitrep") == []


def test_my_surveys_put_the_open_ones_first(client, db, api_token):
    earlier = factories.build(db, "completed", title="午间公益一小时", need_title="午间公益")
    later = factories.build(db, "completed", title="白领课堂", need_title="白领课堂进社区")
    closed = factories.open_evaluation(client, api_token, later.id)
    factories.close_survey(client, api_token, closed["id"])
    still_open = factories.open_evaluation(client, api_token, earlier.id)

    listed = client.get("/api/v1/me/surveys?per_page=1&page=2", headers=api_token("resident")).json
    assert (listed["total"], [i["survey_id"] for i in listed["items"]]) == (2, [closed["id"]])
    items = client.get("/api/v1/me/surveys", headers=api_token("resident")).json["items"]
    assert [(i["survey_id"], i["open"]) for i in items] == [(still_open["id"], True), (closed["id"], False)]
    assert client.get("/api/v1/me/surveys").status_code == 401
    assert client.get("/api/v1/me/surveys", headers=api_token("staff")).json["items"] == []
