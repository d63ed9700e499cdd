"""The sections of a person's data document (see ``export.py``), one per kind of record."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.accounts.models import ApiToken
from coordination.accounts.models import RecoveryCode
from coordination.accounts.models import TotpFactor
from coordination.accounts.models import UserRole
from coordination.accounts.models import UserSession
from coordination.core.models import AuditRecord
from coordination.core.models import Notification
from coordination.core.notifications import render
from coordination.dashboards.models import ExportJob
from coordination.evaluation.models import Ballot
from coordination.evaluation.models import EvaluationReview
from coordination.evaluation.models import IndicatorScore
from coordination.evaluation.models import Selection
from coordination.evaluation.models import Survey
from coordination.evaluation.models import SurveyInvite
from coordination.evaluation.models import SurveyInvitee
from coordination.evaluation.models import SurveyQuestion
from coordination.evaluation.models import SurveyResponse
from coordination.extensions import db
from coordination.needs.models import ContentReport
from coordination.needs.models import Need
from coordination.needs.models import NeedFollower
from coordination.needs.models import NeedPhoto
from coordination.needs.models import NeedSupport
from coordination.places.models import CouncilMember
from coordination.privacy.export import json_value
from coordination.privacy.export import row
from coordination.privacy.export import rows
from coordination.privacy.export import section
from coordination.projects.models import CouncilVote
from coordination.projects.models import ProgressReport
from coordination.projects.models import Project
from coordination.projects.models import ProjectPartner
from coordination.volunteers.models import VolunteerHours
from coordination.volunteers.models import VolunteerProfile
from coordination.volunteers.models import VolunteerSignup

# ------------------------------------------------------------------ the person and their roles


@section("profile")
def _profile(user) -> dict:
    data = row(user)
    data["place"] = ({"id": user.place.id, "name": user.place.name, "kind": user.place.kind.value,
                      "area_id": user.place.area_id} if user.place else None)
    data["unit"] = {"id": user.unit.id, "name": user.unit.name} if user.unit else None
    return data


@section("roles", "user_roles.user_id")
def _roles(user) -> list[str]:
    return [role.value for role in db.session.scalars(
        select(UserRole.role).where(UserRole.user_id == user.id).order_by(UserRole.id))]


# ------------------------------------------------------------------ needs


@section("needs", "needs.submitter_id")
def _needs(user) -> list[dict]:
    """The person's own needs, with their contact data and the number of photos."""
    photo_counts = dict(db.session.execute(
        select(NeedPhoto.need_id, func.count()).join(Need, Need.id == NeedPhoto.need_id)
        .where(Need.submitter_id == user.id).group_by(NeedPhoto.need_id)).all())
    result = []
    for need in db.session.scalars(select(Need).where(Need.submitter_id == user.id).order_by(Need.id)):
        item = row(need, exclude=("submitter_id", "recorded_by_id", "triaged_by_id"))
        item["photos"] = photo_counts.get(need.id, 0)
        result.append(item)
    return result


def _need_refs(where, *columns) -> list[dict]:
    query = select(Need.id, Need.title, Need.status, *columns).where(where).order_by(Need.id)
    names = ["need_id", "title", "status"] + [column.key for column in columns]
    return [dict(zip(names, (json_value(value) for value in values))) for values in db.session.execute(query)]


@section("needs_recorded", "needs.recorded_by_id")
def _needs_recorded(user) -> list[dict]:
    """Needs staff recorded on behalf of others (the others' contact data is not theirs)."""
    return _need_refs(Need.recorded_by_id == user.id, Need.created_at)


@section("needs_triaged", "needs.triaged_by_id")
def _needs_triaged(user) -> list[dict]:
    return _need_refs(Need.triaged_by_id == user.id, Need.triaged_at)


def _need_links(model, user) -> list[dict]:
    query = (select(model.need_id, Need.title, model.created_at).join(Need, Need.id == model.need_id)
             .where(model.user_id == user.id).order_by(model.id))
    return [{"need_id": need_id, "title": title, "created_at": json_value(at)}
            for need_id, title, at in db.session.execute(query)]


@section("supports", "need_supports.user_id")
def _supports(user) -> list[dict]:
    return _need_links(NeedSupport, user)


@section("follows", "need_followers.user_id")
def _follows(user) -> list[dict]:
    return _need_links(NeedFollower, user)


