"""The annual "most creative Party-building project" selection: the street committee opens it
with the year's completed projects; residents and workers cast one secret ballot each; the
results are ranked and published when it closes."""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import extract, func, select, update
from sqlalchemy.exc import IntegrityError

from coordination.accounts.models import User
from coordination.core import audit
from coordination.core.enums import ProjectStatus, Role, SelectionStatus
from coordination.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from coordination.core.models.base import utcnow
from coordination.core.notifications import notify
from coordination.core.permissions import has_role
from coordination.evaluation.models import Ballot, Nominee, Selection
from coordination.extensions import db
from coordination.projects.models import Project

DONE = (ProjectStatus.COMPLETED, ProjectStatus.EVALUATING, ProjectStatus.EVALUATED)


def eligible_projects(year: int) -> list[Project]:
    """Projects completed in ``year``."""
    return db.session.scalars(select(Project).where(Project.status.in_(DONE),
                                                    extract("year", Project.completed_at) == year)
                              .order_by(Project.completed_at)).all()


def open_selection(street, year: int, project_ids: list[int], max_choices: int | None = None) -> Selection:
    if not has_role(street, Role.STREET_COMMITTEE):
        raise Forbidden(_("Your role may not do this."))
    max_choices = max_choices or current_app.config["SELECTION_MAX_CHOICES"]
    eligible = {p.id for p in eligible_projects(year)}
    errors = {}
    if not 2000 <= year <= date.today().year:
        errors["year"] = _("Choose this year or an earlier one.")
    chosen = list(dict.fromkeys(project_ids))
    if len(chosen) < 2:
        errors["project_ids"] = _("Nominate at least two completed projects.")
    elif any(pid not in eligible for pid in chosen):
        errors["project_ids"] = _("Only projects completed in that year can be nominated.")
    if not 1 <= max_choices <= max(len(chosen), 1):
        errors["max_choices"] = _("Between 1 and the number of nominees.")
    if errors:
        raise InvalidInput(_("Please correct the marked fields."), fields=errors)
    if db.session.scalar(select(Selection.id).where(Selection.year == year)):
        raise Conflict(_("The selection of %(year)d already exists.", year=year))
    selection = Selection(year=year, status=SelectionStatus.OPEN, max_choices=max_choices, opened_by_id=street.id,
                          nominees=[Nominee(project_id=pid) for pid in chosen])
    db.session.add(selection)
    db.session.flush()
    audit.record(street, "selection.open", selection, object_type="Selection", to_state="open",
                 details={"year": year, "nominees": chosen, "max_choices": max_choices})
    from coordination.accounts.models import UserRole

    voters = db.session.scalars(select(User).where(User.active, User.role_links.any(
        UserRole.role.in_([Role.RESIDENT, Role.WORKER])))).all()
    notify(voters, "selection.opened", link="/selection", year=year)
    return selection


def cast_ballot(voter, selection_id: int, nominee_ids: list[int]) -> None:
    """One ballot per person; the choices are stored without any link to the voter.

    The selection is read with a share lock, so closing waits for ballots being cast and the
    closing record's counts are final."""
    selection = db.session.get(Selection, selection_id, with_for_update={"read": True})
    if selection is None:
        raise NotFound(_("There is no such selection."))
    if not has_role(voter, Role.RESIDENT, Role.WORKER):
        raise Forbidden(_("Residents and office workers vote in the selection."))
    if selection.status != SelectionStatus.OPEN:
        raise Conflict(_("Voting has closed."))
    valid = {n.id for n in selection.nominees}
    chosen = list(dict.fromkeys(nominee_ids))
    if not chosen or len(chosen) > selection.max_choices or any(n not in valid for n in chosen):
        raise InvalidInput(_("Please correct the marked fields."), fields={
            "nominee_ids": _("Choose from 1 to %(n)d of the nominated projects.", n=selection.max_choices)})
    savepoint = db.session.begin_nested()
    try:
        db.session.add(Ballot(selection_id=selection.id, voter_id=voter.id))
        db.session.flush()
        savepoint.commit()
    except IntegrityError:
        savepoint.rollback()
        raise Conflict(_("You have already voted.")) from None
    db.session.execute(update(Nominee).where(Nominee.selection_id == selection.id, Nominee.id.in_(chosen))
                       .values(votes=Nominee.votes + 1))
    # The ballot table already records that this person voted; the log only counts ballots.
    audit.record(None, "selection.ballot", object_type="Selection", object_id=selection.id)


def close_selection(street, selection_id: int) -> Selection:
    selection = db.session.get(Selection, selection_id, with_for_update=True)
    if selection is None:
        raise NotFound(_("There is no such selection."))
    if not has_role(street, Role.STREET_COMMITTEE):
        raise Forbidden(_("Your role may not do this."))
    if selection.status != SelectionStatus.OPEN:
        raise Conflict(_("Voting has closed."))
    selection.status, selection.closed_at = SelectionStatus.CLOSED, utcnow()
    db.session.flush()
    audit.record(street, "selection.close", selection, object_type="Selection", from_state="open",
                 to_state="closed", details={"ballots": ballots_cast(selection.id), "votes": {
                     str(n.id): n.votes for n in db.session.scalars(select(Nominee).where(
                         Nominee.selection_id == selection.id).execution_options(populate_existing=True))}})
    return selection


def results(selection_id: int) -> list[tuple[Project, int]]:
    """Nominees ranked by votes, most first."""
    rows = db.session.execute(
        select(Project, Nominee.votes).join(Nominee, Nominee.project_id == Project.id)
        .where(Nominee.selection_id == selection_id).order_by(Nominee.votes.desc(), Project.id)).all()
    return [(project, int(count)) for project, count in rows]


def ballots_cast(selection_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Ballot).where(Ballot.selection_id == selection_id)) or 0


def has_voted(user, selection_id: int) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(db.session.scalar(select(func.count()).select_from(Ballot).where(
        Ballot.selection_id == selection_id, Ballot.voter_id == user.id)))
