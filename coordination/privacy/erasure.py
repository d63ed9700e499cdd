"""Deleting one's account (注销账号): the person disappears, their contributions stay anonymous.

What happens, in the caller's transaction, with one audit record ``user.delete``:

- The account: the username becomes a random tombstone (``deleted-…``, a prefix nobody may
  register) that can never log in (the account is inactive and its password hash is replaced by
  the hash of a random secret nobody knows); the display name becomes "已注销用户"; real name,
  phone, e-mail, language and last login are erased; API tokens are revoked and every session
  ends (the new password hash changes the session fingerprint, see ``_end_all_sessions``).
  The community or building and the role stay, so figures by place and by role do not change.
  The original username is free again: a new person may register it (PIPL does not reserve it),
  but they get a new account id, and every old record points to the old id, so no history
  attaches to them.
- Needs they submitted stay (with their status, supports, category and place) so the needs menu,
  every count and every project built on them stay valid. Their contact fields are erased, the
  description (free text that may say anything about the person) is replaced by a marker, and
  photos are removed. The title is kept: it is the public name of the need, shown in the menu,
  on projects built from it and in the tamper-evident audit log (which cannot be edited), and
  the submission form asks for a short public title, not personal details.
- Supports, survey responses (scores kept, free-text answers replaced by the marker) and
  ballots (which never say for whom) stay as anonymous records, so supports, satisfaction
  rates and selection results do not change.
- Content reports keep their existence (moderation history) but their free-text reason is
  replaced; follows, survey invitations and notifications (the person's own inbox, read by nobody
  else) are deleted.
- The audit log is never rewritten, except ``actor_name`` and ``ip_address`` of the person's own
  records, which are erased; the hash chain leaves those two columns out for exactly this.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import delete
from sqlalchemy import event
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session

from coordination.accounts.models import LoginAttempt
from coordination.accounts.models import RecoveryCode
from coordination.accounts.models import TotpFactor
from coordination.accounts.models import User
from coordination.accounts.operations import TOMBSTONE_PREFIX
from coordination.accounts.passwords import hash_password
from coordination.accounts.passwords import verify_password
from coordination.accounts.sessions import revoke_user_sessions
from coordination.accounts.tokens import revoke_all_tokens
from coordination.core import audit
from coordination.core.errors import Forbidden
from coordination.core.errors import InvalidInput
from coordination.core.models import Notification
from coordination.core.models.base import utcnow
from coordination.evaluation.models import SurveyAnswer
from coordination.evaluation.models import SurveyInvitee
from coordination.evaluation.models import SurveyResponse
from coordination.extensions import db
from coordination.needs.models import ContentReport
from coordination.needs.models import Need
from coordination.needs.models import NeedFollower
from coordination.needs.models import NeedPhoto
from coordination.needs.photos import photo_path
from coordination.pledges.models import Pledge
from coordination.pledges.models import PledgeFollower
from coordination.pledges.models import PledgePhoto
from coordination.pledges.models import PledgeRating
from coordination.privacy.permissions import can_delete_own_account
from coordination.volunteers.enums import SignupStatus
from coordination.volunteers.models import VolunteerHours
from coordination.volunteers.models import VolunteerProfile
from coordination.volunteers.models import VolunteerProfileSkill
from coordination.volunteers.models import VolunteerSignup

DELETED_NAME = "已注销用户"  # stored, not translated: records keep the platform's language
ERASED_TEXT = "（内容已随账号注销删除）"

# What deletion does with each reference to the person (``table.column``). The test
# ``tests/privacy/test_erasure.py`` fails when a table referring to users is missing here.
POLICY = {
    "user_roles.user_id": "kept (an inactive account keeps its role for figures by role)",
    "api_tokens.user_id": "revoked",
    "user_sessions.user_id": "revoked (every browser is logged out)",
    "totp_factors.user_id": "deleted",
    "recovery_codes.user_id": "deleted",
    "export_jobs.user_id": "none to erase: residents and office workers cannot export",
    "notifications.user_id": "deleted (the person's own inbox)",
    "audit_records.actor_id": "kept; actor_name and ip_address erased",
    "needs.submitter_id": "kept anonymous; description replaced, contact fields erased, photos removed",
    "needs.recorded_by_id": "staff only (staff cannot delete their account)",
    "needs.triaged_by_id": "staff only",
    "need_supports.user_id": "kept anonymous (support counts stay)",
    "need_followers.user_id": "deleted",
    "content_reports.reporter_id": "kept; reason replaced",
    "content_reports.resolved_by_id": "staff only",
    "survey_responses.respondent_id": "kept anonymous; free-text answers replaced",
    "survey_responses.entered_by_id": "staff only",
    "surveys.opened_by_id": "staff only",
    "survey_invites.created_by_id": "staff only",
    "survey_invitees.user_id": "deleted (an invitation to a person who no longer exists)",
    "selection_ballots.voter_id": "kept anonymous (a ballot never says for whom)",
    "selections.opened_by_id": "street committee only",
    "indicator_scores.evaluator_id": "staff only",
    "evaluation_reviews.reviewer_id": "street committee only",
    "projects.created_by_id": "staff only",
    "council_votes.voter_id": "council only",
    "council_members.user_id": "council only",
    "project_partners.joined_by_id": "unit contacts only",
    "progress_reports.reporter_id": "unit contacts only",
    "pledge_followers.user_id": "deleted",
    "pledge_ratings.rater_id": "kept anonymous (the pledge's rating stays); the comment replaced",
    "volunteer_profiles.user_id": ("kept anonymous: out of the directory; Party organisation, own words, "
                                   "willingness and availability erased, skills removed; hours stay in the figures"),
    "volunteer_signups.checked_in_by_id": ("kept (a unit contact's tick, or the volunteer's own scan); the person's "
                                           "own sign-ups keep their hours, lose their notes, and those still "
                                           "holding a place are withdrawn"),
    "volunteer_hours.recorded_by_id": "unit contacts only",
}


class WrongPassword(InvalidInput):
    code = "wrong_password"


def delete_account(user: User, password: str) -> None:
    """The person deletes their own account after confirming their password."""
    # Two deletions at once: the second waits, then stops. (Only the users row is locked: the
    # session loaded the user with its roles joined, which PostgreSQL cannot lock FOR UPDATE.)
    db.session.refresh(user, with_for_update={"of": User})
    if not can_delete_own_account(user):
        raise Forbidden(_("Accounts with roles other than resident or office worker are closed by an "
                          "administrator."))
    if not verify_password(user.password_hash, password or ""):
        message = _("The password is wrong.")
        raise WrongPassword(message, fields={"password": message})
    _erase_contributions(user)
    former_username = user.username
    user.username = TOMBSTONE_PREFIX + secrets.token_hex(12)
    user.display_name = DELETED_NAME
    user.real_name = user.phone = user.email = user.locale = None
    user.last_login_at = None
    user.password_hash = hash_password(secrets.token_urlsafe(32))
    user.active = False
    user.deleted_at = utcnow()
    _end_all_sessions(user)
    _remove_second_factor(user, former_username)
    db.session.flush()
    audit.record(user, "user.delete", user)
    db.session.flush()
    audit.erase_actor_details(user.id)


def _end_all_sessions(user: User) -> None:
    """Every way the person is logged in ends here: API tokens and server-side web sessions."""
    revoke_all_tokens(user)
    revoke_user_sessions(user)


def _remove_second_factor(user: User, username: str) -> None:
    """The person's second-factor secret and recovery codes, and the failed-login records kept
    under their username (it names them, with the addresses they used)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(TotpFactor).where(TotpFactor.user_id == user.id))
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.username == username.lower()))


