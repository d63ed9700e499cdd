"""Evaluation operations: open the evaluation, hand out codes, answer, score indicators, close the
survey, accept or send back; and the annual selection: open, cast a ballot, close. Each checks its
step against ``rules``, writes the audit record and flushes; the caller commits."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from decimal import InvalidOperation

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import insert
from sqlalchemy import literal
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from coordination.accounts.models import User
from coordination.accounts.models import UserRole
from coordination.core import audit
from coordination.core.errors import Conflict
from coordination.core.errors import Forbidden
from coordination.core.errors import NotFound
from coordination.core.models.base import utcnow
from coordination.core.transactions import insert_once
from coordination.core.workflow import invalid
from coordination.evaluation import permissions
from coordination.evaluation.enums import EvaluationGap
from coordination.evaluation.enums import InviteReason
from coordination.evaluation.enums import QuestionKind
from coordination.evaluation.enums import ResponseMethod
from coordination.evaluation.enums import ReviewDecision
from coordination.evaluation.enums import SelectionStatus
from coordination.evaluation.enums import SurveyStatus
from coordination.evaluation.models import Ballot
from coordination.evaluation.models import EvaluationReview
from coordination.evaluation.models import Indicator
from coordination.evaluation.models import IndicatorScore
from coordination.evaluation.models import Nominee
from coordination.evaluation.models import Selection
from coordination.evaluation.models import Survey
from coordination.evaluation.models import SurveyAnswer
from coordination.evaluation.models import SurveyInvite
from coordination.evaluation.models import SurveyInvitee
from coordination.evaluation.models import SurveyQuestion
from coordination.evaluation.models import SurveyResponse
from coordination.evaluation.queries import ballots_cast
from coordination.evaluation.queries import code_hash
from coordination.evaluation.queries import eligible_projects
from coordination.evaluation.rules import EVALUATION_WORKFLOW
from coordination.evaluation.rules import SELECTION_WORKFLOW
from coordination.evaluation.rules import SURVEY_WORKFLOW
from coordination.evaluation.rules import EvaluationStep
from coordination.evaluation.rules import SelectionStep
from coordination.evaluation.rules import SurveyStep
from coordination.evaluation.scores import indicator_score
from coordination.evaluation.scores import satisfaction
from coordination.extensions import db
from coordination.needs.models import Need
from coordination.needs.models import NeedSupport
from coordination.projects.models import Project
from coordination.projects.models import ProjectNeed
from coordination.volunteers.queries import served_ids

# The default satisfaction questionnaire; staff may edit it before it opens.
DEFAULT_QUESTIONS = [
    {"text": "您对本项目的总体满意度如何？", "kind": "likert", "overall": True},
    {"text": "项目是否解决了您提出或关心的需求？", "kind": "likert", "overall": False},
    {"text": "您对实施单位和志愿者的服务是否满意？", "kind": "likert", "overall": False},
    {"text": "项目的组织安排和宣传是否到位？", "kind": "likert", "overall": False},
    {"text": "您对本项目还有哪些意见和建议？", "kind": "text", "overall": False},
]
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
MAX_INVITES = 500


def _locked_project(project_id: int) -> Project:
    project = db.session.scalar(select(Project).where(Project.id == project_id).with_for_update()
                                .execution_options(populate_existing=True))
    if project is None:
        raise NotFound(_("There is no such project."))
    return project


def _checked(user, project_id: int, step: EvaluationStep) -> Project:
    project = _locked_project(project_id)
    EVALUATION_WORKFLOW.check(user, project, step)
    return project


def check_questions(questions: list[dict]) -> list[SurveyQuestion]:
    errors: dict[str, str] = {}
    built = []
    if not questions:
        errors["questions"] = _("Ask at least the overall satisfaction question.")
    for index, item in enumerate(questions or []):
        text = str(item.get("text") or "").strip()
        kind = item.get("kind")
        if not text:
            errors[f"questions.{index}.text"] = _("This field is required.")
        elif len(text) > 300:
            errors[f"questions.{index}.text"] = _("Use at most %(n)d characters.", n=300)
        if kind not in {k.value for k in QuestionKind}:
            errors[f"questions.{index}.kind"] = _("Choose one of: %(choices)s", choices=QuestionKind.label_list())
        built.append(SurveyQuestion(position=index + 1, text=text, kind=QuestionKind(kind) if kind in
                                    {k.value for k in QuestionKind} else QuestionKind.TEXT,
                                    overall=bool(item.get("overall"))))
    overall = [q for q in built if q.overall]
    if questions and (len(overall) != 1 or overall[0].kind != QuestionKind.LIKERT):
        errors["questions"] = _("Exactly one 1–5 score question must be the overall satisfaction question.")
    if len(built) > 30:
        errors["questions"] = _("At most %(n)d questions.", n=30)
    if errors:
        raise invalid(errors)
    return built


def open_evaluation(staff, project_id: int, questions: list[dict] | None = None,
                    closes_on: date | None = None) -> Survey:
    """Staff open a completed project's evaluation: its satisfaction survey (the default
    questionnaire unless edited) opens and the people the project served are invited."""
    project = _checked(staff, project_id, EvaluationStep.OPEN_EVALUATION)
    if closes_on is not None and closes_on < date.today():
        raise invalid({"closes_on": _("The closing date cannot be in the past.")})
    survey = Survey(project_id=project.id, status=SurveyStatus.OPEN, closes_on=closes_on, opened_by_id=staff.id,
                    questions=check_questions(questions if questions is not None else DEFAULT_QUESTIONS))
    db.session.add(survey)
    db.session.flush()
    invited = invite_people_served(survey, project)
    EVALUATION_WORKFLOW.take(staff, project, EvaluationStep.OPEN_EVALUATION, check=False,
                             details={"survey_id": survey.id, "questions": len(survey.questions), "invited": invited},
                             link=f"/surveys/{survey.id}")
    return survey


def invite_people_served(survey: Survey, project: Project) -> int:
    """Invite everyone the project served to its survey, in SQL (a need may have thousands of
    supporters): who raised one of its needs, who supported one, and who volunteered on it
    (checked in or with hours recorded); once each, for the first of these reasons.
    Only people who answer online are invited (offline requesters get invitation cards).
    Returns how many were invited; the step's notice tells them."""
    linked = select(ProjectNeed.need_id).where(ProjectNeed.project_id == project.id)
    sources = [(InviteReason.SUBMITTED, select(Need.submitter_id).where(Need.id.in_(linked))),
               (InviteReason.SUPPORTED, select(NeedSupport.user_id).where(NeedSupport.need_id.in_(linked))),
               (InviteReason.SERVED, served_ids(project.id))]
    invited = 0
    for reason, people in sources:
        already = select(SurveyInvitee.user_id).where(SurveyInvitee.survey_id == survey.id)
        chosen = select(literal(survey.id), User.id, literal(reason, SurveyInvitee.reason.type),
                        literal(utcnow(), SurveyInvitee.invited_at.type)).where(
            User.id.in_(people), User.active, User.role_links.any(UserRole.role.in_(permissions.ANSWERING_ROLES)),
            User.id.not_in(already))
        invited += db.session.execute(insert(SurveyInvitee).from_select(
            ["survey_id", "user_id", "reason", "invited_at"], chosen)).rowcount or 0
    return invited


