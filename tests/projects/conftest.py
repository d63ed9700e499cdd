"""Build projects in any status through the real operations."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from coordination.accounts.models import User
from coordination.core.enums import ProjectStatus, VoteChoice
from coordination.needs import operations as needs
from coordination.needs.models import Category
from coordination.places.models import Place
from coordination.projects import operations as projects

ORDER = ["draft", "proposed", "resolved", "published", "claimed", "completed"]


def user(db, username):
    return db.session.scalar(select(User).where(User.username == username))


def accepted_need(db, title="楼道感应灯维修", place="福山居民区"):
    place_id = db.session.scalar(select(Place.id).where(Place.name == place))
    need = needs.submit_need(user(db, "resident"), needs.NeedInput(
        kind="wish", title=title, description="楼道很暗。", place_id=place_id))
    category_id = db.session.scalar(select(Category.id).where(Category.code == 6))
    return needs.accept_need(user(db, "staff"), need.id, category_id)


def build(db, status: str = "draft", claimer: str = "unitrep", **overrides):
    """A project in ``status`` (draft … completed, or rejected), committed."""
    need = accepted_need(db, title=overrides.get("need_title", "楼道感应灯维修"))
    data = projects.ProjectInput(
        title=overrides.get("title", "楼道灯光改造"), description="为老楼楼道更换感应灯。",
        category_id=need.category_id, place_id=need.place_id, need_ids=[need.id], budget="12000",
        planned_start=date.today() - timedelta(days=30), planned_end=overrides.get("planned_end", date.today() + timedelta(days=60)),
        funding=[{"source": "self_governance", "amount": "8000"}, {"source": "unit", "amount": "4000"}])
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


@pytest.fixture()
def make_project(db):
    return lambda status="draft", **kw: build(db, status, **kw)
