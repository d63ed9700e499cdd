"""``seed scale``: the generated street is consistent and every busy page answers on it."""

from __future__ import annotations

from collections import defaultdict

import pytest
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update

from coordination.accounts.models import User
from coordination.core.models import AuditRecord
from coordination.evaluation.models import Survey
from coordination.evaluation.models import SurveyAnswer
from coordination.evaluation.models import SurveyQuestion
from coordination.evaluation.models import SurveyResponse
from coordination.extensions import db as _db
from coordination.needs.enums import NeedStatus
from coordination.needs.models import Need
from coordination.needs.models import NeedSupport
from coordination.projects.enums import ProjectStatus
from coordination.projects.models import CouncilVote
from coordination.projects.models import Project
from coordination.projects.models import ProjectNeed
from tests.conftest import assert_chains_and_figures_check_out
from tests.conftest import login
from tests.conftest import make_app

SIZES = ["--needs", "2000", "--projects", "100", "--answers", "5000"]


@pytest.fixture(scope="module")
def street(database_kind, database_url_factory):
    """An app on its own database holding a small generated street."""
    from flask_migrate import upgrade

    app = make_app(database_url_factory(database_kind))
    with app.app_context():
        upgrade()
        _db.session.remove()
    result = app.test_cli_runner().invoke(args=["seed", "scale", *SIZES])
    assert result.exit_code == 0, result.output
    assert "Generated" in result.output
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def scalar(query):
    return _db.session.scalar(query)


def test_every_status_is_there_in_the_asked_numbers(street):
    with street.app_context():
        needs = dict(_db.session.execute(select(Need.status, func.count()).group_by(Need.status)).all())
        projects = dict(_db.session.execute(select(Project.status, func.count()).group_by(Project.status)).all())
        assert set(needs) == set(NeedStatus)
        assert set(projects) == set(ProjectStatus)
        assert sum(needs.values()) == 2000
        assert sum(projects.values()) == 100
        answers = scalar(select(func.count()).select_from(SurveyAnswer))
        assert 4500 <= answers <= 5500
        assert scalar(select(func.count()).select_from(Need).where(Need.title.contains("电梯"))) > 50


def test_the_generated_chains_and_figures_check_out(street):
    """The seed writes the audit rows already linked and rebuilds the figures after a load with
    the triggers off: what the operators' own checks say about it."""
    assert_chains_and_figures_check_out(street)


def test_counts_and_links_agree_with_the_rows(street):
    with street.app_context():
        counted = dict(_db.session.execute(select(NeedSupport.need_id, func.count()).group_by(NeedSupport.need_id)).all())
        stored = dict(_db.session.execute(select(Need.id, Need.support_count)).all())
        assert {k: v for k, v in stored.items() if v} == counted
        assert max(stored.values()) >= 50  # a few needs gather many supports, most have few
        # A need in a project follows its project's status.
        rows = _db.session.execute(select(Need.status, Project.status).join(ProjectNeed, ProjectNeed.need_id == Need.id)
                                   .join(Project, Project.id == ProjectNeed.project_id)).all()
        delivered = {ProjectStatus.COMPLETED, ProjectStatus.EVALUATING, ProjectStatus.EVALUATED}
        for need_status, project_status in rows:
            if project_status in delivered:
                assert need_status == NeedStatus.FULFILLED
            elif project_status in (ProjectStatus.PUBLISHED, ProjectStatus.CLAIMED):
                assert need_status == NeedStatus.IN_PROJECT
            else:
                assert need_status == NeedStatus.ACCEPTED
        linked = {s for s, in _db.session.execute(select(Need.status).where(Need.id.in_(select(ProjectNeed.need_id))))}
        lone = scalar(select(func.count()).select_from(Need).where(
            Need.status.in_([NeedStatus.IN_PROJECT, NeedStatus.FULFILLED]), Need.id.not_in(select(ProjectNeed.need_id))))
        assert lone == 0 and NeedStatus.FULFILLED in linked
        target = _db.aliased(Need)
        bad_targets = scalar(select(func.count()).select_from(Need).join(target, target.id == Need.merged_into_id)
                             .where(target.status.in_([NeedStatus.REJECTED, NeedStatus.MERGED])))
        assert bad_targets == 0
        # Council votes: once per member and round (the unique constraint), never more than the council.
        per_project = select(func.count().label("n")).select_from(CouncilVote).group_by(CouncilVote.project_id).subquery()
        assert scalar(select(func.max(per_project.c.n))) <= 5
        # One overall question per survey, and every response answered it.
        overall = scalar(select(func.count()).select_from(SurveyQuestion).where(SurveyQuestion.overall))
        assert overall == scalar(select(func.count()).select_from(Survey))
        unanswered = scalar(select(func.count()).select_from(SurveyResponse).where(~SurveyResponse.answers.any(
            SurveyAnswer.question_id.in_(select(SurveyQuestion.id).where(SurveyQuestion.overall)))))
        assert unanswered == 0


