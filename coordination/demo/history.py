"""The demo street's history: about two years and nine months of needs, projects, surveys and
selections, replayed through the real operations with the clock held at each moment.

``plan`` draws everything first from a fixed random seed (who asks for what, when staff
triage it, which needs become projects and how far each project gets); ``Timeline`` then
runs every step in the order of its time with ``clock_set_to`` holding that time, so every
row, audit record, status history and maintained figure is what the operations write, only
dated in the past. Ids ascend with time as they would have.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from coordination.core.models.base import clock_set_to
from coordination.demo.people import DONGCHANG
from coordination.demo.people import JIANGONG
from coordination.demo.people import People
from coordination.demo.photos import drawn_photo
from coordination.extensions import db
from coordination.needs import operations as needs
from coordination.needs.enums import NeedChannel
from coordination.needs.enums import NeedKind
from coordination.needs.models import Category
from coordination.needs.models import Need
from coordination.needs.models import is_offline
from coordination.places.enums import PlaceKind
from coordination.scale.vocab import DESCRIPTION_ENDINGS
from coordination.scale.vocab import DESCRIPTION_MIDDLES
from coordination.scale.vocab import DESCRIPTION_OPENINGS
from coordination.scale.vocab import REJECTION_REASONS
from coordination.scale.vocab import TITLE_PATTERNS
from coordination.scale.vocab import TOPICS
from coordination.scale.vocab import person_name
from coordination.scale.vocab import short_place

DAYS = 1000  # how far back the history starts
SEED = 2026
NEEDS = {JIANGONG: 250, DONGCHANG: 170}
CHANNELS = [(NeedChannel.ONLINE, 58), (NeedChannel.MEETING_HALL, 12), (NeedChannel.RECEPTION_ROOM, 10),
            (NeedChannel.VISIT, 12), (NeedChannel.HOTLINE, 8)]
KINDS = [(NeedKind.IDEA, 30), (NeedKind.WISH, 35), (NeedKind.REQUEST, 35)]
SUPPORTS = [0, 0, 1, 1, 1, 2, 2, 3, 4, 6, 10]


class Timeline:
    """Steps to run at given moments, run in the order of their time (then of scheduling)."""

    def __init__(self, now: datetime):
        self.now = now
        self.start = now - timedelta(days=DAYS)
        self.current = self.start - timedelta(days=1)
        self._heap: list = []
        self._seq = 0
        self.steps = 0

    def at(self, moment: datetime, step: Callable[[], object]) -> bool:
        """Schedule ``step``; a moment still to come is left out (False)."""
        if moment >= self.now:
            return False
        if moment < self.current:
            raise ValueError(f"step scheduled at {moment}, before the current {self.current}")
        heapq.heappush(self._heap, (moment, self._seq, step))
        self._seq += 1
        return True

    def run(self) -> None:
        while self._heap:
            moment, _seq, step = heapq.heappop(self._heap)
            self.current = moment
            with clock_set_to(moment):
                step()
            self.steps += 1


@dataclass
class NeedPlan:
    area: str
    place: object
    topic: str
    code: int
    kind: NeedKind
    channel: NeedChannel
    submitter: object | None
    requester: tuple[str, str | None] | None
    title: str
    description: str
    submitted: datetime
    fate: str | None = None  # accept, reject, merge or None (still awaiting triage)
    triaged: datetime | None = None
    reason: str | None = None
    merge_into: NeedPlan | None = None
    supporters: list[tuple[object, datetime]] = field(default_factory=list)
    photo: int | None = None
    used: bool = False  # a project is built from it
    id: int | None = None


def _weighted(rng, pairs):
    values, weights = zip(*pairs)
    return rng.choices(values, weights)[0]


def plan_needs(rng: random.Random, timeline: Timeline, people: People) -> list[NeedPlan]:
    topics = [((t, c), w) for t, c, w in TOPICS]
    plans: list[NeedPlan] = []
    span = (timeline.now - timedelta(hours=2) - timeline.start).total_seconds()
    for area, count in NEEDS.items():
        places = people.areas[area]
        weights = [3 if p.kind == PlaceKind.COMMUNITY else 2 for p in places]
        for index in range(count):
            fraction = ((index + rng.random()) / count) ** 0.85  # more needs in recent months
            submitted = timeline.start + timedelta(seconds=span * fraction, hours=rng.uniform(-4, 4))
            submitted = max(submitted, timeline.start + timedelta(hours=1))
            place = rng.choices(places, weights)[0]
            topic, code = _weighted(rng, topics)
            channel = _weighted(rng, CHANNELS)
            local = people.of_place(place) or people.residents[area]
            submitter = None if is_offline(channel) else rng.choice(local)
            requester = None if submitter else (person_name(rng.randrange(5000)),
                                                f"139{rng.randrange(10**8):08d}" if rng.random() < 0.6 else None)
            words = {"place": short_place(place.name), "topic": topic, "no": rng.randint(1, 40)}
            title = rng.choice(TITLE_PATTERNS).format(**words)[:120]
            description = (rng.choice(DESCRIPTION_OPENINGS) + rng.choice(DESCRIPTION_MIDDLES)
                           + rng.choice(DESCRIPTION_ENDINGS)).format(**words)
            plans.append(NeedPlan(area=area, place=place, topic=topic, code=code, kind=_weighted(rng, KINDS),
                                  channel=channel, submitter=submitter, requester=requester, title=title,
                                  description=description, submitted=submitted,
                                  photo=rng.randrange(10**6) if rng.random() < 0.12 else None))
    plans.sort(key=lambda p: p.submitted)
    accepted: dict[tuple[str, str], list[NeedPlan]] = {}
    for plan in plans:
        age = (timeline.now - plan.submitted).days
        if age < 12 and rng.random() < 0.7 or rng.random() < 0.02:
            plan.fate = None
        else:
            plan.triaged = plan.submitted + timedelta(days=rng.uniform(0.5, min(12, max(age - 0.2, 0.6))))
            earlier = [p for p in accepted.get((plan.area, plan.topic), []) if p.triaged < plan.triaged]
            roll = rng.random()
            if roll < 0.08 and earlier:
                plan.fate, plan.merge_into = "merge", rng.choice(earlier)
            elif roll < 0.22:
                plan.fate, plan.reason = "reject", rng.choice(REJECTION_REASONS)
            else:
                plan.fate = "accept"
                accepted.setdefault((plan.area, plan.topic), []).append(plan)
        pool = [u for u in people.residents[plan.area] if u is not plan.submitter]
        until = plan.triaged if plan.fate in ("reject", "merge") else (plan.triaged or plan.submitted) + timedelta(
            days=20)
        for user in rng.sample(pool, min(len(pool), rng.choice(SUPPORTS))):
            moment = plan.submitted + (until - plan.submitted) * rng.uniform(0.05, 0.95)
            plan.supporters.append((user, moment))
    return plans


def schedule_needs(timeline: Timeline, plans: list[NeedPlan], people: People) -> None:

    staff = people.users["staff"]
    categories = {c.code: c.id for c in db.session.query(Category)}

    def submit(plan: NeedPlan) -> None:
        data = needs.NeedInput(kind=plan.kind.value, title=plan.title, description=plan.description,
                               place_id=plan.place.id, channel=plan.channel.value,
                               show_submitter=plan.submitter is not None and len(plan.title) % 3 == 0)
        photos = [drawn_photo(plan.photo)] if plan.photo is not None else None
        if plan.submitter is None:
            data.requester_name, data.contact_phone = plan.requester
            plan.id = needs.record_offline_need(staff, data, photos).id
        else:
            plan.id = needs.submit_need(plan.submitter, data, photos).id

    def support(plan: NeedPlan, user) -> None:
        needs.support_need(user, db.session.get(Need, plan.id))

    def triage(plan: NeedPlan) -> None:
        if plan.fate == "accept":
            needs.accept_need(staff, plan.id, categories[plan.code])
        elif plan.fate == "reject":
            needs.reject_need(staff, plan.id, plan.reason)
        else:
            needs.merge_need(staff, plan.id, plan.merge_into.id)

    for plan in plans:
        timeline.at(plan.submitted, lambda plan=plan: submit(plan))
        for user, moment in plan.supporters:
            timeline.at(moment, lambda plan=plan, user=user: support(plan, user))
        if plan.fate:
            timeline.at(plan.triaged, lambda plan=plan: triage(plan))


def load_history(people: People, now: datetime | None = None, out=print) -> dict[str, int]:
    """Plan and replay the whole history (the caller commits). Returns a few counts."""
    # it imports this module: a cycle inside demo/
    from coordination.demo import projects as project_history

    now = (now or datetime.now(UTC)).replace(microsecond=0)
    rng = random.Random(SEED)
    timeline = Timeline(now)
    need_plans = plan_needs(rng, timeline, people)
    project_plans = project_history.plan_projects(rng, timeline, people, need_plans)
    schedule_needs(timeline, need_plans, people)
    project_history.schedule_projects(rng, timeline, people, project_plans)
    project_history.schedule_selections(rng, timeline, people)
    timeline.run()
    return {"needs": len(need_plans), "projects": len(project_plans), "steps": timeline.steps}
