"""The steps of a pledge (承诺、践诺、评诺), defined once: who may take each, and who is told.

  (a Party-member volunteer: make)            → made
  made →(its pledger: keep, with a note)       → kept      the followers are told
  made, kept: anyone logged in follows or stops following
  kept: a follower other than the pledger rates it, once   the pledger is told

A pledge is overdue while it is made and its date has passed (``is_overdue``).
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coordination.core.enums import Role
from coordination.core.workflow import Notice
from coordination.core.workflow import Workflow
from coordination.core.workflow import step
from coordination.pledges import queries  # its functions are looked up when a step is taken
from coordination.pledges.enums import PledgeStatus as S
from coordination.pledges.enums import PledgeStep

FOLLOWERS, PLEDGER = "followers", "pledger"
VOLUNTEERS = (Role.RESIDENT, Role.WORKER)


def is_party_member(user, pledge=None) -> bool:
    """Does ``user``'s volunteer profile show them as a Party member (亮身份)?"""
    profile = queries.profile_of(user)
    return profile is not None and profile.party_member


def is_pledger(user, pledge) -> bool:
    """Is ``user`` the volunteer who made ``pledge``?"""
    return bool(getattr(user, "is_authenticated", False)) and queries.pledger_id(pledge) == user.id


def may_rate(user, pledge) -> bool:
    """A follower rates a kept pledge; its pledger never rates their own."""
    return not is_pledger(user, pledge) and queries.is_following(user, pledge)


STEPS = (
    step(PledgeStep.MAKE, (), S.MADE, *VOLUNTEERS, guard=is_party_member,
         forbidden_message=_l("Residents and office workers who are Party members make public pledges."),
         guard_message=_l("Public pledges are made by Party members: show your Party membership in your "
                          "volunteer profile first.")),
    step(PledgeStep.KEEP, S.MADE, S.KEPT, *VOLUNTEERS, needs_comment=True, guard=is_pledger,
         guard_message=_l("Only the volunteer who made the pledge records its fulfilment."),
         notices=(Notice("pledge.kept", FOLLOWERS),)),
    step(PledgeStep.FOLLOW, (S.MADE, S.KEPT), None, *Role),
    step(PledgeStep.UNFOLLOW, (S.MADE, S.KEPT), None, *Role),
    step(PledgeStep.RATE, S.KEPT, None, *VOLUNTEERS, guard=may_rate,
         forbidden_message=_l("Residents and office workers who follow a pledge rate it."),
         guard_message=_l("Follow the pledge to rate it; a volunteer does not rate their own pledge."),
         notices=(Notice("pledge.rated", PLEDGER),)),
)


def pledge_link(pledge) -> str:
    """The path of a pledge's page (no request needed, so commands can notify too)."""
    return f"/pledges/{pledge.id}"


def _conflict(pledge, transition) -> str:
    if transition.step is PledgeStep.RATE:
        return _("A pledge is rated once it is kept.")
    return _("This pledge is “%(status)s”; this step is not possible now.", status=pledge.status.label)


def is_overdue(pledge, today: date | None = None) -> bool:
    """Overdue: pledged, not yet kept, and its date has passed."""
    return pledge.status == S.MADE and pledge.due_on < (today or date.today())


PLEDGE_WORKFLOW: Workflow[PledgeStep, S] = Workflow(
    "pledge", STEPS,
    audiences={FOLLOWERS: lambda pledge: queries.followers(pledge),
               PLEDGER: lambda pledge: queries.pledger(pledge)},
    payload=lambda pledge: {"link": pledge_link(pledge), "title": pledge.title},
    conflict=_conflict, report_status=False,
)
