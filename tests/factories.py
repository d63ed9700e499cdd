"""Builders of test data: users looked up, needs, projects in any status and evaluations, made
through the real operations or the API (never by writing rows by hand). Fixtures in the
conftests are thin wrappers around these."""

from __future__ import annotations

import io
from datetime import date
from datetime import timedelta

from PIL import Image
from sqlalchemy import select

from coordination.accounts.models import User
from coordination.needs import operations as needs
from coordination.needs.models import Category
from coordination.needs.models import Need
from coordination.places.enums import PlaceKind
from coordination.places.models import Place
from coordination.projects import operations as projects
from coordination.projects.enums import ProjectStatus
from coordination.projects.enums import VoteChoice

ORDER = ["draft", "proposed", "resolved", "published", "claimed", "completed"]


# people and places

def user(db, username):
    return db.session.scalar(select(User).where(User.username == username))


def place_ids(db) -> dict[str, int]:
    """{name: id} of the demo communities and buildings."""
    return {p.name: p.id for p in db.session.scalars(select(Place).where(Place.kind != PlaceKind.AREA))}


# needs

def accepted_need(db, title="楼道感应灯维修", place="福山居民区"):
    place_id = db.session.scalar(select(Place.id).where(Place.name == place))
    need = needs.submit_need(user(db, "resident"), needs.NeedInput(
        kind="wish", title=title, description="楼道很暗。", place_id=place_id))
    category_id = db.session.scalar(select(Category.id).where(Category.code == 6))
    return needs.accept_need(user(db, "staff"), need.id, category_id)


# a need staff record from the hotline for 王阿婆, with her phone number (``submit("staff", **HOTLINE_NEED)``)
HOTLINE_NEED = {"kind": "request", "title": "热线反映", "description": "楼道灯坏了", "channel": "hotline",
                "on_behalf_of": {"name": "王阿婆", "phone": "13900001111"}}


def submit_need(client, api_token, title: str = "小区路灯不亮") -> None:
    """A resident's wish through the API, in the last place the API lists."""
    place_id = client.get("/api/v1/places").json["items"][-1]["id"]
    response = client.post("/api/v1/needs", json={"kind": "wish", "title": title, "description": "晚上很暗。",
                                                  "place_id": place_id}, headers=api_token("resident"))
    assert response.status_code == 201, response.json


def png(width=40, height=30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def post_need(client, places, **fields):
    """The web form for a new need, posted by ``client``; ``fields`` override the defaults."""
    from tests.conftest import csrf_token

    data = {"csrf_token": csrf_token(client, "/needs/new?offline=0"), "kind": "wish", "title": "楼道装感应灯",
            "description": "3号楼2单元楼道晚上很暗。", "place_id": str(places["福山居民区"]), "category_id": "0"}
    data.update(fields)
    return client.post("/needs/new?offline=0", data=data, content_type="multipart/form-data")


# projects

def build(db, status: str = "draft", claimer: str = "unitrep", need_ids: list[int] | None = None, **overrides):
    """A project in ``status`` (draft … completed, or rejected), committed; built on the accepted
    needs ``need_ids``, else on a new need of the demo resident."""
    need = db.session.get(Need, need_ids[0]) if need_ids else accepted_need(
        db, title=overrides.get("need_title", "楼道感应灯维修"))
    data = projects.ProjectInput(
        title=overrides.get("title", "楼道灯光改造"), description="为老楼楼道更换感应灯。",
        category_id=need.category_id, place_id=need.place_id, need_ids=need_ids or [need.id], budget="12000",
        planned_start=date.today() - timedelta(days=30), planned_end=overrides.get("planned_end", date.today() + timedelta(days=60)),
        funding=[{"source": "self_governance", "amount": "8000"}, {"source": "unit", "amount": "4000"}],
        volunteer_places=overrides.get("volunteer_places"))
    project = projects.create_project(user(db, "staff"), data)
    if status == "rejected":
        projects.propose_project(user(db, "staff"), project.id)
        for name in ("council", "council2", "council3"):
            projects.vote_on_project(user(db, name), project.id, VoteChoice.REJECT)
    else:
        target = ORDER.index(status)
        if target >= 1:
            projects.propose_project(user(db, "staff"), project.id)
        if target >= 2:
            for name in ("council", "council2", "council3"):
                projects.vote_on_project(user(db, name), project.id, VoteChoice.APPROVE)
        if target >= 3:
            projects.approve_project(user(db, "community"), project.id, "同意")
        if target >= 4:
            projects.claim_project(user(db, claimer), project.id)
        if target >= 5:
            projects.complete_project(user(db, claimer), project.id, "项目已完成，共更换感应灯36盏。")
    db.session.commit()
    assert project.status == ProjectStatus(status)
    return project


# evaluations

def open_evaluation(client, api_token, project_id: int, reader: str = "staff") -> dict:
    """Staff open the evaluation of a completed project; returns the survey as ``reader`` sees it."""
    response = client.post(f"/api/v1/projects/{project_id}/evaluation/open", json={}, headers=api_token("staff"))
    assert response.status_code == 200, response.json
    survey_id = response.json["survey_id"]
    return client.get(f"/api/v1/surveys/{survey_id}", headers=api_token(reader)).json


def overall_id(survey) -> int:
    return next(q["id"] for q in survey["questions"] if q["overall"])


def answer(client, survey, score, headers=None, **extra):
    """One response giving ``score`` to the overall question."""
    body = {"answers": [{"question_id": overall_id(survey), "score": score}], **extra}
    return client.post(f"/api/v1/surveys/{survey['id']}/responses", json=body, headers=headers or {})


def score_indicators(client, api_token, project_id: int, score: int = 85) -> None:
    """Staff score the first indicator (an evaluation needs an indicator score to be accepted)."""
    first = client.get("/api/v1/indicators", headers=api_token("staff")).json["items"][0]["id"]
    response = client.post(f"/api/v1/projects/{project_id}/indicator-scores", headers=api_token("staff"),
                           json={"scores": [{"indicator_id": first, "score": score}]})
    assert response.status_code == 200, response.json


def close_survey(client, api_token, survey_id: int):
    response = client.post(f"/api/v1/surveys/{survey_id}/close", headers=api_token("staff"))
    assert response.status_code == 200, response.json
    return response


def ready_for_review(client, api_token, project_id: int, survey_id: int) -> None:
    """What the street committee needs before accepting: indicator scores and a closed survey
    (the responses are the test's own)."""
    score_indicators(client, api_token, project_id)
    close_survey(client, api_token, survey_id)