@section("content_reports", "content_reports.reporter_id", "content_reports.resolved_by_id")
def _content_reports(user) -> dict:
    return {
        "made": rows(ContentReport, ContentReport.reporter_id == user.id, exclude=("reporter_id",)),
        "resolved": [{"id": r.id, "need_id": r.need_id, "resolved_at": json_value(r.resolved_at)}
                     for r in db.session.scalars(select(ContentReport)
                                                 .where(ContentReport.resolved_by_id == user.id)
                                                 .order_by(ContentReport.id))],
    }


# ------------------------------------------------------------------ evaluation


@section("survey_responses", "survey_responses.respondent_id")
def _survey_responses(user) -> list[dict]:
    """The person's own answers, with the questions they answered."""
    responses = db.session.scalars(
        select(SurveyResponse).where(SurveyResponse.respondent_id == user.id)
        .options(selectinload(SurveyResponse.answers)).order_by(SurveyResponse.id)).all()
    question_ids = {answer.question_id for response in responses for answer in response.answers}
    questions = dict(db.session.execute(
        select(SurveyQuestion.id, SurveyQuestion.text).where(SurveyQuestion.id.in_(question_ids))).all()) \
        if question_ids else {}
    projects = dict(db.session.execute(
        select(Survey.id, Survey.project_id).where(Survey.id.in_({r.survey_id for r in responses}))).all()) \
        if responses else {}
    return [{
        "id": response.id, "survey_id": response.survey_id, "project_id": projects.get(response.survey_id),
        "method": response.method.value, "created_at": json_value(response.created_at),
        "answers": [{"question_id": a.question_id, "question": questions.get(a.question_id),
                     "score": a.score, "text": a.text}
                    for a in sorted(response.answers, key=lambda a: a.question_id)],
    } for response in responses]


@section("survey_invitations", "survey_invitees.user_id")
def _survey_invitations(user) -> list[dict]:
    """The surveys the person was invited to, and why (they were served by the project)."""
    return rows(SurveyInvitee, SurveyInvitee.user_id == user.id, exclude=("user_id",))


@section("survey_responses_entered", "survey_responses.entered_by_id")
def _responses_entered(user) -> list[dict]:
    """Paper and visit questionnaires staff typed in (the answers are the respondents')."""
    return [{"id": r.id, "survey_id": r.survey_id, "method": r.method.value,
             "created_at": json_value(r.created_at)}
            for r in db.session.scalars(select(SurveyResponse).where(SurveyResponse.entered_by_id == user.id)
                                        .order_by(SurveyResponse.id))]


@section("surveys_opened", "surveys.opened_by_id")
def _surveys_opened(user) -> list[dict]:
    return rows(Survey, Survey.opened_by_id == user.id)


@section("survey_invites_created", "survey_invites.created_by_id")
def _invites(user) -> list[dict]:
    return rows(SurveyInvite, SurveyInvite.created_by_id == user.id)


@section("ballots", "selection_ballots.voter_id")
def _ballots(user) -> list[dict]:
    """That the person voted, and when. Ballots are secret: no row says for whom."""
    query = (select(Ballot.selection_id, Selection.year, Ballot.cast_at)
             .join(Selection, Selection.id == Ballot.selection_id)
             .where(Ballot.voter_id == user.id).order_by(Ballot.id))
    return [{"selection_id": sid, "year": year, "cast_at": json_value(at)}
            for sid, year, at in db.session.execute(query)]


@section("selections_opened", "selections.opened_by_id")
def _selections_opened(user) -> list[dict]:
    return rows(Selection, Selection.opened_by_id == user.id)


@section("indicator_scores", "indicator_scores.evaluator_id")
def _indicator_scores(user) -> list[dict]:
    return rows(IndicatorScore, IndicatorScore.evaluator_id == user.id)


@section("evaluation_reviews", "evaluation_reviews.reviewer_id")
def _reviews(user) -> list[dict]:
    return rows(EvaluationReview, EvaluationReview.reviewer_id == user.id)


# ------------------------------------------------------------------ projects and the council


@section("projects_created", "projects.created_by_id")
def _projects_created(user) -> list[dict]:
    return [{"project_id": pid, "title": title, "status": json_value(status), "created_at": json_value(at)}
            for pid, title, status, at in db.session.execute(
                select(Project.id, Project.title, Project.status, Project.created_at)
                .where(Project.created_by_id == user.id).order_by(Project.id))]


@section("council_votes", "council_votes.voter_id")
def _council_votes(user) -> list[dict]:
    return rows(CouncilVote, CouncilVote.voter_id == user.id)


@section("council_seats", "council_members.user_id")
def _council_seats(user) -> list[dict]:
    return rows(CouncilMember, CouncilMember.user_id == user.id)


@section("partnerships_joined", "project_partners.joined_by_id")
def _partnerships(user) -> list[dict]:
    return rows(ProjectPartner, ProjectPartner.joined_by_id == user.id)