def _erase_contributions(user: User) -> None:
    session = db.session
    own_needs = select(Need.id).where(Need.submitter_id == user.id).scalar_subquery()
    # Through the ORM, row by row (a person has few needs), so the search index forgets the text too.
    for need in session.scalars(select(Need).where(Need.submitter_id == user.id)):
        need.description, need.contact_phone, need.contact_email = ERASED_TEXT, None, None
        need.requester_name, need.show_submitter = None, False
    session.flush()
    photos = session.scalars(select(NeedPhoto.stored_name).where(NeedPhoto.need_id.in_(own_needs))).all()
    session.execute(delete(NeedPhoto).where(NeedPhoto.need_id.in_(own_needs))
                    .execution_options(synchronize_session="fetch"))
    _remove_files_after_commit(session, photos)
    session.execute(
        update(SurveyAnswer)
        .where(SurveyAnswer.response_id.in_(select(SurveyResponse.id).where(SurveyResponse.respondent_id == user.id)),
               SurveyAnswer.text.is_not(None))
        .values(text=ERASED_TEXT).execution_options(synchronize_session="fetch"))
    session.execute(update(ContentReport).where(ContentReport.reporter_id == user.id)
                    .values(reason=ERASED_TEXT).execution_options(synchronize_session="fetch"))
    session.execute(delete(NeedFollower).where(NeedFollower.user_id == user.id)
                    .execution_options(synchronize_session="fetch"))

    session.execute(delete(Notification).where(Notification.user_id == user.id)
                    .execution_options(synchronize_session="fetch"))
    session.execute(delete(SurveyInvitee).where(SurveyInvitee.user_id == user.id)
                    .execution_options(synchronize_session="fetch"))
    _erase_volunteer_profile(user)
    _erase_pledges(user)


