"""What ``flask audit verify`` checks about projects besides the hash chains: the decisions
that live as columns (status, lead unit) and the council votes agree with the audit log."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.core.integrity import BATCH
from coordination.core.integrity import Problem
from coordination.core.integrity import consistency_check
from coordination.core.models import AuditRecord
from coordination.projects.models import CouncilVote
from coordination.projects.models import Project


@consistency_check
def projects_agree_with_their_audit_records(session: Session) -> Iterator[Problem]:
    """A project's status is the ``to_state`` of its latest status record; its lead unit is the
    one its latest claim record names."""
    latest = (select(AuditRecord.object_id, func.max(AuditRecord.chain_seq).label("seq"))
              .where(AuditRecord.object_type == "Project", AuditRecord.to_state.is_not(None))
              .group_by(AuditRecord.object_id).subquery())
    rows = session.execute(
        select(Project.id, Project.status, AuditRecord.to_state)
        .outerjoin(latest, latest.c.object_id == Project.id)
        .outerjoin(AuditRecord, AuditRecord.chain_seq == latest.c.seq)
        .order_by(Project.id).execution_options(yield_per=BATCH))
    for project_id, status, to_state in rows:
        if to_state is None:
            yield Problem("projects", project_id, "no audit record shows how it reached its status")
        elif status.value != to_state:
            yield Problem("projects", project_id, f"its status is '{status.value}' but its latest audit "
                                                  f"record says '{to_state}'")
    claimed = dict(session.execute(
        select(AuditRecord.object_id, AuditRecord.details)
        .where(AuditRecord.object_type == "Project", AuditRecord.action == "project.claim")
        .order_by(AuditRecord.chain_seq)).all())
    leads = session.execute(select(Project.id, Project.lead_unit_id).where(Project.lead_unit_id.is_not(None)))
    for project_id, unit_id in leads:
        recorded = (claimed.get(project_id) or {}).get("unit_id")
        if project_id not in claimed:
            yield Problem("projects", project_id, "it has a lead unit but no claim record")
        elif recorded is not None and recorded != unit_id:
            yield Problem("projects", project_id, f"its lead unit is {unit_id} but its claim record says {recorded}")


@consistency_check
def council_votes_agree_with_their_audit_records(session: Session) -> Iterator[Problem]:
    recorded = {}
    for project_id, voter_id, details in session.execute(
            select(AuditRecord.object_id, AuditRecord.actor_id, AuditRecord.details)
            .where(AuditRecord.action == "project.vote").order_by(AuditRecord.chain_seq)):
        details = details or {}
        recorded[(project_id, details.get("round"), voter_id)] = details.get("vote")
    seen = set()
    for vote in session.execute(select(CouncilVote.id, CouncilVote.project_id, CouncilVote.round,
                                       CouncilVote.voter_id, CouncilVote.vote).order_by(CouncilVote.id)):
        key = (vote.project_id, vote.round, vote.voter_id)
        seen.add(key)
        if key not in recorded:
            yield Problem("council_votes", vote.id, "the audit log holds no record of this vote")
        elif recorded[key] != vote.vote.value:
            yield Problem("council_votes", vote.id, f"the vote is '{vote.vote.value}' but its audit record "
                                                    f"says '{recorded[key]}'")
    for project_id, round_, voter_id in sorted(set(recorded) - seen, key=str):
        yield Problem("council_votes", None, f"the vote of user {voter_id} on project {project_id} "
                                             f"(round {round_}) in the audit log is missing")
