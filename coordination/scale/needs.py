"""Needs over three years: every status, skewed categories, places and channels, supports.

Ids ascend with the date a need came in. A need that a project was built from was accepted
before the project was drafted, became ``in_project`` when the project was approved and
``fulfilled`` when it was completed; every change has its audit row, as ``accept_need`` (and the other
steps of ``needs/rules.py``) and ``move_by_project`` write them.
"""

from __future__ import annotations

from datetime import timedelta
from itertools import accumulate

from coordination.core.messages import note
from coordination.core.search import grams
from coordination.needs.enums import NeedChannel
from coordination.needs.enums import NeedKind
from coordination.needs.enums import NeedStatus
from coordination.needs.models import Need
from coordination.needs.models import NeedFollower
from coordination.needs.models import NeedSupport
from coordination.needs.models import is_offline
from coordination.scale import END
from coordination.scale import SPAN
from coordination.scale import Loader
from coordination.scale import moment
from coordination.scale.people import Actor
from coordination.scale.vocab import DESCRIPTION_ENDINGS
from coordination.scale.vocab import DESCRIPTION_MIDDLES
from coordination.scale.vocab import DESCRIPTION_OPENINGS
from coordination.scale.vocab import HIDE_REASONS
from coordination.scale.vocab import REJECTION_REASONS
from coordination.scale.vocab import TITLE_PATTERNS
from coordination.scale.vocab import TOPICS
from coordination.scale.vocab import person_name
from coordination.scale.vocab import short_place

TIME_SKEW = 0.8  # fraction of the three years = (i / N) ** TIME_SKEW: more needs in recent months
CHANNELS = [(NeedChannel.ONLINE, 55), (NeedChannel.MEETING_HALL, 12), (NeedChannel.RECEPTION_ROOM, 10),
            (NeedChannel.VISIT, 15), (NeedChannel.HOTLINE, 8)]
KINDS = [(NeedKind.IDEA, 30), (NeedKind.WISH, 35), (NeedKind.REQUEST, 35)]
# The status of needs no project was built from (those follow their project).
STATUSES = [(NeedStatus.SUBMITTED, 8), (NeedStatus.ACCEPTED, 68), (NeedStatus.REJECTED, 14), (NeedStatus.MERGED, 6)]
CODES = {NeedStatus.SUBMITTED: 1, NeedStatus.ACCEPTED: 2, NeedStatus.IN_PROJECT: 3, NeedStatus.FULFILLED: 4}
TITLE_RING = 4096


def weighted_topics():
    return [(t, c) for t, c, _w in TOPICS], [w for _t, _c, w in TOPICS]


def audit_row(at, actor, action, object_type, object_id, label, before=None, after=None, comment=None,
              details=None) -> dict:
    """The row ``core.audit.record`` writes (no request, so no address)."""
    return {"at": at, "actor_id": actor.id if actor else None, "actor_name": actor.name if actor else None,
            "action": action, "object_type": object_type, "object_id": object_id, "object_label": label[:200] if label is not None else None,
            "from_state": getattr(before, "value", before), "to_state": getattr(after, "value", after), "comment": comment, "details": details,
            "ip_address": None}


def _links(rng, plans, count: int, first_id: int) -> dict[int, object]:
    """Which needs (by index) each project was built from: needs that came in 3–150 days before."""
    links: dict[int, object] = {}
    for p in plans:
        start = (p.created - moment(0)).total_seconds()
        low = int(count * (max(0.0, start - 150 * 86400) / SPAN) ** (1 / TIME_SKEW))
        high = int(count * (max(0.0, start - 3 * 86400) / SPAN) ** (1 / TIME_SKEW)) - 1
        for _n in range(p.need_count):
            for _try in range(30):
                index = rng.randint(low, high) if high > low else rng.randint(0, max(0, high))
                if index < count and index not in links and moment(0) + timedelta(
                        seconds=SPAN * ((index + 1) / count) ** TIME_SKEW) < p.created:
                    links[index] = p
                    p.need_ids.append(first_id + index)
                    break
    return links


