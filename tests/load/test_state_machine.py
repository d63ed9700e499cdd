"""A Hypothesis state machine over need → project → claim → evaluation: random roles take
random steps through the API, including roles that may not take them and steps that are not
possible in the current status.

The model predicts, from the rules tables (``needs/rules.py``, ``projects/rules.py``) and
DESIGN.md §3, the exact answer of every request and the exact audit records it writes. After
every step: a refused request changed nothing (no new audit record, both statuses as before);
a successful one wrote exactly the records of its action (one per change: the project's step,
and the need's own record when the project moves its need); the need and the project in the
database are in the statuses the model says.

The normal suite runs a short, derandomized run on each database; ``-m stress`` a longer one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import timedelta

import pytest
from flask.globals import _cv_app
from flask_sqlalchemy.session import _app_ctx_id
from hypothesis import HealthCheck
from hypothesis import Phase
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine
from hypothesis.stateful import initialize
from hypothesis.stateful import invariant
from hypothesis.stateful import rule
from hypothesis.stateful import run_state_machine_as_test
from sqlalchemy import select
from sqlalchemy.orm import scoped_session
from sqlalchemy.orm import sessionmaker

from coordination.accounts.models import User
from coordination.accounts.tokens import issue_token
from coordination.core.enums import Role
from coordination.core.models import AuditRecord
from coordination.evaluation.models import Indicator
from coordination.evaluation.rules import EVALUATION_WORKFLOW
from coordination.evaluation.rules import EvaluationStep
from coordination.extensions import db as _db
from coordination.needs import rules as need_rules
from coordination.needs.enums import NeedStatus as N
from coordination.needs.models import Category
from coordination.needs.models import Need
from coordination.places.models import Place
from coordination.projects.enums import ProjectStatus as P
from coordination.projects.models import Project
from coordination.projects.rules import PROJECT_WORKFLOW
from coordination.projects.rules import ProjectStep

# account name in the model → username of the demo street
ACCOUNTS = {"resident": "resident", "worker": "worker", "unit_rep": "unitrep", "unit_rep2": "unitrep2",
            "staff": "staff", "council": "council", "council2": "council2", "council3": "council3",
            "council4": "council4", "council5": "council5", "community_committee": "community",
            "street_committee": "street", "admin": "admin"}
ROLE_OF = {name: Role(name.rstrip("0123456789")) for name in ACCOUNTS}
NAMES = sorted(ACCOUNTS)

# every action of the loop: (method path template, body)
ACTIONS = ("submit", "accept_need", "reject_need", "create", "propose", "vote_approve", "vote_reject",
           "vote_abstain", "approve", "return", "reject", "claim", "release", "complete", "open_evaluation",
           "answer", "score", "close_survey", "accept_evaluation", "rework_evaluation")
# who normally takes each action (the role that may; ``next_step`` draws it three times in four)
TAKER = {"submit": Role.RESIDENT, "accept_need": Role.STAFF, "reject_need": Role.STAFF, "create": Role.STAFF,
         "propose": Role.STAFF, "vote_approve": Role.COUNCIL, "vote_reject": Role.COUNCIL,
         "vote_abstain": Role.COUNCIL, "approve": Role.COMMUNITY_COMMITTEE, "return": Role.COMMUNITY_COMMITTEE,
         "reject": Role.COMMUNITY_COMMITTEE, "claim": Role.UNIT_REP, "release": Role.STAFF,
         "complete": Role.UNIT_REP, "open_evaluation": Role.STAFF, "answer": Role.RESIDENT,
         "score": Role.STAFF, "close_survey": Role.STAFF,
         "accept_evaluation": Role.STREET_COMMITTEE, "rework_evaluation": Role.STREET_COMMITTEE}
# the actions that move the loop on from each status (drawn by ``next_step``)
NEXT = {
    None: ("submit",),
    N.SUBMITTED: ("accept_need", "accept_need", "accept_need", "reject_need"),
    N.ACCEPTED: ("create",),
    P.DRAFT: ("propose",),
    P.PROPOSED: ("vote_approve", "vote_approve", "vote_approve", "vote_reject", "vote_abstain"),
    P.RESOLVED: ("approve", "approve", "approve", "approve", "return", "reject"),
    P.PUBLISHED: ("claim",),
    P.CLAIMED: ("complete", "complete", "complete", "release"),
    P.COMPLETED: ("open_evaluation",),
    P.EVALUATING: ("answer", "answer", "score", "close_survey", "accept_evaluation", "rework_evaluation"),
}
# action → (its workflow, its step)
PROJECT_STEPS = {
    **{name: (PROJECT_WORKFLOW, ProjectStep(name))
       for name in ("propose", "approve", "return", "reject", "claim", "release", "complete")},
    "open_evaluation": (EVALUATION_WORKFLOW, EvaluationStep.OPEN_EVALUATION),
    "accept_evaluation": (EVALUATION_WORKFLOW, EvaluationStep.ACCEPT_EVALUATION),
    "rework_evaluation": (EVALUATION_WORKFLOW, EvaluationStep.SEND_BACK_EVALUATION),
}


@dataclass
class Expected:
    """What the model predicts for one request."""
    status: int
    records: list[tuple[str, str, int]] = field(default_factory=list)  # (action, object type, object id)
    apply: object = None  # called after a success to move the model on


# who sees drafts and proposals (projects/permissions.py ``can_view``)
VIEW_INTERNAL = {Role.STAFF, Role.COUNCIL, Role.COMMUNITY_COMMITTEE, Role.STREET_COMMITTEE, Role.ADMIN}


class Loop(RuleBasedStateMachine):
    app = None  # set by the test
    totals: Counter = Counter()

    def __init__(self):
        super().__init__()
        self._ctx = self.app.app_context()
        self._ctx.push()
        self.connection = _db.engine.connect()
        self.outer = self.connection.begin()
        self.original = _db.session
        _db.session = scoped_session(sessionmaker(bind=self.connection, join_transaction_mode="create_savepoint"),
                                     scopefunc=_app_ctx_id)
        self.client = self.app.test_client()
        users = {u.username: u for u in _db.session.scalars(select(User).where(User.username.in_(ACCOUNTS.values())))}
        self.tokens = {name: {"Authorization": f"Bearer {issue_token(users[username], 'state machine')[0]}"}
                       for name, username in ACCOUNTS.items()}
        self.user_ids = {name: users[username].id for name, username in ACCOUNTS.items()}
        _db.session.commit()  # a savepoint of the outer transaction
        self.place_id = _db.session.scalar(select(Place.id).where(Place.name == "福山居民区"))
        self.category_id = _db.session.scalar(select(Category.id).where(Category.code == 6))
        self.need_id: int | None = None
        self.need_status: N | None = None
        self.project_id: int | None = None
        self.project_status: P | None = None
        self.council: set[str] = set()
        self.votes: dict[str, str] = {}
        self.lead: str | None = None
        self.survey_id: int | None = None
        self.overall: int | None = None
        self.answered: set[str] = set()
        self.scored = False  # an indicator score is recorded for the project
        self.closed = False  # staff closed the survey
        self.indicator_id = _db.session.scalar(select(Indicator.id).where(Indicator.active, Indicator.weight > 0)
                                               .order_by(Indicator.id))
        self.counts = Counter()

    def teardown(self):
        state = self.project_status or self.need_status
        if self.counts["steps"]:  # Hypothesis also makes machines it runs no step on
            self.totals.update(self.counts)
            self.totals["runs"] += 1
            self.totals[f"ended {state.value}"] += 1
        _db.session.remove()
        _db.session = self.original
        self.outer.rollback()
        self.connection.close()
        self._ctx.pop()

    # ------------------------------------------------------------------ the model

    def expect(self, name: str, action: str) -> Expected:
        """The answer and the audit records of ``action`` taken by ``name`` now."""
        role = ROLE_OF[name]
        need = ("Need", self.need_id)
        project = ("Project", self.project_id)

        if action == "submit":
            if role not in {Role.RESIDENT, Role.WORKER, Role.STAFF}:
                return Expected(403)
            return Expected(201, [("need.submit", "Need", None)], self._submitted)

        if action in ("accept_need", "reject_need"):
            target = N.ACCEPTED if action == "accept_need" else N.REJECTED
            if role != Role.STAFF:
                return Expected(403)
            if not need_rules.can_move(self.need_status, target):
                return Expected(409)
            return Expected(200, [(f"need.{action.split('_')[0]}", *need)], lambda r: self._need(target))

        if action == "create":
            if role != Role.STAFF:
                return Expected(403)
            if self.need_status != N.ACCEPTED:
                return Expected(400)  # only needs of the needs menu make a project
            return Expected(201, [("project.create", "Project", None)], self._created)

        if action.startswith("vote_"):
            choice = action.removeprefix("vote_")
            if role != Role.COUNCIL:
                return Expected(403)
            if self.project_status != P.PROPOSED:
                return Expected(409)
            if name not in self.council:
                return Expected(403)
            if name in self.votes:
                return Expected(409)
            tally = Counter([*self.votes.values(), choice])
            records = [("project.vote", *project)]
            outcome = None
            if tally["approve"] > len(self.council) / 2:
                outcome = P.RESOLVED
                records.append(("project.resolve", *project))
            elif tally["reject"] > len(self.council) / 2:
                outcome = P.REJECTED
                records.append(("project.council_reject", *project))

            def voted(response):
                self.votes[name] = choice
                assert response.json["project_status"] == (outcome or P.PROPOSED).value
                if outcome:
                    self._project(outcome)
            return Expected(200, records, voted)

        if action == "answer":
            if role not in {Role.RESIDENT, Role.WORKER}:
                return Expected(403)
            if self.project_status != P.EVALUATING or self.closed:
                return Expected(409)  # a closed survey takes no answers
            if name in self.answered:
                return Expected(409)
            return Expected(201, [("survey.response", "Survey", self.survey_id)], lambda r: self.answered.add(name))

        if action == "score":
            if role != Role.STAFF:
                return Expected(403)
            if self.project_status != P.EVALUATING:
                return Expected(409)  # indicators are scored while the project is being evaluated
            return Expected(200, [("evaluation.indicators", *project)], lambda r: setattr(self, "scored", True))

        if action == "close_survey":
            if role != Role.STAFF:
                return Expected(403)
            if self.closed:
                return Expected(409)
            return Expected(200, [("survey.close", "Survey", self.survey_id)], lambda r: setattr(self, "closed", True))

        workflow, name_of_step = PROJECT_STEPS[action]
        step = workflow[name_of_step]
        if role not in step.roles:
            return Expected(403)
        if self.project_status not in P.public() and role not in VIEW_INTERNAL:
            return Expected(404)  # drafts and proposals are internal: for a unit contact there is no such project
        if action == "claim":
            if self.project_status != P.PUBLISHED:
                return Expected(409)
            return Expected(200, [("project.claim", *project)], lambda r: self._claimed(name))
        if self.project_status not in step.source:
            return Expected(409)
        records = [(f"project.{step.step.value}", *project)]
        if action == "complete" and name != self.lead:
            return Expected(403)  # only the lead unit completes
        if action == "accept_evaluation" and not (self.answered and self.scored and self.closed):
            return Expected(409)  # nothing to review yet: no answer, no indicator score, or the survey still open
        moved_need = {"approve": (N.ACCEPTED, N.IN_PROJECT), "complete": (N.IN_PROJECT, N.FULFILLED)}.get(action)
        if moved_need and self.need_status == moved_need[0]:
            records.append(("need.status", *need))

        def stepped(response):
            self._project(step.target)
            if moved_need and self.need_status == moved_need[0]:
                self._need(moved_need[1])
            if action == "propose":
                self.votes = {}
            if action == "release":
                self.lead = None
            if action == "open_evaluation":
                self.survey_id = response.json["survey_id"]
                survey = self.client.get(f"/api/v1/surveys/{self.survey_id}", headers=self.tokens["resident"]).json
                self.overall = next(q["id"] for q in survey["questions"] if q["overall"])
        return Expected(200, records, stepped)

    def _submitted(self, response):
        self.need_id = response.json["id"]
        self._need(N.SUBMITTED)

    def _need(self, status: N):
        assert self.need_status is None or need_rules.can_move(self.need_status, status), (self.need_status, status)
        self.need_status = status

    def _project(self, status: P):
        self.counts["project moves"] += self.project_status != status
        self.project_status = status

    def _created(self, response):
        from coordination.projects.queries import council_members

        self.project_id = response.json["id"]
        self._project(P.DRAFT)
        members = {m.username for m in council_members(_db.session.get(Project, self.project_id))}
        self.council = {n for n, u in ACCOUNTS.items() if u in members}
        assert self.council, "the demo street has a council"

    def _claimed(self, name):
        self._project(P.CLAIMED)
        self.lead = name

    # ------------------------------------------------------------------ the requests

    def request(self, name: str, action: str):
        pid, nid = self.project_id, self.need_id
        comment = {"comment": "审议意见：请补充预算明细。"}
        path, body = {
            "submit": ("/needs", {"kind": "wish", "title": "楼道感应灯坏了", "description": "三号楼楼道很暗。",
                                  "place_id": self.place_id}),
            "accept_need": (f"/needs/{nid}/triage", {"action": "accept", "category_id": self.category_id}),
            "reject_need": (f"/needs/{nid}/triage", {"action": "reject", "reason": "不属于本平台受理范围"}),
            "create": ("/projects", {"title": "楼道灯光改造", "description": "为老楼楼道更换感应灯。",
                                     "category_id": self.category_id, "place_id": self.place_id,
                                     "need_ids": [nid], "budget": "12000", "planned_start": str(date.today()),
                                     "planned_end": str(date.today() + timedelta(days=60))}),
            "propose": (f"/projects/{pid}/propose", {}),
            "vote_approve": (f"/projects/{pid}/votes", {"vote": "approve"}),
            "vote_reject": (f"/projects/{pid}/votes", {"vote": "reject"}),
            "vote_abstain": (f"/projects/{pid}/votes", {"vote": "abstain"}),
            "approve": (f"/projects/{pid}/decision", {"decision": "approve", "comment": "同意"}),
            "return": (f"/projects/{pid}/decision", {"decision": "return", **comment}),
            "reject": (f"/projects/{pid}/decision", {"decision": "reject", **comment}),
            "claim": (f"/projects/{pid}/claim", {"note": "我单位认领"}),
            "release": (f"/projects/{pid}/release", {"reason": "牵头单位人手不足"}),
            "complete": (f"/projects/{pid}/complete", {"report": "已更换感应灯二十盏。"}),
            "open_evaluation": (f"/projects/{pid}/evaluation/open", {}),
            "answer": (f"/surveys/{self.survey_id}/responses",
                       {"answers": [{"question_id": self.overall, "score": 4}]}),
            "score": (f"/projects/{pid}/indicator-scores", {"scores": [{"indicator_id": self.indicator_id,
                                                                        "score": 90}]}),
            "close_survey": (f"/surveys/{self.survey_id}/close", {}),
            "accept_evaluation": (f"/projects/{pid}/evaluation/review", {"decision": "accept", "comment": "验收通过"}),
            "rework_evaluation": (f"/projects/{pid}/evaluation/review", {"decision": "rework", **comment}),
        }[action]
        token = _cv_app.set(None)  # each request its own application context, as in production
        try:
            return self.client.post(f"/api/v1{path}", json=body, headers=self.tokens[name])
        finally:
            _cv_app.reset(token)

    def possible(self, action: str) -> bool:
        """Whether the request can be formed at all (there is a need, a project, a survey)."""
        if action == "submit":
            return self.need_id is None
        if action in ("accept_need", "reject_need", "create"):
            return self.need_id is not None and self.project_id is None
        if action in ("answer", "close_survey"):
            return self.survey_id is not None
        return self.project_id is not None

    def last_audit_id(self) -> int:
        return _db.session.scalar(select(AuditRecord.id).order_by(AuditRecord.id.desc()).limit(1)) or 0

    def statuses_in_database(self):
        _db.session.expire_all()
        need = _db.session.get(Need, self.need_id).status if self.need_id else None
        project = _db.session.get(Project, self.project_id).status if self.project_id else None
        return need, project

    def take(self, name: str, action: str) -> None:
        """One request, checked against the model."""
        if not self.possible(action):
            return
        self.counts["steps"] += 1
        expected = self.expect(name, action)
        before = (self.need_status, self.project_status)
        since = self.last_audit_id()
        response = self.request(name, action)
        context = (name, action, before, response.status_code, response.get_json())
        assert response.status_code == expected.status, context
        written = [(a.action, a.object_type, a.object_id) for a in _db.session.scalars(
            select(AuditRecord).where(AuditRecord.id > since).order_by(AuditRecord.id))]
        if expected.status >= 400:
            assert response.json["error"]["code"], context
            assert written == [], ("a refused request left audit records", context, written)
            assert self.statuses_in_database() == before, ("a refused request changed a status", context)
            self.counts[f"refused {expected.status}"] += 1
            return
        if expected.records and expected.records[0][2] is None:  # the id of what it created
            expected.records[0] = (*expected.records[0][:2], response.json["id"])
        assert sorted(written) == sorted(expected.records), ("audit records of a success", context, written)
        expected.apply(response)
        self.counts["succeeded"] += 1
        self.counts["audit records"] += len(written)

    # ------------------------------------------------------------------ the rules

    @initialize(name=st.sampled_from(NAMES))
    def a_need(self, name):
        """Someone submits the need; if their role may not, a resident does."""
        self.take(name, "submit")
        if self.need_id is None:
            self.take("resident", "submit")

    # Hypothesis picks among the rules evenly: with two of them taking the next step, the loop
    # moves on in about half of the steps and the runs get far.
    @rule(data=st.data())
    def next_step(self, data):
        self.step_on(data)

    @rule(data=st.data())
    def next_step_again(self, data):
        self.step_on(data)

    def evaluation_steps(self) -> tuple[str, ...]:
        """While evaluating, what is still missing before acceptance comes first: answers (before
        the survey closes), an indicator score, closing the survey; then the review."""
        if not self.answered:
            return "answer", "answer", "answer", "score", "rework_evaluation"
        missing = (("score",) if not self.scored else ()) + (("close_survey",) if not self.closed else ())
        if missing:
            return *missing, *missing, "answer", "accept_evaluation"
        return "accept_evaluation", "accept_evaluation", "accept_evaluation", "rework_evaluation"

    def step_on(self, data):
        """The step that moves the loop on, taken three times in four by a role that may take
        it and else by anyone."""
        state = self.project_status or self.need_status
        choices = NEXT.get(state)
        if state == P.EVALUATING:
            choices = self.evaluation_steps()
        if choices is None:  # the loop is over (rejected, evaluated): anything, by anyone
            choices = ACTIONS
        action = data.draw(st.sampled_from(choices), label="action")
        takers = sorted(n for n in NAMES if ROLE_OF[n] == TAKER[action])
        if action == "complete" and self.lead:
            takers = [self.lead]
        if action.startswith("vote_"):
            takers = sorted(self.council - set(self.votes)) or takers
        anyone = data.draw(st.integers(0, 3), label="anyone") == 3
        name = data.draw(st.sampled_from(NAMES if anyone else takers), label="who")
        self.take(name, action)

    @rule(name=st.sampled_from(NAMES), data=st.data())
    def anyone_anything(self, name, data):
        """Any role tries any action, whatever the status: only what the rules allow succeeds."""
        action = data.draw(st.sampled_from([a for a in ACTIONS if self.possible(a)]), label="action")
        self.take(name, action)

    @rule(name=st.sampled_from(NAMES))
    def look(self, name):
        """Reading never changes anything (always possible, so the machine never runs dry)."""
        since = self.last_audit_id()
        before = self.statuses_in_database()
        paths = []  # (path, the status ``name`` gets): a need is never hidden here
        if self.need_id:
            paths.append((f"/api/v1/needs/{self.need_id}", 200))
        if self.project_id:
            internal = self.project_status not in P.public() and ROLE_OF[name] not in VIEW_INTERNAL
            paths.append((f"/api/v1/projects/{self.project_id}", 404 if internal else 200))
        for path, status in paths:
            token = _cv_app.set(None)
            try:
                response = self.client.get(path, headers=self.tokens[name])
            finally:
                _cv_app.reset(token)
            assert response.status_code == status, (name, path, response.status_code)
        assert self.last_audit_id() == since and self.statuses_in_database() == before
        self.counts["reads"] += len(paths)

    @invariant()
    def database_agrees(self):
        assert self.statuses_in_database() == (self.need_status, self.project_status)


def run(app, conf) -> Counter:
    Loop.app = app
    Loop.totals = Counter()
    run_state_machine_as_test(Loop, settings=conf)
    return Loop.totals


def report(kind: str, totals: Counter) -> None:
    ended = ", ".join(f"{k.removeprefix('ended ')} {v}" for k, v in sorted(totals.items()) if k.startswith("ended "))
    refused = ", ".join(f"{v} × {k.removeprefix('refused ')}" for k, v in sorted(totals.items())
                        if k.startswith("refused "))
    print(f"\n[{kind}] state machine: {totals['runs']} runs of {totals['steps']} steps: {totals['succeeded']} succeeded with "
          f"{totals['audit records']} audit records (each exactly its own), {refused} refused with none, "
          f"{totals['reads']} reads wrote none, {totals['project moves']} project moves; runs ended: {ended}")


# No shrinking: a failure shows its whole sequence of steps at once, and the run stays bounded.
QUICK = settings(max_examples=25, stateful_step_count=40, deadline=None, derandomize=True, database=None,
                 phases=[Phase.explicit, Phase.generate], suppress_health_check=[HealthCheck.too_slow])
LONG = settings(QUICK, max_examples=150, stateful_step_count=60)


def test_need_to_evaluation_state_machine(app, database_kind):
    totals = run(app, QUICK)
    report(database_kind, totals)
    assert totals["runs"] >= QUICK.max_examples // 2, totals
    # the runs get through the loop, not only refusals: some reach its end
    assert totals["ended evaluated"] > 0, totals


@pytest.mark.stress
def test_need_to_evaluation_state_machine_long(app, database_kind):
    totals = run(app, LONG)
    report(database_kind, totals)
    assert totals["ended evaluated"] > 0, totals