def survey_is_open(survey: Survey) -> bool:
    return survey.is_open


def create_invites(staff, survey: Survey, count: int) -> list[str]:
    """One-time codes for people without an account (printed on invitation cards)."""
    SURVEY_WORKFLOW.check_role(staff, SurveyStep.INVITE)
    if not isinstance(count, int) or not 1 <= count <= MAX_INVITES:
        raise invalid({"count": _("Enter a number from 1 to %(n)d.", n=MAX_INVITES)})
    if not survey_is_open(survey):
        raise Conflict(_("The survey is closed."))
    codes = []
    for _i in range(count):
        raw = "".join(secrets.choice(CODE_ALPHABET) for _j in range(8))
        codes.append(f"{raw[:4]}-{raw[4:]}")
        db.session.add(SurveyInvite(survey_id=survey.id, code_hash=code_hash(raw), created_by_id=staff.id))
    db.session.flush()
    SURVEY_WORKFLOW.take(staff, survey, SurveyStep.INVITE, check=False, details={"count": count})
    return codes


@dataclass
class AnswerInput:
    question_id: int
    score: int | None = None
    text: str | None = None


def submit_response(user, survey_id: int, answers: list[AnswerInput], *, invite_code: str | None = None,
                    method: str | None = None) -> SurveyResponse:
    """One response per person (or per code); staff enter paper questionnaires and visits."""
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        raise NotFound(_("There is no such survey."))
    method = method or ResponseMethod.ONLINE.value
    if method not in {m.value for m in ResponseMethod}:
        raise invalid({"method": _("Choose one of: %(choices)s", choices=ResponseMethod.label_list())})
    offline_entry = method != ResponseMethod.ONLINE.value
    if offline_entry and not permissions.can_enter_offline(user):
        raise Forbidden(_("Only association staff enter paper questionnaires and household visits."))
    if not invite_code and not offline_entry and not permissions.can_answer_online(user):
        if user is None:
            raise Forbidden(_("Log in, or use the invitation code you were given."))
        raise Forbidden(_("Residents and office workers answer the survey; staff enter paper forms and visits."))
    if not survey_is_open(survey):
        raise Conflict(_("The survey is closed."))

    questions = {q.id: q for q in survey.questions}
    errors: dict[str, str] = {}
    seen: set[int] = set()
    rows = []
    for index, answer in enumerate(answers):
        question = questions.get(answer.question_id)
        if question is None:
            errors[f"answers.{index}.question_id"] = _("This question is not part of the survey.")
            continue
        if question.id in seen:
            errors[f"answers.{index}.question_id"] = _("Each question is answered once.")
            continue
        seen.add(question.id)
        if question.kind == QuestionKind.LIKERT:
            if answer.score is None:
                continue
            if not isinstance(answer.score, int) or not 1 <= answer.score <= 5:
                errors[f"answers.{index}.score"] = _("Choose a score from 1 to 5.")
                continue
            rows.append(SurveyAnswer(question_id=question.id, score=answer.score))
        else:
            text = (answer.text or "").strip()
            if len(text) > 2000:
                errors[f"answers.{index}.text"] = _("Use at most %(n)d characters.", n=2000)
            elif text:
                rows.append(SurveyAnswer(question_id=question.id, text=text))
    overall = next(q for q in survey.questions if q.overall)
    if overall.id not in {r.question_id for r in rows} and not errors:
        errors["answers"] = _("Please answer the overall satisfaction question.")
    if errors:
        raise invalid(errors)

    response = SurveyResponse(survey_id=survey.id, method=ResponseMethod(method), answers=rows,
                              entered_by_id=user.id if offline_entry else None)
    if invite_code:
        invite = db.session.scalar(select(SurveyInvite).where(SurveyInvite.code_hash == code_hash(invite_code),
                                                              SurveyInvite.survey_id == survey.id))
        if invite is None:
            raise invalid({"invite_code": _("This invitation code is not valid for this survey.")})
        used = db.session.execute(update(SurveyInvite).where(SurveyInvite.id == invite.id,
                                                             SurveyInvite.used_at.is_(None))
                                  .values(used_at=utcnow()).execution_options(synchronize_session=False))
        if used.rowcount != 1:
            raise Conflict(_("This invitation code has already been used."))
        response.invite_id = invite.id
        if permissions.can_answer_online(user):
            response.respondent_id = user.id  # a code does not give an account holder a second say
    elif not offline_entry:
        response.respondent_id = user.id
    insert_once(response, _("You have already answered this survey."))
    # The audit log says that a response came in, not from whom (committees read the log).
    audit.record(user if offline_entry else None, "survey.response", object_type="Survey", object_id=survey.id,
                 details={"method": method, "with_code": bool(invite_code)})
    return response


