"""Races over real HTTP with gunicorn, on each database: 100 clients send the same
once-only request at the same moment (a barrier releases them together); exactly one
succeeds, the rest get the documented answer, one row and one audit record remain."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
import requests
from flask_babel import force_locale
from flask_babel import gettext
from sqlalchemy import func
from sqlalchemy import select

from coordination.core.models import AuditRecord
from coordination.evaluation import operations as evaluation
from coordination.evaluation import operations as selections
from coordination.evaluation.models import Ballot
from coordination.evaluation.models import Nominee
from coordination.evaluation.models import SurveyInvite
from coordination.evaluation.models import SurveyResponse
from coordination.extensions import db
from coordination.needs import operations as needs
from coordination.needs.models import NeedSupport
from coordination.places.models import MemberUnit
from coordination.projects.models import CouncilVote
from coordination.projects.models import Project
from coordination.projects.queries import council_members
from tests.factories import build
from tests.factories import user
from tests.load.conftest import CSRF_RE
from tests.load.conftest import bearer
from tests.load.conftest import web_login
from tests.load.server import GunicornServer
from tests.load.server import bulk_accounts
from tests.load.server import token_for

CLIENTS = 100
pytestmark = pytest.mark.stress


def _audits(action: str, object_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditRecord).where(
        AuditRecord.action == action, AuditRecord.object_id == object_id))


@pytest.fixture(scope="module")
def world(database_kind, database_url_factory, tmp_path_factory):
    """One seeded database with a target for every race, 100 unit contacts and 100 community
    committee members with tokens, and gunicorn (4 workers × 8 threads) serving it."""
    from tests.load.server import app_for
    from tests.load.server import seeded_database

    url = database_url_factory(database_kind)
    seeded_database(url)
    app = app_for(url)
    w = {"kind": database_kind}
    with app.app_context():
        unit_ids = db.session.scalars(select(MemberUnit.id).order_by(MemberUnit.id)).all()
        w["claim"] = build(db, "published", title="认领竞争").id
        w["vote"] = build(db, "proposed", title="表决竞争").id
        w["threshold"] = build(db, "proposed", title="过半竞争").id
        w["council_size"] = len(council_members(db.session.get(Project, w["threshold"])))
        w["decision"] = build(db, "resolved", title="决定竞争").id
        w["support"] = needs.submit_need(user(db, "worker"), needs.NeedInput(
            kind="idea", title="支持竞争", description="楼下增设共享书架。", place_id=user(db, "worker").place_id)).id
        completed = build(db, "completed", title="测评竞争")
        survey = evaluation.open_evaluation(user(db, "staff"), completed.id)
        w["survey"] = survey.id
        w["overall"] = next(q.id for q in survey.questions if q.overall)
        w["code"] = evaluation.create_invites(user(db, "staff"), survey, 1)[0]
        second = build(db, "completed", title="评选项目二")
        selection = selections.open_selection(user(db, "street"), date.today().year, [completed.id, second.id], 2)
        w["selection"] = selection.id
        w["nominees"] = [n.id for n in selection.nominees]
        db.session.commit()
        w["messages"] = {}
        with app.test_request_context(), force_locale("zh_CN"):
            w["messages"] = {"cast": gettext("Thank you, your ballot is cast."),
                             "again": gettext("You have already voted.")}
        db.session.remove()
    w["reps"] = bulk_accounts(app, "racerep", CLIENTS, "unit_rep", unit_ids=unit_ids)
    w["committee"] = bulk_accounts(app, "racecom", CLIENTS, "community_committee")
    w["council"] = token_for(app, "council")
    w["councils"] = [token_for(app, name) for name in ("council", "council2", "council3", "council4", "council5")]
    w["resident"] = token_for(app, "resident")
    server = GunicornServer(url, workers=4, threads=8, log_dir=tmp_path_factory.mktemp("races")).start()
    w["base"] = server.url
    w["app"] = app
    yield w
    server.stop()
    with app.app_context():
        db.engine.dispose()


def audits_now(world, action: str, object_id: int) -> int:
    """The audit records of ``action`` on the object so far (each race counts only its own)."""
    with world["app"].app_context():
        count = _audits(action, object_id)
        db.session.remove()
    return count


def race(send, clients=CLIENTS) -> list[requests.Response]:
    """``send(i, session)`` by ``clients`` threads released together by a barrier."""
    barrier = threading.Barrier(clients, timeout=120)

    def one(i):
        with requests.Session() as session:
            barrier.wait()
            return send(i, session)

    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(one, range(clients)))


def report(name: str, world, responses, rows: int, audits: int, statuses=None) -> None:
    statuses = statuses or Counter(r.status_code for r in responses)
    shown = ", ".join(f"{n} × {s}" for s, n in sorted(statuses.items(), key=lambda kv: -kv[1]))
    print(f"\n[{world['kind']}] {name}: {len(responses)} clients → {shown}; rows {rows}, audit records {audits}")


def test_claims(world):
    pid = world["claim"]
    before = audits_now(world, "project.claim", pid)
    responses = race(lambda i, s: s.post(f"{world['base']}/api/v1/projects/{pid}/claim", json={},
                                         headers=bearer(world["reps"][i]), timeout=120))
    with world["app"].app_context():
        project = db.session.get(Project, pid)
        rows = db.session.scalar(select(func.count()).select_from(Project).where(
            Project.id == pid, Project.lead_unit_id.is_not(None)))
        audits = _audits("project.claim", pid) - before
        lead = project.lead_unit.name
        db.session.remove()
    report("claims", world, responses, rows, audits)
    assert sorted(r.status_code for r in responses) == [200] + [409] * (CLIENTS - 1)
    assert all(r.json()["error"]["lead_unit"]["name"] == lead for r in responses if r.status_code == 409)
    assert (rows, audits) == (1, 1)


def test_council_votes(world):
    pid = world["vote"]
    before = audits_now(world, "project.vote", pid)
    responses = race(lambda i, s: s.post(f"{world['base']}/api/v1/projects/{pid}/votes", json={"vote": "abstain"},
                                         headers=bearer(world["council"]), timeout=120))
    with world["app"].app_context():
        voter = user(db, "council").id
        rows = db.session.scalar(select(func.count()).select_from(CouncilVote).where(
            CouncilVote.project_id == pid, CouncilVote.voter_id == voter))
        audits = _audits("project.vote", pid) - before
        db.session.remove()
    report("council votes (one member)", world, responses, rows, audits)
    assert sorted(r.status_code for r in responses) == [200] + [409] * (CLIENTS - 1)
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} == {"conflict"}
    assert (rows, audits) == (1, 1)


def test_council_votes_reaching_the_majority_together(world):
    """The five council members vote approve at once, 20 requests each: each member's first vote
    counts until the majority resolves the project, which happens exactly once."""
    pid, size = world["threshold"], world["council_size"]
    assert size == len(world["councils"])
    majority = size // 2 + 1
    before = audits_now(world, "project.vote", pid), audits_now(world, "project.resolve", pid)
    responses = race(lambda i, s: s.post(f"{world['base']}/api/v1/projects/{pid}/votes", json={"vote": "approve"},
                                         headers=bearer(world["councils"][i % size]), timeout=120))
    with world["app"].app_context():
        rows = db.session.scalar(select(func.count()).select_from(CouncilVote).where(CouncilVote.project_id == pid))
        votes = _audits("project.vote", pid) - before[0]
        resolved = _audits("project.resolve", pid) - before[1]
        status = db.session.get(Project, pid).status.value
        db.session.remove()
    report(f"council votes ({size} members × {CLIENTS // size}, majority {majority})", world, responses, rows, votes)
    print(f"    … and {resolved} project.resolve record, the project is {status}")
    assert sorted(r.status_code for r in responses) == [200] * majority + [409] * (CLIENTS - majority)
    assert (rows, votes, resolved, status) == (majority, majority, 1, "resolved")


def test_supports(world):
    nid = world["support"]
    before = audits_now(world, "need.support", nid)
    responses = race(lambda i, s: s.post(f"{world['base']}/api/v1/needs/{nid}/support",
                                         headers=bearer(world["resident"]), timeout=120))
    with world["app"].app_context():
        resident = user(db, "resident").id
        rows = db.session.scalar(select(func.count()).select_from(NeedSupport).where(
            NeedSupport.need_id == nid, NeedSupport.user_id == resident))
        total = db.session.scalar(select(func.count()).select_from(NeedSupport).where(NeedSupport.need_id == nid))
        audits = _audits("need.support", nid) - before
        db.session.remove()
    report("supports (one person; 200 = no change after the first)", world, responses, rows, audits)
    assert [r.status_code for r in responses] == [200] * CLIENTS
    assert {r.json()["supports"] for r in responses} == {total}
    assert (rows, total, audits) == (1, 1, 1)


def _answer(world, **extra):
    return {"answers": [{"question_id": world["overall"], "score": 5}], **extra}


def test_survey_responses_by_person(world):
    sid = world["survey"]
    before = audits_now(world, "survey.response", sid)
    responses = race(lambda i, s: s.post(f"{world['base']}/api/v1/surveys/{sid}/responses", json=_answer(world),
                                         headers=bearer(world["resident"]), timeout=120))
    with world["app"].app_context():
        rows = db.session.scalar(select(func.count()).select_from(SurveyResponse).where(
            SurveyResponse.survey_id == sid, SurveyResponse.respondent_id == user(db, "resident").id))
        audits = _audits("survey.response", sid) - before
        db.session.remove()
    report("survey responses (one person)", world, responses, rows, audits)
    assert sorted(r.status_code for r in responses) == [201] + [409] * (CLIENTS - 1)
    assert (rows, audits) == (1, 1)


def test_survey_responses_by_invite_code(world):
    sid = world["survey"]
    before = audits_now(world, "survey.response", sid)
    responses = race(lambda i, s: s.post(f"{world['base']}/api/v1/surveys/{sid}/responses",
                                         json=_answer(world, invite_code=world["code"]), timeout=120))
    with world["app"].app_context():
        rows = db.session.scalar(select(func.count()).select_from(SurveyResponse)
                                 .join(SurveyInvite, SurveyInvite.id == SurveyResponse.invite_id)
                                 .where(SurveyResponse.survey_id == sid))
        audits = _audits("survey.response", sid) - before
        db.session.remove()
    report("survey responses (one invite code, anonymous clients)", world, responses, rows, audits)
    assert sorted(r.status_code for r in responses) == [201] + [409] * (CLIENTS - 1)
    assert (rows, audits) == (1, 1)


def test_committee_decisions(world):
    pid = world["decision"]
    before = audits_now(world, "project.approve", pid)
    responses = race(lambda i, s: s.post(f"{world['base']}/api/v1/projects/{pid}/decision",
                                         json={"decision": "approve", "comment": "同意"},
                                         headers=bearer(world["committee"][i]), timeout=120))
    with world["app"].app_context():
        rows = db.session.scalar(select(func.count()).select_from(Project).where(
            Project.id == pid, Project.status == "published"))
        audits = _audits("project.approve", pid) - before
        db.session.remove()
    report("committee decisions (100 committee members)", world, responses, rows, audits)
    assert sorted(r.status_code for r in responses) == [200] + [409] * (CLIENTS - 1)
    assert {r.json()["error"]["current_status"] for r in responses if r.status_code == 409} == {"published"}
    assert (rows, audits) == (1, 1)


def test_ballots(world):
    base, sel = world["base"], world["selection"]
    before = audits_now(world, "selection.ballot", sel)
    browser = web_login(base, "resident")
    match = CSRF_RE.search(browser.get(f"{base}/selection", timeout=60).text)
    csrf = match.group(1) or match.group(2)

    def vote(i, session):
        session.cookies.update(browser.cookies)  # the same person in 100 browsers
        posted = session.post(f"{base}/selection/{sel}/ballot", data={"csrf_token": csrf,
                                                                      "nominee_ids": world["nominees"][:1]},
                              allow_redirects=False, timeout=120)
        page = session.get(f"{base}/selection", timeout=120).text if posted.status_code == 302 else ""
        posted.outcome = ("cast" if world["messages"]["cast"] in page else
                          "again" if world["messages"]["again"] in page else f"status {posted.status_code}")
        return posted

    responses = race(vote)
    with world["app"].app_context():
        rows = db.session.scalar(select(func.count()).select_from(Ballot).where(
            Ballot.selection_id == sel, Ballot.voter_id == user(db, "resident").id))
        audits = _audits("selection.ballot", sel) - before
        votes = db.session.scalar(select(func.sum(Nominee.votes)).where(Nominee.selection_id == sel))
        db.session.remove()
    outcomes = Counter(r.outcome for r in responses)
    report("ballots (one person, web form; 302 then the page says)", world, responses, rows, audits,
           statuses=Counter({f"302 “{world['messages'].get(k, k)}”": v for k, v in outcomes.items()}))
    assert outcomes == Counter({"cast": 1, "again": CLIENTS - 1})
    assert (rows, audits, votes) == (1, 1, 1)