@pytest.mark.parametrize("object_type, model, states", [("Project", Project, ProjectStatus),
                                                        ("Need", Need, NeedStatus)])
def test_histories_lead_to_the_current_status_in_time_order(street, object_type, model, states):
    with street.app_context():
        values = {s.value for s in states}
        steps = defaultdict(list)
        for object_id, before, after, at in _db.session.execute(
                select(AuditRecord.object_id, AuditRecord.from_state, AuditRecord.to_state, AuditRecord.at)
                .where(AuditRecord.object_type == object_type, AuditRecord.to_state.in_(values))
                .order_by(AuditRecord.id)):
            steps[object_id].append((before, after, at))
        for object_id, status in _db.session.execute(select(model.id, model.status)):
            history = steps[object_id]
            assert history, f"{object_type} {object_id} has no history"
            assert history[0][0] is None and history[-1][1] == status.value, (object_id, history)
            for (_b, previous, earlier), (before, _a, later) in zip(history, history[1:]):
                assert before == previous and earlier <= later, (object_id, history)


def test_a_second_run_refuses_and_changes_nothing(street):
    with street.app_context():
        before = scalar(select(func.count()).select_from(Need))
        _db.session.remove()
    result = street.test_cli_runner().invoke(args=["seed", "scale", *SIZES])
    assert result.exit_code == 2
    assert "already holds a generated street" in result.output
    with street.app_context():
        assert scalar(select(func.count()).select_from(Need)) == before
        _db.session.remove()


def test_the_busy_pages_answer_on_the_generated_street(street):
    with street.app_context():
        evaluated = scalar(select(Project.id).where(Project.status == ProjectStatus.EVALUATED).order_by(Project.id))
        merged = scalar(select(Need.id).where(Need.status == NeedStatus.MERGED).order_by(Need.id))
        _db.session.remove()
    client = street.test_client()
    for url in ["/needs", "/needs?category_id=3", "/needs?page=20", f"/needs/{merged}", "/projects",
                f"/projects/{evaluated}", "/", "/api/v1/needs?q=电梯", "/api/v1/projects",
                f"/api/v1/projects/{evaluated}"]:
        assert client.get(url).status_code == 200, url
    summary = client.get("/api/v1/stats/summary")
    assert summary.status_code == 200
    assert sum(summary.json["needs"]["by_status"].values()) == 2000 - _hidden(street)
    assert 0.5 < summary.json["satisfaction_rate"] < 1
    history = client.get(f"/api/v1/projects/{evaluated}").json["history"]
    assert [step["to"] for step in history][-1] == "evaluated"
    assert login(client, "street").status_code == 302
    assert client.get("/dashboard").status_code == 200


def test_new_rows_after_the_bulk_load_get_fresh_ids(street):
    """PostgreSQL's sequences were moved past the generated ids: a need submitted now is saved."""
    client = street.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "jm0000001", "password": "Ribbon-2026"})
    assert token.status_code == 200, token.json
    with street.app_context():
        place_id = scalar(select(Need.place_id).order_by(Need.id))
        _db.session.remove()
    created = client.post("/api/v1/needs", headers={"Authorization": f"Bearer {token.json['token']}"},
                          json={"kind": "wish", "title": "楼道路灯又坏了", "description": "晚上看不清台阶。",
                                "place_id": place_id})
    assert created.status_code == 201, created.json
    assert created.json["id"] > 2000


def _hidden(app) -> int:
    with app.app_context():
        count = scalar(select(func.count()).select_from(Need).where(Need.hidden))
        _db.session.remove()
        return count


def test_a_second_run_refuses_when_the_first_person_drawn_is_an_office_worker(street):
    """The first generated person is jm0000001 or bl0000001, as the draw falls (the full street's is an
    office worker): either marks a street as generated."""
    def rename(old: str, new: str) -> None:
        with street.app_context():
            _db.session.execute(update(User).where(User.username == old).values(username=new))
            _db.session.commit()
            _db.session.remove()

    rename("jm0000001", "bl0000001")
    try:
        result = street.test_cli_runner().invoke(args=["seed", "scale", *SIZES])
        assert result.exit_code == 2, result.output
        assert "already holds a generated street" in result.output
    finally:
        rename("bl0000001", "jm0000001")
