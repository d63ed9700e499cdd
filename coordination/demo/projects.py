"""The demo's projects through every step, their evaluations and the annual selections.

Each project is built from an accepted need of its area; its path (see ``projects/rules.py``)
and the days between steps are drawn first, then every step is scheduled on the timeline:
the council of its area votes, its community Party committee decides, a member unit of the
area claims it, reports progress with photos and completes it; residents and workers answer
the survey online, with invitation codes, on paper and in household visits; staff score the
indicators and the street committee accepts (sometimes after a rework).
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from functools import partial

from coordination.demo.history import NeedPlan
from coordination.demo.history import Timeline
from coordination.demo.people import DONGCHANG
from coordination.demo.people import JIANGONG
from coordination.demo.people import People
from coordination.demo.photos import drawn_photo
from coordination.evaluation import operations as evaluation
from coordination.evaluation import queries as evaluation_queries
from coordination.evaluation.models import Indicator
from coordination.evaluation.models import Nominee
from coordination.evaluation.models import Survey
from coordination.extensions import db
from coordination.needs.models import Need
from coordination.places.models import Association
from coordination.places.models import ProfessionalCommittee
from coordination.projects import operations as projects
from coordination.projects.enums import FundingSource
from coordination.projects.enums import ProjectStatus as S
from coordination.projects.enums import VoteChoice
from coordination.projects.rules import ProjectStep
from coordination.scale.projects import project_path
from coordination.scale.vocab import ACCEPT_COMMENTS
from coordination.scale.vocab import COMPLETION_REPORTS
from coordination.scale.vocab import COUNCIL_COMMENTS
from coordination.scale.vocab import FREE_TEXT_ANSWERS
from coordination.scale.vocab import PROGRESS_NOTES
from coordination.scale.vocab import REJECT_COMMENTS
from coordination.scale.vocab import RETURN_COMMENTS
from coordination.scale.vocab import REWORK_COMMENTS
from coordination.scale.vocab import short_place

# the final status of each area's projects
FINALS = {
    JIANGONG: [S.EVALUATED] * 10 + [S.EVALUATING] * 3 + [S.COMPLETED] * 3 + [S.CLAIMED] * 5 + [S.PUBLISHED] * 2
    + [S.RESOLVED] * 2 + [S.PROPOSED] * 2 + [S.REJECTED] * 2 + [S.DRAFT] * 2,
    DONGCHANG: [S.EVALUATED] * 6 + [S.EVALUATING] * 2 + [S.COMPLETED] * 2 + [S.CLAIMED] * 3 + [S.PUBLISHED] * 1
    + [S.RESOLVED] * 1 + [S.PROPOSED] * 1 + [S.REJECTED] * 2 + [S.DRAFT] * 1,
}
DONE = (S.COMPLETED, S.EVALUATING, S.EVALUATED)
GAPS = {"propose": (2, 20), "resolve": (2, 10), "council_reject": (2, 10), "return": (1, 10), "reject": (1, 10),
        "approve": (1, 10), "claim": (1, 15), "complete": (40, 140), "open_evaluation": (3, 15),
        "rework_evaluation": (12, 25), "accept_evaluation": (10, 25)}
TITLES = ["{topic}", "{place}{topic}", "金色纽带·{topic}", "{topic}行动", "{place}{topic}项目"]
PROJECT_DESCRIPTION = ("围绕{place}群众提出的“{topic}”需求，由区域党建促进会牵头，成员单位认领实施，"
                       "党员志愿者亮身份、亮特长、亮意愿，项目完成后由受益的居民和白领评价成效。")
CLAIM_NOTES = ["单位党委牵头，组织党员志愿者认领。", "与楼宇联合党总支共同承接。", None]
SCORES = [5] * 9 + [4] * 6 + [3] * 2 + [2]


@dataclass
class ProjectPlan:
    area: str
    final: S
    path: list[str]
    times: dict[str, datetime]
    need: NeedPlan
    title: str = ""
    lead: object | None = None
    partner: object | None = None
    budget: int = 0
    id: int | None = None
    survey_id: int | None = None
    codes: list[str] = field(default_factory=list)

    @property
    def created(self) -> datetime:
        return self.times["create"]


def _anchor(rng, timeline: Timeline, final: S, rank: float) -> tuple[str, datetime]:
    """Which step sits at which moment; the others are counted from it."""
    now, start = timeline.now, timeline.start
    if final == S.EVALUATED:  # completions spread evenly over the years
        first, last = start + timedelta(days=150), now - timedelta(days=80)
        return "complete", first + (last - first) * rank
    if final == S.EVALUATING:
        return "complete", now - timedelta(days=rng.uniform(25, 55))
    if final == S.COMPLETED:
        return "complete", now - timedelta(days=rng.uniform(2, 20))
    if final == S.REJECTED:
        return "last", start + timedelta(days=90) + (now - start - timedelta(days=120)) * rank
    return "last", now - timedelta(days=rng.uniform(1, 35))


def plan_projects(rng, timeline: Timeline, people: People, needs: list[NeedPlan]) -> list[ProjectPlan]:
    plans = []
    for area, finals in FINALS.items():
        counts = {final: finals.count(final) for final in set(finals)}
        seen: dict[S, int] = {}
        for final in finals:
            rank = (seen.get(final, 0) + rng.uniform(0.2, 0.8)) / counts[final]
            seen[final] = seen.get(final, 0) + 1
            path = project_path(rng, final, returned=0.5, reworked=0.25)
            times = {"create": timeline.start}
            gaps = {step: timedelta(days=rng.uniform(*GAPS[step])) for step in path[1:]}
            kind, moment = _anchor(rng, timeline, final, rank)
            before = path[:path.index("complete") + 1] if kind == "complete" else path
            created = max(moment - sum((gaps[s] for s in before[1:]), timedelta()),
                          timeline.start + timedelta(days=40))
            need = _need_for(rng, needs, area, created)
            created = max(created, need.triaged + timedelta(days=2, hours=rng.uniform(0, 48)))
            at = times["create"] = created
            for step in path[1:]:
                at = times[step] = at + gaps[step]
            if at >= timeline.now:  # squeezed into the time left
                scale = (timeline.now - timedelta(hours=6) - created) / (at - created)
                for step in path[1:]:
                    times[step] = created + (times[step] - created) * scale
            plan = ProjectPlan(area=area, final=final, path=path, times=times, need=need,
                               budget=rng.randrange(20, 400) * 100)
            plan.title = rng.choice(TITLES).format(topic=need.topic, place=short_place(need.place.name))
            if "claim" in path:
                reps = people.reps[area]
                plan.lead = rng.choice(reps)
                others = [r for r in reps if r.unit_id != plan.lead.unit_id]
                plan.partner = rng.choice(others) if others and rng.random() < 0.4 else None
            plans.append(plan)
    plans.sort(key=lambda p: p.created)
    return plans


def _need_for(rng, needs: list[NeedPlan], area: str, created: datetime) -> NeedPlan:
    """An accepted need of the area, accepted some days before the project is drafted."""
    accepted = [n for n in needs if n.area == area and n.fate == "accept" and not n.used]
    usable = [n for n in accepted if n.triaged < created - timedelta(days=2)]
    if not usable:  # the earliest one; the project is drafted after it
        usable = sorted(accepted, key=lambda n: n.triaged)[:1]
    recent = [n for n in usable if n.triaged > created - timedelta(days=150)] or usable
    need = rng.choice(recent)
    need.used = True
    return need


def schedule_projects(rng, timeline: Timeline, people: People, plans: list[ProjectPlan]) -> None:

    staff = people.users["staff"]
    committees = {}
    for area in FINALS:
        association = db.session.query(Association).filter_by(area_id=people.places[area].id).one()
        committees[area] = db.session.query(ProfessionalCommittee).filter_by(
            association_id=association.id).order_by(ProfessionalCommittee.id).all()
    indicators = db.session.query(Indicator).filter_by(active=True).order_by(Indicator.id).all()

    def create(plan: ProjectPlan) -> None:
        need = db.session.get(Need, plan.need.id)
        start = plan.times.get("approve", plan.created + timedelta(days=30)).date() + timedelta(days=3)
        first = plan.budget // 2 // 100 * 100 if rng.random() < 0.5 else plan.budget
        funding = [{"source": rng.choice([FundingSource.SELF_GOVERNANCE, FundingSource.STREET]).value,
                    "amount": str(first)}]
        if first < plan.budget:
            funding.append({"source": FundingSource.UNIT.value, "amount": str(plan.budget - first)})
        area_committees = committees[plan.area]
        plan.id = projects.create_project(staff, projects.ProjectInput(
            title=plan.title, description=PROJECT_DESCRIPTION.format(place=short_place(need.place.name),
                                                                      topic=plan.need.topic),
            category_id=need.category_id, place_id=need.place_id, need_ids=[need.id], budget=plan.budget,
            planned_start=start, planned_end=start + timedelta(days=rng.randint(60, 180)),
            committee_id=area_committees[need.category_id % len(area_committees)].id,
            goals="让群众需求落地见效，由受益群众评价成效。", expected_beneficiaries=rng.randrange(50, 600, 10),
            volunteer_places=rng.randrange(5, 40), funding=funding)).id

    def vote(plan: ProjectPlan, index: int, choice: str) -> None:
        voter = people.council[plan.area][index]
        comment = rng.choice(COUNCIL_COMMENTS) if choice == "approve" else None
        projects.vote_on_project(voter, plan.id, VoteChoice(choice), comment)

    def progress(plan: ProjectPlan, percent: int, photos: int) -> None:
        spent = plan.budget * percent // 100 * rng.randint(70, 100) // 100
        projects.report_progress(plan.lead, plan.id, projects.ProgressInput(
            percent=percent, note=rng.choice(PROGRESS_NOTES).format(n=rng.randint(2, 12)),
            participant_units=rng.randint(1, 3), party_members=rng.randint(3, 30), volunteers=rng.randint(5, 50),
            volunteer_hours=rng.randint(10, 300), beneficiaries_residents=rng.randint(20, 300),
            beneficiaries_workers=rng.randint(0, 150), spent=spent),
            photos=[drawn_photo(rng.randrange(10**6)) for _photo in range(photos)])

    def decide(plan: ProjectPlan, step: str, comment: str) -> None:
        projects.decide(people.community[plan.area], plan.id, ProjectStep(step), comment)

    for plan in plans:
        times = plan.times
        timeline.at(plan.created, partial(create, plan))
        for step in plan.path[1:]:
            at = times[step]
            if step == "propose":
                timeline.at(at, lambda plan=plan: projects.propose_project(staff, plan.id))
                _schedule_votes(rng, timeline, plan, vote, len(people.council[plan.area]))
            elif step in ("return", "reject", "approve"):
                comments = {"return": RETURN_COMMENTS, "reject": REJECT_COMMENTS}.get(step, ["同意发布至项目清单"])
                timeline.at(at, partial(decide, plan, step, rng.choice(comments)))
            elif step == "claim":
                note = rng.choice(CLAIM_NOTES)
                timeline.at(at, lambda plan=plan, note=note: projects.claim_project(plan.lead, plan.id, note))
                end = times.get("complete", timeline.now)
                if plan.partner is not None:
                    timeline.at(at + (end - at) * 0.1, lambda plan=plan: projects.join_project(plan.partner, plan.id))
                reports = rng.randint(1, 3)
                for number in range(reports):
                    moment = at + (end - at) * (number + 1) / (reports + 1)
                    percent = min(95, (number + 1) * 100 // (reports + 1) + rng.randint(0, 10))
                    timeline.at(moment, partial(progress, plan, percent, rng.choice([0, 1, 1, 2])))
                if "complete" in times:
                    timeline.at(times["complete"] - timedelta(hours=3), partial(progress, plan, 100, 2))
            elif step == "complete":
                report = rng.choice(COMPLETION_REPORTS).format(n=rng.randint(60, 600))
                timeline.at(at, lambda plan=plan, report=report: projects.complete_project(plan.lead, plan.id, report))
            elif step == "open_evaluation":
                _schedule_evaluation(rng, timeline, people, plan, indicators)


def _schedule_votes(rng, timeline: Timeline, plan: ProjectPlan, vote, size: int) -> None:
    """The votes of one round: the decisive one at the moment the council resolves or rejects."""
    start = plan.times["propose"]
    if "resolve" in plan.times or "council_reject" in plan.times:
        decisive = "approve" if "resolve" in plan.times else "reject"
        end = plan.times.get("resolve") or plan.times["council_reject"]
        other = rng.choice(["abstain", "reject" if decisive == "approve" else "approve"])
        choices = [decisive, decisive] + ([other] if rng.random() < 0.5 else [])
        rng.shuffle(choices)
        choices.append(decisive)  # the third decisive vote settles it
    else:
        end = min(timeline.now - timedelta(hours=1), start + timedelta(days=6))
        choices = [rng.choice(["approve", "abstain"]) for _vote in range(rng.randint(1, 2))]
    order = rng.sample(range(size), len(choices))
    for number, (index, choice) in enumerate(zip(order, choices)):
        moment = start + (end - start) * (number + 1) / len(choices)
        timeline.at(moment, lambda plan=plan, index=index, choice=choice: vote(plan, index, choice))


def _answers(rng, survey, mood: int):

    answers = []
    for question in survey.questions:
        if question.kind.value == "likert":
            score = max(1, min(5, rng.choice(SCORES) + mood))
            answers.append(evaluation.AnswerInput(question.id, score=score))
        elif rng.random() < 0.3:
            answers.append(evaluation.AnswerInput(question.id, text=rng.choice(FREE_TEXT_ANSWERS)))
    return answers


def _schedule_evaluation(rng, timeline: Timeline, people: People, plan: ProjectPlan, indicators) -> None:

    staff, street = people.users["staff"], people.users["street"]
    opened = plan.times["open_evaluation"]
    end = plan.times.get("rework_evaluation") or plan.times.get("accept_evaluation") or timeline.now
    mood = 0 if rng.random() < 0.9 else -1

    def open_survey() -> None:
        survey = evaluation.open_evaluation(staff, plan.id)
        plan.survey_id = survey.id
        plan.codes = evaluation.create_invites(staff, survey, 6)

    def respond(user, method: str, code: str | None = None) -> None:
        survey = db.session.get(Survey, plan.survey_id)
        evaluation.submit_response(user, plan.survey_id, _answers(rng, survey, mood), invite_code=code,
                                   method=method)

    timeline.at(opened, open_survey)
    local = [u for u in people.residents[plan.area]]
    online = rng.sample(local, min(len(local), rng.randint(6, 12)))
    entries = ([(u, "online", None) for u in online] + [(None, "online", i) for i in range(rng.randint(3, 6))]
               + [(staff, "paper", None)] * rng.randint(2, 6) + [(staff, "visit", None)] * rng.randint(2, 6))
    rng.shuffle(entries)
    for number, (user, method, code) in enumerate(entries):
        moment = opened + (end - opened) * (number + 1) / (len(entries) + 2)
        timeline.at(moment, lambda user=user, method=method, code=code: respond(
            user, method, None if code is None else plan.codes[code]))
    if "accept_evaluation" not in plan.times and "rework_evaluation" not in plan.times:
        return
    scored = opened + (end - opened) * (len(entries) + 1) / (len(entries) + 2)
    timeline.at(scored, lambda: evaluation.score_indicators(staff, plan.id, [
        {"indicator_id": i.id, "score": rng.randint(75, 98)} for i in indicators]))
    if "rework_evaluation" in plan.times:
        timeline.at(plan.times["rework_evaluation"], lambda: evaluation.send_back_evaluation(
            street, plan.id, rng.choice(REWORK_COMMENTS)))
        rework_end = plan.times["accept_evaluation"]
        start = plan.times["rework_evaluation"]
        for number in range(rng.randint(2, 4)):
            timeline.at(start + (rework_end - start) * (number + 1) / 6, lambda: respond(staff, "visit"))
        close_at = start + (rework_end - start) * 5 / 6  # after the visits of the rework
    else:
        close_at = scored + (plan.times["accept_evaluation"] - scored) / 2
    # the street committee accepts only a closed survey (there must be something to review)
    timeline.at(close_at, lambda: evaluation.close_survey(staff, db.session.get(Survey, plan.survey_id)))
    timeline.at(plan.times["accept_evaluation"], lambda: evaluation.accept_evaluation(
        street, plan.id, rng.choice(ACCEPT_COMMENTS)))


def schedule_selections(rng, timeline: Timeline, people: People) -> None:
    """Last year's selection published with its ballots; this year's open and being voted on."""

    street = people.users["street"]
    voters = [u for area in (JIANGONG, DONGCHANG) for u in people.residents[area]]
    this_year = timeline.now.year
    closing = datetime(this_year, 1, 28, 10, tzinfo=UTC)
    year = this_year - 1 if closing < timeline.now - timedelta(days=1) else this_year - 2
    opening = datetime(year + 1, 1, 8, 9, tzinfo=UTC)
    closing = datetime(year + 1, 1, 28, 10, tzinfo=UTC)
    state: dict[str, int] = {}

    def open_for(key: str, year: int) -> None:
        eligible = [p.id for p in evaluation_queries.eligible_projects(year)][:6]
        if len(eligible) >= 2:
            state[key] = evaluation.open_selection(street, year, eligible, max_choices=min(3, len(eligible))).id

    def ballot(key: str, voter) -> None:
        if key in state:

            nominees = [n.id for n in db.session.query(Nominee).filter_by(selection_id=state[key])
                        .order_by(Nominee.id)]
            weights = [len(nominees) - i + 1 for i in range(len(nominees))]
            chosen = set(rng.choices(nominees, weights, k=rng.randint(1, min(3, len(nominees)))))
            evaluation.cast_ballot(voter, state[key], sorted(chosen))

    timeline.at(opening, lambda: open_for("published", year))
    for number, voter in enumerate(rng.sample(voters, min(len(voters), 40))):
        timeline.at(opening + (closing - opening) * (number + 1) / 42, lambda voter=voter: ballot("published", voter))
    def close(key: str) -> None:
        if key in state:
            evaluation.close_selection(street, state[key])

    timeline.at(closing, lambda: close("published"))

    opening = timeline.now - timedelta(days=9)
    if opening.year == this_year:
        timeline.at(opening, lambda: open_for("open", this_year))
        for number, voter in enumerate(rng.sample(voters, min(len(voters), 18))):
            timeline.at(opening + timedelta(days=8) * (number + 1) / 19, lambda voter=voter: ballot("open", voter))
