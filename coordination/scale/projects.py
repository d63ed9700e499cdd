"""Projects through every step: drafts, council votes, committee decisions, claims, progress.

``plan`` draws each project's path and dates first (the needs are generated against it: a
need linked to a project was accepted before the project was drafted and moves with it);
``load`` writes the projects and what belongs to them, with the audit rows of every step.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timedelta
from decimal import Decimal

from coordination.core.messages import note
from coordination.core.search import grams
from coordination.projects.enums import FundingSource
from coordination.projects.enums import ProjectStatus as S
from coordination.projects.enums import VoteChoice
from coordination.projects.models import CouncilVote
from coordination.projects.models import ProgressReport
from coordination.projects.models import Project
from coordination.projects.models import ProjectFunding
from coordination.projects.models import ProjectNeed
from coordination.projects.models import ProjectPartner
from coordination.scale import END
from coordination.scale import SPAN
from coordination.scale import Loader
from coordination.scale import moment
from coordination.scale.needs import audit_row
from coordination.scale.needs import weighted_topics
from coordination.scale.vocab import COMPLETION_REPORTS
from coordination.scale.vocab import COUNCIL_COMMENTS
from coordination.scale.vocab import PROGRESS_NOTES
from coordination.scale.vocab import REJECT_COMMENTS
from coordination.scale.vocab import RETURN_COMMENTS
from coordination.scale.vocab import short_place

FINAL = [(S.DRAFT, 5), (S.PROPOSED, 4), (S.RESOLVED, 3), (S.REJECTED, 6), (S.PUBLISHED, 6), (S.CLAIMED, 20),
         (S.COMPLETED, 10), (S.EVALUATING, 10), (S.EVALUATED, 36)]
PROJECT_TITLES = ["{topic}", "{topic}项目", "{place}{topic}", "金色纽带·{topic}", "{year}年{topic}行动"]


@dataclass
class ProjectPlan:
    id: int
    final: S
    path: list[str]  # step names in order (see projects/rules.py), "create" first
    times: dict[str, datetime]
    topic: str
    category_id: int
    place: tuple[int, int, str]
    need_count: int
    title: str = ""
    lead: tuple[int, int] | None = None  # (unit id, rep user id)
    need_ids: list[int] = field(default_factory=list)

    @property
    def created(self) -> datetime:
        return self.times["create"]


def project_path(rng, final: S, *, returned: float, reworked: float) -> list[str]:
    """The steps (``projects/rules.py``, ``evaluation/rules.py``) a project took to reach ``final``,
    "create" first: a draft went to the council and came back with the chance ``returned``, an
    evaluation was sent back once with the chance ``reworked`` (the demo and the scale seed each
    draw their own street with these)."""
    base = ["create", "propose", "resolve"]
    if final == S.DRAFT:
        return base + ["return"] if rng.random() < returned else ["create"]
    if final == S.PROPOSED:
        return ["create", "propose"]
    if final == S.RESOLVED:
        return base
    if final == S.REJECTED:
        return ["create", "propose", "council_reject"] if rng.random() < 0.5 else base + ["reject"]
    steps = ["approve", "claim", "complete", "open_evaluation"]
    if final == S.EVALUATED:
        return base + steps + (["rework_evaluation"] if rng.random() < reworked else []) + ["accept_evaluation"]
    return base + steps[:[S.PUBLISHED, S.CLAIMED, S.COMPLETED, S.EVALUATING].index(final) + 1]


GAPS = {"propose": (2, 25), "resolve": (1, 10), "council_reject": (1, 10), "return": (1, 12), "reject": (1, 12),
        "approve": (1, 12), "claim": (1, 20), "complete": (30, 150), "open_evaluation": (3, 20),
        "rework_evaluation": (15, 30), "accept_evaluation": (10, 30)}


def plan(loader: Loader, rng, street, count: int) -> list[ProjectPlan]:
    topics, topic_weights = weighted_topics()
    finals, weights = zip(*FINAL)
    plans = []
    for index in range(count):
        final = rng.choices(finals, weights)[0]
        path = project_path(rng, final, returned=0.15, reworked=0.15)
        gaps = [timedelta(days=rng.uniform(*GAPS[step])) for step in path[1:]]
        total = sum(gaps, timedelta()).total_seconds()
        earliest, latest = 45 * 86400 / SPAN, 1 - (total + 86400) / SPAN
        fraction = earliest + (latest - earliest) * rng.random() ** 0.8  # more projects in recent years
        times = {"create": moment(fraction)}
        at = times["create"]
        for step, gap in zip(path[1:], gaps):
            at = at + gap
            times[step] = at
        topic, code = rng.choices(topics, topic_weights)[0]
        place = rng.choices(street.places, street.place_weights)[0]
        project = ProjectPlan(id=0, final=final, path=path, times=times, topic=topic,
                              category_id=street.categories[code], place=place,
                              need_count=rng.choices([1, 2, 3], [70, 20, 10])[0])
        if "claim" in path:
            pairs = street.reps.get(place[1]) or [pair for pairs in street.reps.values() for pair in pairs]
            weights_ = street.rep_weights.get(place[1]) if street.reps.get(place[1]) else None
            project.lead = rng.choices(pairs, weights_)[0]
        project.title = rng.choice(PROJECT_TITLES).format(topic=topic, place=short_place(place[2]),
                                                          year=times["create"].year)[:120]
        plans.append(project)
    plans.sort(key=lambda p: p.created)  # ids ascend with time, as they would
    for project in plans:
        project.id = loader.new_id(Project)
    return plans


def load(loader: Loader, rng, street, plans: list[ProjectPlan], links) -> None:
    staff, community = street.staff, street.community
    all_units = [pair for pairs in street.reps.values() for pair in pairs]
    for p in plans:
        title = p.title
        status = p.final
        times = p.times
        approved = times.get("approve")
        planned_start = (approved or p.created + timedelta(days=30)).date()
        budget = Decimal(rng.randrange(20, 800) * 100)
        lead_id = p.lead[0] if p.lead and status in S.with_lead() else None
        percent = 100 if "complete" in times else 0
        reports = []
        if "claim" in times:
            end = times.get("complete", END)
            steps = rng.randint(1, 3)
            for number in range(steps):
                at = times["claim"] + (end - times["claim"]) * (number + rng.random()) / (steps + 0.5)
                done = 100 if ("complete" in times and number == steps - 1) else min(95, (number + 1) * 30)
                reports.append((at, done))
            percent = reports[-1][1] if "complete" not in times else 100
        description = f"围绕“{p.topic}”这一群众需求，由区域党建促进会牵头、成员单位认领实施，受益群众参与评价。"
        loader.add(Project, {
            "id": p.id, "title": title, "description": description, "search_grams": grams(title, description),
            "goals": "让群众需求落地见效，由受益群众评价成效。", "category_id": p.category_id, "area_id": p.place[1],
            "place_id": p.place[0], "committee_id": street.committees[p.category_id % len(street.committees)]
            if street.committees else None,
            "expected_beneficiaries": rng.randrange(50, 1000, 10), "volunteer_places": rng.randrange(5, 40),
            "budget": budget, "planned_start": planned_start,
            "planned_end": planned_start + timedelta(days=rng.randint(60, 200)), "status": status,
            "round": 1 if "propose" in times else 0, "lead_unit_id": lead_id,
            "claimed_at": times.get("claim") if lead_id else None,
            "completed_at": times.get("complete"),
            "completion_report": rng.choice(COMPLETION_REPORTS).format(n=rng.randint(80, 900))
            if "complete" in times else None,
            "progress_percent": percent, "created_by_id": staff.id, "created_at": p.created,
            "updated_at": times[p.path[-1]]})
        first = (budget * Decimal(rng.choice([1, 1, 0.5, 0.6]))).quantize(Decimal(1))
        sources = [(rng.choice([FundingSource.SELF_GOVERNANCE, FundingSource.STREET]), first)]
        if first < budget:
            sources.append((FundingSource.UNIT, budget - first))
        for source, amount in sources:
            loader.add(ProjectFunding, {"id": loader.new_id(ProjectFunding), "project_id": p.id, "source": source,
                                        "amount": amount, "note": None})
        for need_id in p.need_ids:
            loader.add(ProjectNeed, {"id": loader.new_id(ProjectNeed), "project_id": p.id, "need_id": need_id})

        def audit(at, actor, action, before=None, after=None, comment=None, details=None):
            loader.add_audit(audit_row(at, actor, action, "Project", p.id, title, before, after, comment, details))

        audit(p.created, staff, "project.create", None, S.DRAFT)
        for step in p.path[1:]:
            at = times[step]
            if step == "propose":
                audit(at, staff, "project.propose", S.DRAFT, S.PROPOSED)
                _votes(loader, rng, street, p, title, audit)
            elif step == "resolve":
                audit(at, None, "project.resolve", S.PROPOSED, S.RESOLVED, None,
                      {"note": note("project.approvals", n=3, size=len(street.council))})
            elif step == "council_reject":
                audit(at, None, "project.council_reject", S.PROPOSED, S.REJECTED, None,
                      {"note": note("project.rejections", n=3, size=len(street.council))})
            elif step == "return":
                audit(at, community, "project.return", S.RESOLVED, S.DRAFT, rng.choice(RETURN_COMMENTS))
            elif step == "reject":
                audit(at, community, "project.reject", S.RESOLVED, S.REJECTED, rng.choice(REJECT_COMMENTS))
            elif step == "approve":
                audit(at, community, "project.approve", S.RESOLVED, S.PUBLISHED, "同意发布至项目清单")
            elif step == "claim":
                rep = street.rep_of_unit[p.lead[0]]
                audit(at, rep, "project.claim", S.PUBLISHED, S.CLAIMED, None,
                      {"unit": street.unit_names[p.lead[0]]})
                if rng.random() < 0.3:
                    _partner(loader, rng, street, p, all_units, at, audit)
                for report_at, done in reports:
                    _progress(loader, rng, street, p, report_at, done, budget, audit)
            elif step == "complete":
                audit(at, street.rep_of_unit[p.lead[0]], "project.complete", S.CLAIMED, S.COMPLETED, None,
                      {"note": note("project.completion_submitted")})
            # the evaluation steps are written by scale/evaluation.py


def _votes(loader, rng, street, p: ProjectPlan, title, audit) -> None:
    voters = list(street.council)
    rng.shuffle(voters)
    at = p.times["propose"]
    end = next((p.times[s] for s in ("resolve", "council_reject") if s in p.times), None)
    if end is None:  # still before the council: fewer votes than any decision needs
        choices = [rng.choice([VoteChoice.APPROVE, VoteChoice.ABSTAIN]) for _ in range(rng.randint(0, 2))]
        end = min(END, at + timedelta(days=5))
    else:
        decisive = VoteChoice.APPROVE if "resolve" in p.times else VoteChoice.REJECT
        other = VoteChoice.REJECT if decisive == VoteChoice.APPROVE else VoteChoice.APPROVE
        extra = [rng.choice([VoteChoice.ABSTAIN, other]) for _ in range(rng.choice([0, 0, 1, 2]))]
        choices = [decisive] * 2 + extra
        rng.shuffle(choices)
        choices.append(decisive)  # the third decisive vote settles it
    for number, (voter, choice) in enumerate(zip(voters, choices)):
        voted = at + (end - at) * (number + 1) / (len(choices) + 0.01)
        comment = rng.choice(COUNCIL_COMMENTS) if choice == VoteChoice.APPROVE else None
        loader.add(CouncilVote, {"id": loader.new_id(CouncilVote), "project_id": p.id, "round": 1,
                                 "voter_id": voter.id, "vote": choice, "comment": comment, "created_at": voted})
        audit(voted, voter, "project.vote", comment=comment, details={"vote": choice.value, "round": 1})


def _partner(loader, rng, street, p, all_units, at, audit) -> None:
    unit_id, rep_id = rng.choice(all_units)
    if unit_id == p.lead[0]:
        return
    joined = at + timedelta(days=rng.uniform(1, 10))
    loader.add(ProjectPartner, {"id": loader.new_id(ProjectPartner), "project_id": p.id, "unit_id": unit_id,
                                "joined_at": joined, "joined_by_id": rep_id})
    audit(joined, street.rep_of_unit[unit_id], "project.join", details={"unit": street.unit_names[unit_id]})


def _progress(loader, rng, street, p, at, percent, budget, audit) -> None:
    rep = street.rep_of_unit[p.lead[0]]
    spent = (budget * Decimal(percent) / Decimal(100) * Decimal(rng.uniform(0.6, 1.0))).quantize(Decimal("0.01"))
    loader.add(ProgressReport, {
        "id": loader.new_id(ProgressReport), "project_id": p.id, "unit_id": p.lead[0], "reporter_id": rep.id,
        "percent": percent, "note": rng.choice(PROGRESS_NOTES).format(n=rng.randint(2, 12)),
        "participant_units": rng.randint(1, 4), "party_members": rng.randint(0, 40), "volunteers": rng.randint(0, 60),
        "volunteer_hours": Decimal(rng.randint(0, 400)), "beneficiaries_residents": rng.randint(0, 400),
        "beneficiaries_workers": rng.randint(0, 200), "spent": spent, "created_at": at})
    audit(at, rep, "project.progress", details={"percent": percent, "spent": str(spent)})