def close_survey(staff, survey: Survey) -> None:
    SURVEY_WORKFLOW.take(staff, survey, SurveyStep.CLOSE, apply=lambda: setattr(survey, "closed_at", utcnow()))


def _score(value) -> Decimal | None:
    try:
        score = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return score if score.is_finite() and 0 <= score <= 100 else None


def score_indicators(staff, project_id: int, scores: list[dict]) -> None:
    """An evaluator scores indicators 0–100; scoring again replaces their earlier score."""
    project = _checked(staff, project_id, EvaluationStep.SCORE_INDICATORS)
    indicators = {i.id: i for i in db.session.scalars(select(Indicator).where(Indicator.active))}
    errors, values = {}, {}
    if not scores:
        errors["scores"] = _("Score at least one indicator.")
    for index, item in enumerate(scores):
        indicator_id, score = item.get("indicator_id"), _score(item.get("score"))
        if indicator_id not in indicators:
            errors[f"scores.{index}.indicator_id"] = _("There is no such indicator.")
        elif score is None:
            errors[f"scores.{index}.score"] = _("Enter a score from 0 to 100.")
        else:
            values[indicator_id] = score
    if errors:
        raise invalid(errors)
    existing = {s.indicator_id: s for s in db.session.scalars(select(IndicatorScore).where(
        IndicatorScore.project_id == project.id, IndicatorScore.evaluator_id == staff.id,
        IndicatorScore.indicator_id.in_(list(values))))}
    for indicator_id, score in values.items():
        if indicator_id in existing:
            existing[indicator_id].score, existing[indicator_id].scored_at = score, utcnow()
        else:
            db.session.add(IndicatorScore(project_id=project.id, indicator_id=indicator_id,
                                          evaluator_id=staff.id, score=score))
    db.session.flush()
    EVALUATION_WORKFLOW.take(staff, project, EvaluationStep.SCORE_INDICATORS, check=False,
                             details={str(k): str(v) for k, v in values.items()})


