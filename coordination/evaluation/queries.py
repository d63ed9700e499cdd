"""Reading evaluations: surveys, reviews, invitations, indicators; the annual selection."""

from __future__ import annotations

import hashlib

from flask_babel import gettext as _
from sqlalchemy import and_
from sqlalchemy import exists
from sqlalchemy import extract
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.accounts.models import User
from coordination.core.errors import NotFound
from coordination.evaluation.models import Ballot
from coordination.evaluation.models import EvaluationReview
from coordination.evaluation.models import Indicator
from coordination.evaluation.models import Nominee
from coordination.evaluation.models import Selection
from coordination.evaluation.models import Survey
from coordination.evaluation.models import SurveyAnswer
from coordination.evaluation.models import SurveyInvite
from coordination.evaluation.models import SurveyInvitee
from coordination.evaluation.models import SurveyQuestion
from coordination.evaluation.models import SurveyResponse
from coordination.extensions import db
from coordination.projects.enums import ProjectStatus
from coordination.projects.models import Project


def code_hash(code: str) -> str:
    """How an invitation code is kept: its SHA-256, read the way people type it (any case, dashes)."""
    return hashlib.sha256(code.strip().upper().replace("-", "").encode()).hexdigest()


def survey(survey_id: int) -> Survey:
    """The survey, or ``NotFound`` (a survey is as visible as its project's evaluation page)."""
    found = db.session.get(Survey, survey_id)
    if found is None:
        raise NotFound(_("There is no such survey."))
    return found


def survey_of(project_id: int) -> Survey | None:
    return db.session.scalar(select(Survey).where(Survey.project_id == project_id))


def reviews(project_id: int) -> list[EvaluationReview]:
    return db.session.scalars(select(EvaluationReview).where(EvaluationReview.project_id == project_id)
                              .order_by(EvaluationReview.id)).all()


def has_answered(user, survey: Survey) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(db.session.scalar(select(func.count()).select_from(SurveyResponse).where(
        SurveyResponse.survey_id == survey.id, SurveyResponse.respondent_id == user.id)))


def invite_is_usable(survey: Survey, code: str) -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(SurveyInvite).where(
        SurveyInvite.survey_id == survey.id, SurveyInvite.code_hash == code_hash(code), SurveyInvite.used_at.is_(None))))


def invite_counts(survey: Survey) -> tuple[int, int]:
    total, used = db.session.execute(select(func.count(SurveyInvite.id), func.count(SurveyInvite.used_at))
                                     .where(SurveyInvite.survey_id == survey.id)).one()
    return total or 0, used or 0


def survey_for_code(code: str) -> int | None:
    return db.session.scalar(select(SurveyInvite.survey_id).where(SurveyInvite.code_hash == code_hash(code),
                                                                 SurveyInvite.used_at.is_(None)))


def invitees(project: Project) -> list[User]:
    """The people invited to the project's satisfaction survey (the people it served)."""
    return db.session.scalars(select(User).join(SurveyInvitee, SurveyInvitee.user_id == User.id)
                              .join(Survey, Survey.id == SurveyInvitee.survey_id)
                              .where(Survey.project_id == project.id).order_by(User.id)).all()


def invitee_count(survey: Survey) -> int:
    return db.session.scalar(select(func.count()).select_from(SurveyInvitee)
                             .where(SurveyInvitee.survey_id == survey.id)) or 0


def invitation_of(user, survey: Survey) -> SurveyInvitee | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(SurveyInvitee).where(SurveyInvitee.survey_id == survey.id,
                                                         SurveyInvitee.user_id == user.id))


def my_surveys(user, page: int = 1, per_page: int = 10) -> tuple[list, int]:
    """The surveys the person was invited to or answered, open ones first, newest first:
    (rows of (survey, project title, why invited or None, answered), how many in all)."""
    answered = exists().where(SurveyResponse.survey_id == Survey.id, SurveyResponse.respondent_id == user.id)
    query = (select(Survey, Project.title, SurveyInvitee.reason, answered.label("answered"))
             .join(Project, Project.id == Survey.project_id)
             .outerjoin(SurveyInvitee, and_(SurveyInvitee.survey_id == Survey.id, SurveyInvitee.user_id == user.id))
             .where(or_(SurveyInvitee.id.is_not(None), answered)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.execute(query.order_by(Survey.is_open.desc(), Survey.id.desc())
                              .offset((page - 1) * per_page).limit(per_page)).all()
    return rows, total


def text_answers(survey_id: int, limit: int = 200) -> list[tuple[str, str]]:
    """The free-text answers (question, answer), newest first."""
    return db.session.execute(
        select(SurveyQuestion.text, SurveyAnswer.text)
        .join(SurveyAnswer, SurveyAnswer.question_id == SurveyQuestion.id)
        .where(SurveyQuestion.survey_id == survey_id, SurveyAnswer.text.is_not(None))
        .order_by(SurveyAnswer.id.desc()).limit(limit)).all()


# ----------------------------------------------------------------------------- annual selection

DONE = (ProjectStatus.COMPLETED, ProjectStatus.EVALUATING, ProjectStatus.EVALUATED)


def eligible_projects(year: int) -> list[Project]:
    """Projects completed in ``year``."""
    return db.session.scalars(select(Project).where(Project.status.in_(DONE),
                                                    extract("year", Project.completed_at) == year)
                              .order_by(Project.completed_at)).all()


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


def _with_nominees():
    return selectinload(Selection.nominees).joinedload(Nominee.project).joinedload(Project.lead_unit)


def visible_selection(selection_id: int) -> Selection:
    """A selection with its nominated projects (every selection is public), or ``NotFound``."""
    found = db.session.scalar(select(Selection).where(Selection.id == selection_id).options(_with_nominees()))
    if found is None:
        raise NotFound(_("There is no such selection."))
    return found


def selection_page(page: int, per_page: int):
    """The selections, the latest year first, with their nominated projects."""
    query = select(Selection).order_by(Selection.year.desc()).options(_with_nominees())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def ballots_by_selection(selection_ids: list[int]) -> dict[int, int]:
    rows = db.session.execute(select(Ballot.selection_id, func.count()).where(Ballot.selection_id.in_(selection_ids))
                              .group_by(Ballot.selection_id)).all()
    return {selection_id: int(count) for selection_id, count in rows}


def voted_in(user, selection_ids: list[int]) -> set[int]:
    """Which of these selections ``user`` has cast a ballot in."""
    if not getattr(user, "is_authenticated", False) or not selection_ids:
        return set()
    return set(db.session.scalars(select(Ballot.selection_id).where(
        Ballot.voter_id == user.id, Ballot.selection_id.in_(selection_ids))))


def selection_years() -> list[int]:
    return db.session.scalars(select(Selection.year).order_by(Selection.year.desc())).all()


def active_indicators() -> list[Indicator]:
    """The street's indicators, by dimension and position (the scoring table's rows)."""
    return db.session.scalars(select(Indicator).where(Indicator.active)
                              .order_by(Indicator.dimension, Indicator.position)).all()