@section("progress_reports", "progress_reports.reporter_id")
def _progress_reports(user) -> list[dict]:
    return rows(ProgressReport, ProgressReport.reporter_id == user.id)


@section("volunteer_profile", "volunteer_profiles.user_id")
def _volunteer_profile(user) -> dict | None:
    profile = db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == user.id))
    if profile is None:
        return None
    data = row(profile)
    data["skills"] = [skill.name for skill in profile.skills]
    data["team"] = {"id": profile.team.id, "name": profile.team.name} if profile.team else None
    return data


@section("volunteer_signups")
def _volunteer_signups(user) -> list[dict]:
    """The person's sign-ups with the hours of each day."""
    mine = select(VolunteerProfile.id).where(VolunteerProfile.user_id == user.id)
    signups = db.session.scalars(select(VolunteerSignup).where(VolunteerSignup.profile_id.in_(mine))
                                 .options(selectinload(VolunteerSignup.hours)).order_by(VolunteerSignup.id))
    return [{**row(signup), "days": [row(day) for day in signup.hours]} for signup in signups]


@section("volunteer_check_ins", "volunteer_signups.checked_in_by_id")
def _volunteer_check_ins(user) -> list[dict]:
    """The sign-ups the person checked in as a unit contact: which and when, nothing of the
    volunteer (their words and hours are theirs)."""
    query = (select(VolunteerSignup.id, VolunteerSignup.project_id, VolunteerSignup.checked_in_at)
             .where(VolunteerSignup.checked_in_by_id == user.id).order_by(VolunteerSignup.id))
    return [{"signup_id": signup_id, "project_id": project_id, "checked_in_at": json_value(at)}
            for signup_id, project_id, at in db.session.execute(query)]


@section("volunteer_hours_recorded", "volunteer_hours.recorded_by_id")
def _volunteer_hours_recorded(user) -> list[dict]:
    return rows(VolunteerHours, VolunteerHours.recorded_by_id == user.id)


# ------------------------------------------------------------------ the account's own records


@section("notifications", "notifications.user_id")
def _notifications(user) -> list[dict]:
    return [{"id": n.id, "kind": n.kind, "text": render(n), "link": n.link,
             "created_at": json_value(n.created_at), "read": n.read_at is not None}
            for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                        .order_by(Notification.id))]


@section("api_tokens", "api_tokens.user_id")
def _api_tokens(user) -> list[dict]:
    """Metadata only: a token's secret is never stored, only its digest, which is not handed out."""
    return rows(ApiToken, ApiToken.user_id == user.id, exclude=("user_id",))


@section("sessions", "user_sessions.user_id")
def _sessions(user) -> list[dict]:
    """Where the person is or was logged in; the session key itself is never stored."""
    return rows(UserSession, UserSession.user_id == user.id, exclude=("user_id", "key_hash"))


@section("second_factor", "totp_factors.user_id", "recovery_codes.user_id")
def _second_factor(user) -> dict:
    """Whether a second factor is on, and how many recovery codes are left (never the secret)."""
    factor = db.session.scalar(select(TotpFactor).where(TotpFactor.user_id == user.id))
    unused = db.session.scalar(select(func.count()).select_from(RecoveryCode)
                               .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))
    return {"enabled": bool(factor and factor.confirmed_at), "enrolled_at": json_value(factor.confirmed_at)
            if factor else None, "recovery_codes_left": unused}


@section("exports", "export_jobs.user_id")
def _exports(user) -> list[dict]:
    """Spreadsheets the person asked the platform to prepare (their contents are not repeated)."""
    return rows(ExportJob, ExportJob.user_id == user.id, exclude=("user_id",))


@section("audit", "audit_records.actor_id")
def _audit(user) -> dict:
    """What the person did (by_me) and what was done to their account (about_me)."""
    query = select(AuditRecord).where(or_(
        AuditRecord.actor_id == user.id,
        (AuditRecord.object_type == "User") & (AuditRecord.object_id == user.id),
    )).order_by(AuditRecord.id)
    by_me, about_me = [], []
    for record in db.session.scalars(query):
        item = row(record)
        (by_me if record.actor_id == user.id else about_me).append(item)
    return {"by_me": by_me, "about_me": about_me}


# ------------------------------------------------------------------ extension point
# Volunteer profiles and sign-ups (and any later table that refers to a user) declare their
# section in their own module and are imported here, e.g.:
#     import coordination.volunteers.personal_data  # noqa: F401
import coordination.privacy.sections_pledges  # noqa: E402,F401