def acceptance_gaps(project_id: int) -> list[EvaluationGap]:
    """What is missing before an evaluation can be accepted: a closed survey, at least one
    response and at least one indicator score (there must be something to review)."""

    survey = db.session.scalar(select(Survey).where(Survey.project_id == project_id))
    gaps = []
    if survey is not None and survey_is_open(survey):
        gaps.append(EvaluationGap.SURVEY_OPEN)
    if survey is None or satisfaction(survey.id)[1] == 0:
        gaps.append(EvaluationGap.NO_RESPONSES)
    if indicator_score(project_id) is None:
        gaps.append(EvaluationGap.NO_INDICATOR_SCORES)
    return gaps


def _reviewed(street, project: Project, step: EvaluationStep, decision: ReviewDecision,
              comment: str | None) -> EvaluationReview:
    entry = EvaluationReview(project_id=project.id, decision=decision, comment=comment, reviewer_id=street.id)
    db.session.add(entry)
    EVALUATION_WORKFLOW.take(street, project, step, comment, check=False, params={"decision": decision.value})
    return entry


def accept_evaluation(street, project_id: int, comment: str | None = None) -> EvaluationReview:
    """The street committee accepts an evaluation: its results become public, its survey closes."""
    project = _checked(street, project_id, EvaluationStep.ACCEPT_EVALUATION)
    gaps = acceptance_gaps(project.id)
    if gaps:
        raise Conflict(_("The evaluation cannot be accepted yet: %(missing)s",
                         missing=" ".join(str(gap.label) for gap in gaps)),
                       current_status=project.status.value, missing=[gap.value for gap in gaps])
    survey = db.session.scalar(select(Survey).where(Survey.project_id == project.id))
    if survey is not None and survey.status == SurveyStatus.OPEN:
        survey.status, survey.closed_at = SurveyStatus.CLOSED, utcnow()
    return _reviewed(street, project, EvaluationStep.ACCEPT_EVALUATION, ReviewDecision.ACCEPT,
                     (comment or "").strip() or None)


