"""What ``flask audit verify`` checks about evaluations and the annual selection besides the
hash chains: reviews agree with the audit log, every ballot was logged, and the nominees'
counts are what the closing record says (ballots stay secret: nothing here links a voter to a
choice)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.core.integrity import Problem
from coordination.core.integrity import consistency_check
from coordination.core.models import AuditRecord
from coordination.evaluation.enums import SelectionStatus
from coordination.evaluation.models import Ballot
from coordination.evaluation.models import EvaluationReview
from coordination.evaluation.models import Nominee
from coordination.evaluation.models import Selection

REVIEW_ACTIONS = {"project.accept_evaluation": "accept", "project.rework_evaluation": "rework"}


@consistency_check
def reviews_agree_with_their_audit_records(session: Session) -> Iterator[Problem]:
    logged = defaultdict(list)
    for project_id, action in session.execute(
            select(AuditRecord.object_id, AuditRecord.action)
            .where(AuditRecord.object_type == "Project", AuditRecord.action.in_(REVIEW_ACTIONS))
            .order_by(AuditRecord.chain_seq)):
        logged[project_id].append(REVIEW_ACTIONS[action])
    stored = defaultdict(list)
    for review in session.execute(select(EvaluationReview.id, EvaluationReview.project_id,
                                         EvaluationReview.decision).order_by(EvaluationReview.chain_seq)):
        stored[review.project_id].append((review.id, review.decision.value))
    for project_id in sorted(set(logged) | set(stored)):
        decisions = [decision for _id, decision in stored[project_id]]
        if decisions != logged[project_id]:
            first = stored[project_id][0][0] if stored[project_id] else None
            yield Problem("evaluation_reviews", first, f"the reviews of project {project_id} are {decisions} "
                                                       f"but the audit log says {logged[project_id]}")


@consistency_check
def ballots_and_counts_agree_with_the_audit_log(session: Session) -> Iterator[Problem]:
    logged = dict(session.execute(
        select(AuditRecord.object_id, func.count()).where(AuditRecord.action == "selection.ballot")
        .group_by(AuditRecord.object_id)).all())
    ballots = dict(session.execute(select(Ballot.selection_id, func.count()).group_by(Ballot.selection_id)).all())
    closing = dict(session.execute(
        select(AuditRecord.object_id, AuditRecord.details).where(AuditRecord.action == "selection.close")).all())
    counts = defaultdict(dict)
    for selection_id, nominee_id, votes in session.execute(select(Nominee.selection_id, Nominee.id, Nominee.votes)):
        counts[selection_id][str(nominee_id)] = votes
    for selection in session.execute(select(Selection.id, Selection.status, Selection.max_choices)
                                     .order_by(Selection.id)):
        cast, votes = ballots.get(selection.id, 0), sum(counts[selection.id].values())
        if cast != logged.get(selection.id, 0):
            yield Problem("selection_ballots", None, f"selection {selection.id} holds {cast} ballots but the "
                                                     f"audit log records {logged.get(selection.id, 0)}")
        if not cast <= votes <= cast * selection.max_choices:
            yield Problem("selection_nominees", None, f"selection {selection.id}: {votes} votes cannot come "
                                                      f"from {cast} ballots of 1 to {selection.max_choices} choices")
        recorded = (closing.get(selection.id) or {}).get("votes")
        if selection.status == SelectionStatus.CLOSED and recorded is not None and recorded != counts[selection.id]:
            yield Problem("selection_nominees", None, f"selection {selection.id}: the counts differ from the "
                                                      "closing audit record")
