"""API: the annual selection (最具创意党建项目评选) — the selections with their nominees and, once
voting has closed, the ranked results; one secret ballot per resident or office worker."""

from __future__ import annotations

from coordination.api import api
from coordination.api.schemas.common import Page
from coordination.api.schemas.common import PageQuery
from coordination.api.schemas.selections import BallotBody
from coordination.api.schemas.selections import BallotOut
from coordination.api.schemas.selections import NomineeOut
from coordination.api.schemas.selections import ResultOut
from coordination.api.schemas.selections import SelectionOut
from coordination.api.spec import ANYONE
from coordination.evaluation import operations
from coordination.evaluation import queries
from coordination.evaluation.enums import SelectionStatus
from coordination.evaluation.models import Selection
from coordination.evaluation.rules import SELECTION_WORKFLOW
from coordination.evaluation.rules import SelectionStep


def ranked(selection: Selection) -> list[ResultOut] | None:
    """The results once voting has closed (standard competition ranking: ties share a rank)."""
    if selection.status != SelectionStatus.CLOSED:
        return None
    results, rank, previous = [], 0, None
    for position, (project, votes) in enumerate(queries.results(selection.id), start=1):
        if votes != previous:
            rank, previous = position, votes
        results.append(ResultOut(rank=rank, project_id=project.id, title=project.title, votes=votes))
    return results


def selections_out(user, selections: list[Selection]) -> list[SelectionOut]:
    ids = [s.id for s in selections]
    ballots = queries.ballots_by_selection(ids)
    voted = queries.voted_in(user, ids) if user is not None else None
    return [SelectionOut(
        id=s.id, year=s.year, status=s.status.value, max_choices=s.max_choices, ballots=ballots.get(s.id, 0),
        voted_by_me=None if voted is None else s.id in voted, closed_at=s.closed_at,
        nominees=[NomineeOut(project_id=n.project_id, title=n.project.title,
                             lead_unit=n.project.lead_unit.name if n.project.lead_unit else None)
                  for n in s.nominees],
        results=ranked(s)) for s in selections]


@api.route("GET", "/selections", summary="The annual selections, the latest year first", query=PageQuery,
           response=Page[SelectionOut], auth=ANYONE, tags=("selection",))
def list_selections(user, query: PageQuery):
    pagination = queries.selection_page(query.page, query.per_page)
    return Page[SelectionOut](items=selections_out(user, list(pagination.items)), total=pagination.total or 0,
                              page=query.page, per_page=query.per_page)


@api.route("GET", "/selections/<int:selection_id>",
           summary="One selection: status, nominees and, once voting has closed, the ranked results",
           response=SelectionOut, auth=ANYONE, tags=("selection",))
def get_selection(user, selection_id: int):
    return selections_out(user, [queries.visible_selection(selection_id)])[0]


@api.route("POST", "/selections/<int:selection_id>/ballots",
           summary="Cast one's ballot: from 1 to max_choices nominated projects; once per person",
           body=BallotBody, response=BallotOut, status=201, roles=SELECTION_WORKFLOW.roles(SelectionStep.VOTE),
           errors=(409,), tags=("selection",))
def cast_ballot(user, selection_id: int, body: BallotBody):
    operations.cast_ballot(user, selection_id, project_ids=body.project_ids)
    return BallotOut(selection_id=selection_id, project_ids=list(dict.fromkeys(body.project_ids))), 201
