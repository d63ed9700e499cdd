"""Evaluation operations: open a survey, hand out codes, answer, score indicators, review,
close; and the annual selection. Each writes the audit record; the caller commits."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from coordination.accounts.models import User
from coordination.core import audit
from coordination.core.enums import (
    EvaluationGap,
    ProjectStatus,
    QuestionKind,
    ResponseMethod,
    ReviewDecision,
    Role,
    SurveyStatus,
)
from coordination.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from coordination.core.models.base import utcnow
from coordination.core.notifications import notify
from coordination.core.permissions import has_role
from coordination.evaluation.models import (
    EvaluationReview,
    Indicator,
    IndicatorScore,
    Survey,
    SurveyAnswer,
    SurveyInvite,
    SurveyQuestion,
    SurveyResponse,
)
from coordination.extensions import db
from coordination.needs.models import NeedFollower
from coordination.projects import rules
from coordination.projects.models import Project, ProjectNeed

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


def _invalid(fields: dict) -> InvalidInput:
    return InvalidInput(_("Please correct the marked fields."), fields=fields)


def _conflict(message: str, project: Project | None = None) -> Conflict:
    return Conflict(message, **({"current_status": project.status.value} if project else {}))


def project_link(project_id: int) -> str:
    return f"/projects/{project_id}/evaluation"


def _locked_project(project_id: int) -> Project:
    project = db.session.scalar(select(Project).where(Project.id == project_id).with_for_update()
                             .execution_options(populate_existing=True))
    if project is None:
        raise NotFound(_("There is no such project."))
    return project


def _followers(project: Project) -> list[User]:
    return db.session.scalars(
        select(User).join(NeedFollower, NeedFollower.user_id == User.id)
        .join(ProjectNeed, ProjectNeed.need_id == NeedFollower.need_id)
        .where(ProjectNeed.project_id == project.id).distinct()).all()


def _staff() -> list[User]:
    return db.session.scalars(select(User).where(User.active, User.role_links.any(role=Role.STAFF))).all()


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
        raise _invalid(errors)
    return built


def open_evaluation(staff, project_id: int, questions: list[dict] | None = None,
                    closes_on: date | None = None) -> Survey:
    project = _locked_project(project_id)
    rules.check_step(staff, project, "open_evaluation")
    if closes_on is not None and closes_on < date.today():
        raise _invalid({"closes_on": _("The closing date cannot be in the past.")})
    survey = Survey(project_id=project.id, status=SurveyStatus.OPEN, closes_on=closes_on, opened_by_id=staff.id,
                    questions=check_questions(questions if questions is not None else DEFAULT_QUESTIONS))
    db.session.add(survey)
    before = project.status
    project.status = ProjectStatus.EVALUATING
    db.session.flush()
    audit.record(staff, "project.open_evaluation", project, from_state=before, to_state=project.status,
                 details={"survey_id": survey.id, "questions": len(survey.questions)})
    notify(_followers(project), "evaluation.invited", exclude=staff, link=f"/surveys/{survey.id}",
           title=project.title)
    return survey


def survey_is_open(survey: Survey) -> bool:
    if survey.status != SurveyStatus.OPEN:
        return False
    return survey.closes_on is None or survey.closes_on >= date.today()


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().replace("-", "").encode()).hexdigest()


def create_invites(staff, survey: Survey, count: int) -> list[str]:
    if not has_role(staff, Role.STAFF):
        raise Forbidden(_("Your role may not do this."))
    if not isinstance(count, int) or not 1 <= count <= MAX_INVITES:
        raise _invalid({"count": _("Enter a number from 1 to %(n)d.", n=MAX_INVITES)})
    if not survey_is_open(survey):
        raise _conflict(_("The survey is closed."))
    codes = []
    for _i in range(count):
        raw = "".join(secrets.choice(CODE_ALPHABET) for _j in range(8))
        codes.append(f"{raw[:4]}-{raw[4:]}")
        db.session.add(SurveyInvite(survey_id=survey.id, code_hash=_hash(raw), created_by_id=staff.id))
    db.session.flush()
    audit.record(staff, "survey.invites", survey, object_type="Survey", details={"count": count})
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
        raise _invalid({"method": _("Choose one of: %(choices)s", choices=ResponseMethod.label_list())})
    offline_entry = method != ResponseMethod.ONLINE.value
    if offline_entry and not has_role(user, Role.STAFF):
        raise Forbidden(_("Only association staff enter paper questionnaires and household visits."))
    if not invite_code and not offline_entry and not has_role(user, Role.RESIDENT, Role.WORKER):
        if user is None:
            raise Forbidden(_("Log in, or use the invitation code you were given."))
        raise Forbidden(_("Residents and office workers answer the survey; staff enter paper forms and visits."))
    if not survey_is_open(survey):
        raise _conflict(_("The survey is closed."))

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
        raise _invalid(errors)

    response = SurveyResponse(survey_id=survey.id, method=ResponseMethod(method), answers=rows,
                              entered_by_id=user.id if offline_entry else None)
    if invite_code:
        invite = db.session.scalar(select(SurveyInvite).where(SurveyInvite.code_hash == _hash(invite_code),
                                                              SurveyInvite.survey_id == survey.id))
        if invite is None:
            raise _invalid({"invite_code": _("This invitation code is not valid for this survey.")})
        used = db.session.execute(update(SurveyInvite).where(SurveyInvite.id == invite.id,
                                                             SurveyInvite.used_at.is_(None))
                                  .values(used_at=utcnow()).execution_options(synchronize_session=False))
        if used.rowcount != 1:
            raise _conflict(_("This invitation code has already been used."))
        response.invite_id = invite.id
        if has_role(user, Role.RESIDENT, Role.WORKER):
            response.respondent_id = user.id  # a code does not give an account holder a second say
    elif not offline_entry:
        response.respondent_id = user.id
    savepoint = db.session.begin_nested()
    try:
        db.session.add(response)
        db.session.flush()
        savepoint.commit()
    except IntegrityError:
        savepoint.rollback()
        raise _conflict(_("You have already answered this survey.")) from None
    # The audit log says that a response came in, not from whom (committees read the log).
    audit.record(user if offline_entry else None, "survey.response", object_type="Survey", object_id=survey.id,
                 details={"method": method, "with_code": bool(invite_code)})
    return response


def close_survey(staff, survey: Survey) -> None:
    if not has_role(staff, Role.STAFF):
        raise Forbidden(_("Your role may not do this."))
    if survey.status == SurveyStatus.CLOSED:
        raise _conflict(_("The survey is closed."))
    survey.status, survey.closed_at = SurveyStatus.CLOSED, utcnow()
    db.session.flush()
    audit.record(staff, "survey.close", survey, object_type="Survey", from_state="open", to_state="closed")


def _score(value) -> Decimal | None:
    try:
        score = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return score if score.is_finite() and 0 <= score <= 100 else None


def score_indicators(staff, project_id: int, scores: list[dict]) -> None:
    """An evaluator scores indicators 0–100; scoring again replaces their earlier score."""
    project = _locked_project(project_id)
    if not has_role(staff, Role.STAFF):
        raise Forbidden(_("Your role may not do this."))
    if project.status != ProjectStatus.EVALUATING:
        raise _conflict(_("Indicators are scored while the project is being evaluated."), project)
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
        raise _invalid(errors)
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
    audit.record(staff, "evaluation.indicators", project,
                 details={str(k): str(v) for k, v in values.items()})


def acceptance_gaps(project_id: int) -> list[EvaluationGap]:
    """What is missing before an evaluation can be accepted: a closed survey, at least one
    response and at least one indicator score (there must be something to review)."""
    from coordination.evaluation.scores import indicator_score, satisfaction

    survey = db.session.scalar(select(Survey).where(Survey.project_id == project_id))
    gaps = []
    if survey is not None and survey_is_open(survey):
        gaps.append(EvaluationGap.SURVEY_OPEN)
    if survey is None or satisfaction(survey.id)[1] == 0:
        gaps.append(EvaluationGap.NO_RESPONSES)
    if indicator_score(project_id) is None:
        gaps.append(EvaluationGap.NO_INDICATOR_SCORES)
    return gaps


def review(street, project_id: int, decision: str, comment: str | None) -> EvaluationReview:
    project = _locked_project(project_id)
    if decision not in {d.value for d in ReviewDecision}:
        raise _invalid({"decision": _("Choose accept or rework.")})
    step = rules.check_step(street, project, "accept_evaluation" if decision == "accept" else "rework_evaluation")
    comment = (comment or "").strip() or None
    if step.needs_comment and not comment:
        raise _invalid({"comment": _("Say what should be reworked.")})
    if decision == "accept":
        gaps = acceptance_gaps(project.id)
        if gaps:
            raise Conflict(_("The evaluation cannot be accepted yet: %(missing)s",
                             missing=" ".join(str(gap.label) for gap in gaps)),
                           current_status=project.status.value, missing=[gap.value for gap in gaps])
    entry = EvaluationReview(project_id=project.id, decision=ReviewDecision(decision), comment=comment,
                             reviewer_id=street.id)
    db.session.add(entry)
    before = project.status
    project.status = step.target
    survey = db.session.scalar(select(Survey).where(Survey.project_id == project.id))
    if decision == "accept" and survey is not None and survey.status == SurveyStatus.OPEN:
        survey.status, survey.closed_at = SurveyStatus.CLOSED, utcnow()
    db.session.flush()
    audit.record(street, f"project.{step.name}", project, from_state=before, to_state=project.status,
                 comment=comment)
    recipients = _staff() + (_followers(project) if decision == "accept" else [])
    notify(recipients, "evaluation.reviewed", exclude=street, link=project_link(project.id), title=project.title,
           decision=decision)
    return entry