def load(loader: Loader, rng, street, plans, count: int) -> dict:
    # Cumulative weights drawn from as rng.choices(…, weights) would, without summing them per need.
    topics, topic_weights = weighted_topics()
    topic_weights = list(accumulate(topic_weights))
    place_weights = list(accumulate(street.place_weights))
    channels, channel_weights = zip(*CHANNELS)
    channel_weights = list(accumulate(channel_weights))
    kinds, kind_weights = zip(*KINDS)
    kind_weights = list(accumulate(kind_weights))
    statuses, status_weights = zip(*STATUSES)
    status_weights = list(accumulate(status_weights))
    staff, community = street.staff, street.community
    people = street.people
    first_id = loader.peek_id(Need)
    links = _links(rng, plans, count, first_id)
    codes = bytearray(count)  # the final status of each need so far, to find merge targets
    titles: list = [None] * TITLE_RING
    for index in range(count):
        need_id = loader.new_id(Need)
        created = moment(((index + rng.random()) / count) ** TIME_SKEW)
        project = links.get(index)
        topic, code = rng.choices(topics, cum_weights=topic_weights)[0]
        if project is not None:
            place = project.place
            topic, category_id = project.topic, project.category_id
            if "complete" in project.times:
                status = NeedStatus.FULFILLED
            elif "approve" in project.times:
                status = NeedStatus.IN_PROJECT
            else:
                status = NeedStatus.ACCEPTED
        else:
            place = rng.choices(street.places, cum_weights=place_weights)[0]
            category_id = street.categories[code]
            recent = (END - created).days < 20
            status = (NeedStatus.SUBMITTED if recent and rng.random() < 0.7
                      else rng.choices(statuses, cum_weights=status_weights)[0])
        title = rng.choice(TITLE_PATTERNS).format(place=short_place(place[2]), topic=topic, no=rng.randint(1, 40))[:120]
        description = (rng.choice(DESCRIPTION_OPENINGS) + rng.choice(DESCRIPTION_MIDDLES) + rng.choice(DESCRIPTION_ENDINGS)
                       ).format(place=place[2], topic=topic, no=rng.randint(1, 40))
        channel = rng.choices(channels, cum_weights=channel_weights)[0]
        offline = is_offline(channel)
        person = rng.randrange(len(people))
        submitter = None if offline else people[person]
        # Triage: within a month (before the project it went into was drafted).
        triaged = None
        if status != NeedStatus.SUBMITTED:
            limit = (project.created - created) * 0.8 if project is not None else timedelta(days=30)
            triaged = min(END, created + min(limit, timedelta(days=rng.uniform(0.2, 30))))
        merged_into = None
        if status == NeedStatus.MERGED:
            for _try in range(10):
                target = rng.randint(max(0, index - TITLE_RING + 1), index - 1) if index else -1
                if target >= 0 and codes[target]:
                    merged_into = target
                    break
            if merged_into is None:
                status = NeedStatus.ACCEPTED
        hidden = status in (NeedStatus.SUBMITTED, NeedStatus.ACCEPTED) and project is None and rng.random() < 0.003
        codes[index] = 0 if hidden else CODES.get(status, 0)
        titles[index % TITLE_RING] = title
        supports = 0 if status == NeedStatus.MERGED else min(len(people) - 1, int((rng.paretovariate(1.6) - 1) * 1.5),
                                                              900)
        if status in (NeedStatus.SUBMITTED, NeedStatus.REJECTED, NeedStatus.MERGED) and project is None:
            category_id = category_id if status == NeedStatus.SUBMITTED and rng.random() < 0.3 else None

        def audit(at, actor, action, before=None, after=None, comment=None, details=None, object_id=need_id,
                  label=title):
            loader.add_audit(audit_row(at, actor, action, "Need", object_id, label, before, after, comment, details))

        if offline:
            audit(created, staff, "need.record", None, NeedStatus.SUBMITTED, details={"channel": channel.value})
        else:
            audit(created, street_person(street, person), "need.submit", None, NeedStatus.SUBMITTED)
        last = created
        reason = rng.choice(REJECTION_REASONS) if status == NeedStatus.REJECTED else None
        if triaged is not None:
            action = {NeedStatus.REJECTED: "reject", NeedStatus.MERGED: "merge"}.get(status, "accept")
            after = status if status in (NeedStatus.REJECTED, NeedStatus.MERGED) else NeedStatus.ACCEPTED
            if merged_into is not None:
                audit(triaged, staff, "need.merged_in", details={"note": note("need.merged_from", id=need_id)},
                      object_id=first_id + merged_into, label=titles[merged_into % TITLE_RING])
            audit(triaged, staff, f"need.{action}", NeedStatus.SUBMITTED, after, reason)
            last = triaged
        if status in (NeedStatus.IN_PROJECT, NeedStatus.FULFILLED):
            last = project.times["approve"]
            audit(last, community, "need.status", NeedStatus.ACCEPTED, NeedStatus.IN_PROJECT,
                  details={"note": note("need.project_approved", title=project.title)})
        if status == NeedStatus.FULFILLED:
            last = project.times["complete"]
            audit(last, street.rep_of_unit[project.lead[0]], "need.status", NeedStatus.IN_PROJECT,
                  NeedStatus.FULFILLED, details={"note": note("need.project_completed", title=project.title)})
        hidden_reason = None
        if hidden:
            hidden_reason = rng.choice(HIDE_REASONS)
            last = min(END, last + timedelta(days=rng.uniform(0.1, 3)))
            audit(last, staff, "need.hide", "visible", "hidden", hidden_reason)
        loader.add(Need, {
            "id": need_id, "kind": rng.choices(kinds, cum_weights=kind_weights)[0], "title": title,
            "description": description,
            "place_id": place[0], "area_id": place[1], "category_id": category_id, "channel": channel,
            "status": status, "submitter_id": submitter, "recorded_by_id": staff.id if offline else None,
            "requester_name": person_name(index * 13 + 1) if offline else None,
            "contact_phone": f"139{rng.randint(10000000, 99999999)}" if offline else None, "contact_email": None,
            "show_submitter": (not offline) and rng.random() < 0.3, "rejection_reason": reason,
            "merged_into_id": first_id + merged_into if merged_into is not None else None,
            "triaged_at": triaged, "triaged_by_id": staff.id if triaged else None, "support_count": supports,
            "hidden": hidden, "hidden_reason": hidden_reason, "search_grams": grams(title, description),
            "created_at": created, "updated_at": last})
        if submitter is not None:
            loader.add(NeedFollower, {"id": loader.new_id(NeedFollower), "need_id": need_id, "user_id": submitter,
                                      "created_at": created})
        if supports:
            window = max(60.0, (last - created).total_seconds())
            for other in rng.sample(range(len(people)), supports + 1):
                if other == person and submitter is not None or supports == 0:
                    continue
                supports -= 1
                at = created + timedelta(seconds=rng.uniform(0, window))
                at = min(at, END)
                loader.add(NeedSupport, {"id": loader.new_id(NeedSupport), "need_id": need_id,
                                         "user_id": people[other], "created_at": at})
                loader.add(NeedFollower, {"id": loader.new_id(NeedFollower), "need_id": need_id,
                                          "user_id": people[other], "created_at": at})
    return links


def street_person(street, index: int) -> Actor:
    return Actor(street.people[index], street.people_names[index])