def _erase_volunteer_profile(user: User) -> None:
    """The profile stays (its hours count for the team and the units) but says nothing of the person."""
    session = db.session
    profile = session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == user.id))
    if profile is None:
        return
    session.execute(delete(VolunteerProfileSkill).where(VolunteerProfileSkill.profile_id == profile.id))
    profile.public, profile.party_org, profile.other_skills = False, None, None
    profile.willingness, profile.availability = ERASED_TEXT, None
    mine = select(VolunteerSignup.id).where(VolunteerSignup.profile_id == profile.id)
    session.execute(update(VolunteerSignup).where(VolunteerSignup.profile_id == profile.id).values(note=None)
                    .execution_options(synchronize_session="fetch"))
    session.execute(update(VolunteerHours).where(VolunteerHours.signup_id.in_(mine)).values(note=None)
                    .execution_options(synchronize_session="fetch"))
    session.execute(update(VolunteerSignup).where(VolunteerSignup.profile_id == profile.id,
                                                  VolunteerSignup.status == SignupStatus.SIGNED_UP)
                    .values(status=SignupStatus.WITHDRAWN, withdrawn_at=utcnow())
                    .execution_options(synchronize_session="fetch"))
    session.flush()


def _erase_pledges(user: User) -> None:
    """The person's pledges stay (their titles and ratings are public records) but their words and
    photos go; their ratings stay anonymous without a comment; what they followed is forgotten."""
    session = db.session
    profiles = select(VolunteerProfile.id).where(VolunteerProfile.user_id == user.id)
    session.execute(update(Pledge).where(Pledge.profile_id.in_(profiles)).values(content=ERASED_TEXT)
                    .execution_options(synchronize_session="fetch"))
    session.execute(update(Pledge).where(Pledge.profile_id.in_(profiles), Pledge.fulfilment_note.is_not(None))
                    .values(fulfilment_note=ERASED_TEXT).execution_options(synchronize_session="fetch"))
    mine = select(Pledge.id).where(Pledge.profile_id.in_(profiles))
    photos = session.scalars(select(PledgePhoto.stored_name).where(PledgePhoto.pledge_id.in_(mine))).all()
    session.execute(delete(PledgePhoto).where(PledgePhoto.pledge_id.in_(mine))
                    .execution_options(synchronize_session="fetch"))
    _remove_files_after_commit(session, photos)
    session.execute(update(PledgeRating).where(PledgeRating.rater_id == user.id, PledgeRating.comment.is_not(None))
                    .values(comment=ERASED_TEXT).execution_options(synchronize_session="fetch"))
    session.execute(delete(PledgeFollower).where(PledgeFollower.user_id == user.id)
                    .execution_options(synchronize_session="fetch"))


def _remove_files_after_commit(session, stored_names) -> None:
    if stored_names:
        session.info.setdefault("files_to_remove", []).extend(stored_names)


@event.listens_for(Session, "after_commit")
def _remove_files(session) -> None:
    for name in session.info.pop("files_to_remove", []):
        Path(photo_path(name)).unlink(missing_ok=True)


@event.listens_for(Session, "after_soft_rollback")
def _keep_files(session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop("files_to_remove", None)