def send_back_evaluation(street, project_id: int, comment: str | None) -> EvaluationReview:
    """The street committee sends an evaluation back, saying what should be reworked."""
    project = _checked(street, project_id, EvaluationStep.SEND_BACK_EVALUATION)
    comment = (comment or "").strip() or None
    if not comment:
        raise invalid({"comment": _("Say what should be reworked.")})
    return _reviewed(street, project, EvaluationStep.SEND_BACK_EVALUATION, ReviewDecision.REWORK, comment)


def review(street, project_id: int, decision: ReviewDecision, comment: str | None) -> EvaluationReview:
    """The API's review route offers the committee's two steps as one choice."""
    if decision is ReviewDecision.ACCEPT:
        return accept_evaluation(street, project_id, comment)
    return send_back_evaluation(street, project_id, comment)


# ----------------------------------------------------------------------------- annual selection

def open_selection(street, year: int, project_ids: list[int], max_choices: int | None = None) -> Selection:
    """The street committee opens the year's selection with its completed projects; residents
    and office workers are invited to vote."""
    SELECTION_WORKFLOW.check_role(street, SelectionStep.OPEN)
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
        raise invalid(errors)
    if db.session.scalar(select(Selection.id).where(Selection.year == year)):
        raise Conflict(_("The selection of %(year)d already exists.", year=year))
    selection = Selection(year=year, status=SelectionStatus.OPEN, max_choices=max_choices, opened_by_id=street.id,
                          nominees=[Nominee(project_id=pid) for pid in chosen])
    db.session.add(selection)
    db.session.flush()
    SELECTION_WORKFLOW.taken(street, selection, SelectionStep.OPEN, None,
                             details={"year": year, "nominees": chosen, "max_choices": max_choices})
    return selection


def cast_ballot(voter, selection_id: int, nominee_ids: list[int] | None = None, *,
                project_ids: list[int] | None = None) -> None:
    """One ballot per person; the choices are stored without any link to the voter. The page
    names the chosen nominees, the API their projects (``project_ids``, and a bad choice is
    reported on that field).

    The selection is read with a share lock, so closing waits for ballots being cast and the
    closing record's counts are final."""
    selection = db.session.get(Selection, selection_id, with_for_update={"read": True})
    if selection is None:
        raise NotFound(_("There is no such selection."))
    SELECTION_WORKFLOW.check(voter, selection, SelectionStep.VOTE)
    field, given = "nominee_ids", nominee_ids or []
    if project_ids is not None:
        nominee_of = {n.project_id: n.id for n in selection.nominees}
        field, given = "project_ids", [nominee_of.get(pid, 0) for pid in project_ids]
    valid = {n.id for n in selection.nominees}
    chosen = list(dict.fromkeys(given))
    if not chosen or len(chosen) > selection.max_choices or any(n not in valid for n in chosen):
        raise invalid({field: _("Choose from 1 to %(n)d of the nominated projects.", n=selection.max_choices)})
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
    SELECTION_WORKFLOW.taken(None, selection, SelectionStep.VOTE, None)


def close_selection(street, selection_id: int) -> Selection:
    selection = db.session.get(Selection, selection_id, with_for_update=True)
    if selection is None:
        raise NotFound(_("There is no such selection."))
    SELECTION_WORKFLOW.check(street, selection, SelectionStep.CLOSE)
    votes = {str(n.id): n.votes for n in db.session.scalars(select(Nominee).where(
        Nominee.selection_id == selection.id).execution_options(populate_existing=True))}
    SELECTION_WORKFLOW.take(street, selection, SelectionStep.CLOSE, check=False,
                            apply=lambda: setattr(selection, "closed_at", utcnow()),
                            details={"ballots": ballots_cast(selection.id), "votes": votes})
    return selection
