"""Maintained figures equal a fresh recount after any sequence of operations, and the public
figures read from them are exactly those the big tables give."""

from __future__ import annotations

import random
from datetime import date
from datetime import timedelta

import pytest
from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update

from coordination.accounts.operations import create_user
from coordination.core import counters
from coordination.core.errors import DomainError
from coordination.evaluation import operations as evaluation
from coordination.evaluation.enums import EvaluationGap
from coordination.evaluation.models import Indicator
from coordination.evaluation.models import Survey
from coordination.evaluation.models import SurveyAnswer
from coordination.evaluation.models import SurveyQuestion
from coordination.needs import operations as needs
from coordination.needs.models import Category
from coordination.needs.models import Need
from coordination.needs.models import NeedTally
from coordination.needs.rules import NeedStep
from coordination.places.models import Place
from coordination.portal import queries as stats
from coordination.projects import operations as projects
from coordination.projects.enums import ProjectStatus
from coordination.projects.enums import VoteChoice
from coordination.projects.models import Project
from coordination.projects.rules import ProjectStep
from tests.factories import user

TITLES = ["加装电梯", "楼道照明", "健身器材", "图书角", "老人助餐", "停车位", "wifi信号差", "充电桩"]


def attempt(db, operation, *args, **kwargs):
    """Run one operation as a request would: all of it, or (on a refusal) none of it."""
    savepoint = db.session.begin_nested()
    try:
        result = operation(*args, **kwargs)
        db.session.flush()
    except DomainError:
        savepoint.rollback()
        return None
    savepoint.commit()
    return result


def advance(db, rng, project_id: int) -> None:
    """The next step of a project's life, taken by the role that takes it."""
    project = db.session.get(Project, project_id)
    status = project.status
    if status == ProjectStatus.DRAFT:
        attempt(db, projects.propose_project, user(db, "staff"), project_id)
    elif status == ProjectStatus.PROPOSED:
        voter = rng.choice(["council", "council2", "council3", "council4", "council5"])
        attempt(db, projects.vote_on_project, user(db, voter), project_id,
                rng.choice([VoteChoice.APPROVE] * 4 + [VoteChoice.REJECT, VoteChoice.ABSTAIN]))
    elif status == ProjectStatus.RESOLVED:
        attempt(db, projects.decide, user(db, "community"), project_id,
                rng.choice([ProjectStep.APPROVE] * 3 + [ProjectStep.RETURN]),
                "意见")
    elif status == ProjectStatus.PUBLISHED:
        attempt(db, projects.claim_project, user(db, rng.choice(["unitrep", "unitrep2"])), project_id)
    elif status == ProjectStatus.CLAIMED:
        attempt(db, projects.complete_project, _rep_of(db, project), project_id, "项目已完成。")
    elif status == ProjectStatus.COMPLETED:
        attempt(db, evaluation.open_evaluation, user(db, "staff"), project_id)
    elif status == ProjectStatus.EVALUATING:
        survey = db.session.scalar(select(Survey).where(Survey.project_id == project_id))
        gaps = evaluation.acceptance_gaps(project_id)
        roll = rng.random()
        if EvaluationGap.NO_RESPONSES in gaps or (EvaluationGap.SURVEY_OPEN in gaps and roll < 0.6):
            answers = [evaluation.AnswerInput(question_id=q.id, score=rng.randint(1, 5))
                       for q in survey.questions if q.kind.value == "likert"]
            attempt(db, evaluation.submit_response, user(db, "staff"), survey.id, answers,
                    method=rng.choice(["paper", "visit"]))
        elif EvaluationGap.NO_INDICATOR_SCORES in gaps:
            indicator = db.session.scalar(select(Indicator).where(Indicator.active).order_by(Indicator.id))
            attempt(db, evaluation.score_indicators, user(db, "staff"), project_id,
                    [{"indicator_id": indicator.id, "score": rng.randint(60, 100)}])
        elif EvaluationGap.SURVEY_OPEN in gaps and roll < 0.8:
            attempt(db, evaluation.close_survey, user(db, "staff"), survey)
        else:  # accepted once nothing is missing, refused while the survey is still open
            attempt(db, evaluation.accept_evaluation, user(db, "street"), project_id, "通过")


def _rep_of(db, project):
    for name in ("unitrep", "unitrep2"):
        rep = user(db, name)
        if rep.unit_id == project.lead_unit_id:
            return rep
    raise AssertionError("no representative of the lead unit")


def random_street(db, seed: int, steps: int) -> None:
    rng = random.Random(seed)
    places = db.session.scalars(select(Place).where(Place.area_id.is_not(None))).all()
    categories = db.session.scalars(select(Category)).all()
    people = [create_user(None, username=f"figures{seed}x{i}", password="Jinse-Niudai-7",
                          roles=["resident" if i % 2 else "worker"], place_id=rng.choice(places).id)
              for i in range(5)] + [user(db, "resident"), user(db, "worker")]
    staff = user(db, "staff")
    project_ids: list[int] = []
    for _ in range(steps):
        ids = db.session.scalars(select(Need.id)).all()
        action = rng.choices(["submit", "offline", "support", "unsupport", "triage", "hide", "project", "advance"],
                             [6, 2, 6, 1, 6, 1, 3 if len(project_ids) < 3 else 0, 16])[0]
        if action in ("submit", "offline") or not ids:
            data = needs.NeedInput(kind=rng.choice(["idea", "wish", "request"]), title=rng.choice(TITLES),
                                   description=rng.choice(TITLES) + "，请尽快解决。", place_id=rng.choice(places).id,
                                   category_id=rng.choice([None, rng.choice(categories).id]))
            if action == "offline":
                data.channel = rng.choice(["meeting_hall", "reception_room", "visit", "hotline"])
                data.requester_name = "王阿姨"
                attempt(db, needs.record_offline_need, staff, data)
            else:
                attempt(db, needs.submit_need, rng.choice(people), data)
        elif action == "support":
            attempt(db, needs.support_need, rng.choice(people), db.session.get(Need, rng.choice(ids)))
        elif action == "unsupport":
            attempt(db, needs.withdraw_support, rng.choice(people), db.session.get(Need, rng.choice(ids)))
        elif action == "triage":
            choice = rng.choice([NeedStep.ACCEPT, NeedStep.ACCEPT, NeedStep.REJECT, NeedStep.MERGE])
            attempt(db, needs.triage, staff, rng.choice(ids), choice,
                    category_id=rng.choice(categories).id, reason="不属于受理范围", merge_into=rng.choice(ids))
        elif action == "hide":
            need = db.session.get(Need, rng.choice(ids))
            if need.hidden:
                attempt(db, needs.unhide_need, staff, need)
            else:
                attempt(db, needs.hide_need, staff, need, "广告")
        elif action == "project":
            accepted = db.session.scalars(select(Need).where(Need.status == "accepted", Need.hidden.is_(False))).all()
            if accepted:
                need = rng.choice(accepted)
                project = attempt(db, projects.create_project, staff, projects.ProjectInput(
                    title=need.title + "项目", description="为居民办实事。", category_id=need.category_id,
                    place_id=need.place_id, need_ids=[need.id], budget="5000",
                    planned_start=date.today(), planned_end=date.today() + timedelta(days=60)))
                if project is not None:
                    project_ids.append(project.id)
        elif project_ids:
            advance(db, rng, rng.choice(project_ids))
    db.session.commit()


def old_summary(db) -> dict:
    """The public figures as computed before they were maintained (GROUP BY over the tables)."""
    by_status = {s.value: n for s, n in db.session.execute(
        select(Need.status, func.count()).where(Need.hidden.is_(False)).group_by(Need.status))}
    by_category = {str(code): n for code, n in db.session.execute(
        select(Category.code, func.count(Need.id)).join(Need, Need.category_id == Category.id)
        .where(Need.hidden.is_(False)).group_by(Category.code))}
    projects_by_status = {s.value: n for s, n in db.session.execute(
        select(Project.status, func.count()).group_by(Project.status))}
    answered, satisfied = db.session.execute(
        select(func.count(SurveyAnswer.id), func.coalesce(func.sum(case((SurveyAnswer.score >= 4, 1), else_=0)), 0))
        .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
        .join(Survey, Survey.id == SurveyQuestion.survey_id).join(Project, Project.id == Survey.project_id)
        .where(SurveyQuestion.overall, SurveyAnswer.score.is_not(None), Project.status == ProjectStatus.EVALUATED)
    ).one()
    return {"needs": {"by_status": by_status, "by_category": by_category},
            "projects": {"by_status": projects_by_status},
            "satisfaction_rate": round(int(satisfied) / int(answered), 4) if answered else None}


@pytest.mark.parametrize("seed", [1, 2])
def test_every_maintained_figure_equals_a_fresh_recount_after_random_operations(db, seed):
    random_street(db, seed, steps=260)
    assert counters.check() == {}
    summary = stats.summary()
    expected = old_summary(db)
    assert {k: summary[k] for k in expected} == expected
    reached = dict(db.session.execute(select(Project.status, func.count()).group_by(Project.status)).all())
    assert reached.get(ProjectStatus.EVALUATED, 0) >= 1, reached
    assert expected["satisfaction_rate"] is not None


def test_a_new_need_counts_at_once(client, db, api_token):
    place_id = db.session.scalar(select(Place.id).where(Place.name == "福山居民区"))
    before = client.get("/api/v1/stats/summary").json["needs"]["by_status"].get("submitted", 0)
    response = client.post("/api/v1/needs", headers=api_token("resident"), json={
        "kind": "wish", "title": "楼道感应灯坏了", "description": "3号楼的灯坏了。", "place_id": place_id})
    assert response.status_code == 201
    assert client.get("/api/v1/stats/summary").json["needs"]["by_status"]["submitted"] == before + 1


def test_check_finds_a_drifted_figure_and_rebuild_all_mends_it(app, db):
    random_street(db, 3, steps=40)
    db.session.execute(update(NeedTally).values(count=NeedTally.count + 1))
    db.session.execute(update(Need).where(Need.id == db.session.scalar(select(func.min(Need.id))))
                       .values(support_count=Need.support_count + 5, search_grams=""))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["figures", "check"])
    assert result.exit_code == 1
    assert "need_tallies" in result.output and "support_count: 1 needs differ" in result.output
    assert "needs.search_grams: 1 rows stale" in result.output
    counters.rebuild_all()
    assert counters.check() == {}
    result = runner.invoke(args=["figures", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Every maintained figure matches a fresh recount."
