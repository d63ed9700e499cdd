"""Needs operations: submit, record offline, support, follow, accept, reject, merge, moderate.

Each one checks the rules, changes the state, writes the audit record, queues the
notifications and flushes; the caller commits (one transaction per request or command).
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from coordination.accounts.models import User
from coordination.accounts.queries import users_with
from coordination.core import audit
from coordination.core import messages
from coordination.core.enums import Role
from coordination.core.errors import Conflict
from coordination.core.errors import Forbidden
from coordination.core.errors import NotFound
from coordination.core.models.base import utcnow
from coordination.core.notifications import notify
from coordination.core.workflow import invalid
from coordination.extensions import db
from coordination.needs import permissions
from coordination.needs.enums import NeedChannel
from coordination.needs.enums import NeedKind
from coordination.needs.enums import NeedStatus
from coordination.needs.models import Category
from coordination.needs.models import ContentReport
from coordination.needs.models import Need
from coordination.needs.models import NeedFollower
from coordination.needs.models import NeedPhoto
from coordination.needs.models import NeedSupport
from coordination.needs.models import is_offline
from coordination.needs.photos import store_photo
from coordination.needs.rules import NEED_WORKFLOW
from coordination.needs.rules import SUPPORTABLE
from coordination.needs.rules import NeedStep
from coordination.needs.rules import need_link
from coordination.places.enums import PlaceKind
from coordination.places.models import Place

TITLE_MAX, DESCRIPTION_MAX = 120, 5000
NEED_KINDS = frozenset(kind.value for kind in NeedKind)
NEED_CHANNELS = frozenset(channel.value for channel in NeedChannel)


@dataclass
class NeedInput:
    """What a person says about a need, from a form, the API or a spreadsheet row."""

    kind: str
    title: str
    description: str
    place_id: int | None
    category_id: int | None = None
    show_submitter: bool = False
    channel: str = NeedChannel.ONLINE.value
    requester_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None


def validate_input(data: NeedInput, *, offline: bool, places: Mapping[int, Place] | None = None,
                   categories: Mapping[int, Category] | None = None) -> tuple[Place | None, Category | None, dict]:
    """Check a need's fields; returns the place, the category and {field: problem}.

    ``places`` and ``categories`` ({id: object}), when given, stand in for loading each one:
    a spreadsheet import checks thousands of rows against the same few."""
    errors: dict[str, str] = {}
    if data.kind not in NEED_KINDS:
        errors["kind"] = _("Choose a golden idea, a micro-wish or a request.")
    title = (data.title or "").strip()
    if not title:
        errors["title"] = _("This field is required.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("Use at most %(n)d characters.", n=TITLE_MAX)
    description = (data.description or "").strip()
    if not description:
        errors["description"] = _("This field is required.")
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = _("Use at most %(n)d characters.", n=DESCRIPTION_MAX)
    place = None
    if data.place_id:
        place = places.get(data.place_id) if places is not None else db.session.get(Place, data.place_id)
    if data.place_id in (None, ""):
        errors["place_id"] = _("Choose the residential community or office building.")
    elif place is None or not place.active or place.kind == PlaceKind.AREA:
        errors["place_id"] = _("Choose an existing residential community or office building.")
    category = None
    if data.category_id not in (None, "", 0):
        category = (categories.get(data.category_id) if categories is not None
                    else db.session.get(Category, data.category_id))
        if category is None:
            errors["category_id"] = _("There is no such category.")
    if data.channel not in NEED_CHANNELS:
        errors["channel"] = _("Choose one of: %(choices)s", choices=NeedChannel.label_list())
    elif not offline and is_offline(data.channel):
        errors["channel"] = _("Only association staff record needs from offline channels.")
    if offline:
        if not (data.requester_name or "").strip():
            errors["requester_name"] = _("Name the person the need comes from.")
        elif len(data.requester_name.strip()) > 60:
            errors["requester_name"] = _("Use at most %(n)d characters.", n=60)
        if data.contact_phone and len(data.contact_phone.strip()) > 30:
            errors["contact_phone"] = _("Use at most %(n)d characters.", n=30)
    return place, category, errors


def _follow(need: Need, user) -> None:
    if user is None:
        return
    exists = db.session.scalar(select(func.count()).select_from(NeedFollower)
                               .where(NeedFollower.need_id == need.id, NeedFollower.user_id == user.id))
    if not exists:
        db.session.add(NeedFollower(need_id=need.id, user_id=user.id))


def _attach_photos(need: Need, photos: list[bytes]) -> None:
    if len(photos) > current_app.config["PHOTO_MAX_COUNT"]:
        raise invalid({"photos": _("At most %(n)d photos.", n=current_app.config["PHOTO_MAX_COUNT"])})
    for data in photos:
        need.photos.append(NeedPhoto(**store_photo(data)))


def submit_need(user, data: NeedInput, photos: list[bytes] | None = None) -> Need:
    """A resident or office worker (or staff for themselves) submits a need online."""
    if not permissions.can_submit_need(user):
        raise Forbidden(_("Your role may not submit needs."))
    offline = is_offline(data.channel) or bool(data.requester_name)
    if offline:
        return record_offline_need(user, data, photos)
    place, category, errors = validate_input(data, offline=False)
    if errors:
        raise invalid(errors)
    need = Need(
        kind=NeedKind(data.kind), title=data.title.strip(), description=data.description.strip(),
        place=place, area_id=place.area_id, category=category, channel=NeedChannel.ONLINE,
        status=NeedStatus.SUBMITTED, submitter_id=user.id, show_submitter=bool(data.show_submitter),
    )
    db.session.add(need)
    db.session.flush()
    _attach_photos(need, photos or [])
    _follow(need, user)
    audit.record(user, "need.submit", need, to_state=NeedStatus.SUBMITTED)
    notify(users_with(Role.STAFF), "need.submitted", link=need_link(need),
           exclude=user, title=need.title)
    db.session.flush()
    return need


def record_offline_need(staff, data: NeedInput, photos: list[bytes] | None = None) -> Need:
    """Staff record a need from the meeting hall, reception room, a visit or the hotline."""
    if not permissions.can_record_offline(staff):
        raise Forbidden(_("Only association staff record needs on behalf of others."))
    place, category, errors = validate_input(data, offline=True)
    if errors:
        raise invalid(errors)
    need = Need(
        kind=NeedKind(data.kind), title=data.title.strip(), description=data.description.strip(),
        place=place, area_id=place.area_id, category=category, channel=NeedChannel(data.channel),
        status=NeedStatus.SUBMITTED, recorded_by_id=staff.id,
        requester_name=data.requester_name.strip(),
        contact_phone=(data.contact_phone or "").strip() or None,
        contact_email=(data.contact_email or "").strip() or None,
        show_submitter=bool(data.show_submitter),
    )
    db.session.add(need)
    db.session.flush()
    _attach_photos(need, photos or [])
    audit.record(staff, "need.record", need, to_state=NeedStatus.SUBMITTED,
                 details={"channel": need.channel.value})
    return need


def _locked(need_id: int) -> Need:
    """The need, locked for update (PostgreSQL), so concurrent changes queue up."""
    need = db.session.scalar(select(Need).where(Need.id == need_id).with_for_update()
                             .execution_options(populate_existing=True))
    if need is None:
        raise NotFound(_("There is no such need."))
    return need


def support_need(user, need: Need) -> int:
    """"I need this too": once per person; a second support changes nothing."""
    if not permissions.can_support(user, need):
        if permissions.is_submitter(user, need):
            raise Conflict(_("This is your own need."))
        if need.status not in SUPPORTABLE:
            raise Conflict(_("This need can no longer be supported."), current_status=need.status.value)
        raise Forbidden(_("Only residents and office workers support needs."))
    savepoint = db.session.begin_nested()
    try:
        db.session.execute(insert(NeedSupport).values(need_id=need.id, user_id=user.id, created_at=utcnow()))
        savepoint.commit()
    except IntegrityError:
        savepoint.rollback()  # already supported: nothing changes
        return _current_supports(need.id)
    db.session.execute(update(Need).where(Need.id == need.id)
                       .values(support_count=Need.support_count + 1))
    _follow(need, user)
    audit.record(user, "need.support", need)
    return _current_supports(need.id)


def withdraw_support(user, need: Need) -> int:
    result = db.session.execute(delete(NeedSupport).where(NeedSupport.need_id == need.id,
                                                          NeedSupport.user_id == user.id))
    if result.rowcount:
        db.session.execute(update(Need).where(Need.id == need.id)
                           .values(support_count=Need.support_count - 1))
        audit.record(user, "need.unsupport", need)
    return _current_supports(need.id)


def _current_supports(need_id: int) -> int:
    return db.session.scalar(select(Need.support_count).where(Need.id == need_id).execution_options(
        populate_existing=True))


def follow_need(user, need: Need) -> None:
    if not permissions.can_follow(user, need):
        raise Forbidden(_("Log in to follow needs."))
    _follow(need, user)
    db.session.flush()


def unfollow_need(user, need: Need) -> None:
    db.session.execute(delete(NeedFollower).where(NeedFollower.need_id == need.id,
                                                  NeedFollower.user_id == user.id))


def _triaged(staff, need: Need, step: NeedStep, comment: str | None = None, *, params: dict | None = None,
             link: str | None = None, first: Callable[[], None] | None = None, **changes) -> Need:
    """Take a triage step on a checked, locked need, with the columns it sets (after ``first``,
    once the people to tell are known); ``params`` and ``link`` go into the notices."""

    def apply() -> None:
        if first is not None:
            first()
        for name, value in {**changes, "triaged_at": utcnow(), "triaged_by_id": staff.id}.items():
            setattr(need, name, value)

    NEED_WORKFLOW.take(staff, need, step, comment, apply=apply, check=False, params=params, link=link)
    return need


def _to_triage(staff, need_id: int, step: NeedStep) -> Need:
    """The need, locked, once ``staff`` may take ``step`` on it (403 before 404 before 409)."""
    NEED_WORKFLOW.check_role(staff, step)
    need = _locked(need_id)
    NEED_WORKFLOW.check(staff, need, step)
    return need


def accept_need(staff, need_id: int, category_id: int | None = None) -> Need:
    """Staff accept a need into the needs menu, under a category (its own, if none is chosen)."""
    need = _to_triage(staff, need_id, NeedStep.ACCEPT)
    category = db.session.get(Category, category_id) if category_id else None
    category = category or need.category
    if category is None:
        raise invalid({"category_id": _("Choose the category of the needs menu.")})
    return _triaged(staff, need, NeedStep.ACCEPT, category=category)


def reject_need(staff, need_id: int, reason: str | None) -> Need:
    """Staff reject a need, with the reason the submitter will read."""
    need = _to_triage(staff, need_id, NeedStep.REJECT)
    reason = (reason or "").strip()
    if not reason:
        raise invalid({"reason": _("Give the reason; the submitter will see it.")})
    return _triaged(staff, need, NeedStep.REJECT, reason, params={"reason": reason}, rejection_reason=reason)


def merge_need(staff, need_id: int, into: int | None) -> Need:
    """Staff merge a duplicate into another need: its supporters and followers move there."""
    need = _to_triage(staff, need_id, NeedStep.MERGE)
    target = db.session.get(Need, into) if into else None
    if target is None or target.id == need.id or target.hidden:
        raise invalid({"merge_into": _("Choose another, existing need to merge into.")})
    if target.status in (NeedStatus.REJECTED, NeedStatus.MERGED):
        raise invalid({"merge_into": _("A rejected or merged need cannot take others in.")})
    audit.record(staff, "need.merged_in", target, note=messages.note("need.merged_from", id=need.id))
    # Its followers are told before they move to the target (the step's audience is read first).
    return _triaged(staff, need, NeedStep.MERGE, params={"into_id": target.id, "into_title": target.title},
                    link=need_link(target), first=lambda: _carry_over(need, target), merged_into_id=target.id)


def triage(staff, need_id: int, step: NeedStep, *, category_id: int | None = None, reason: str | None = None,
           merge_into: int | None = None) -> Need:
    """The triage form and the API's triage route offer the three triage steps as one choice."""
    if step is NeedStep.ACCEPT:
        return accept_need(staff, need_id, category_id)
    if step is NeedStep.REJECT:
        return reject_need(staff, need_id, reason)
    if step is NeedStep.MERGE:
        return merge_need(staff, need_id, merge_into)
    raise ValueError(f"{step} is not a triage step")


def _carry_over(source: Need, target: Need) -> None:
    """Supports and followers of a merged need move to the need it was merged into."""
    for model in (NeedSupport, NeedFollower):
        taken = select(model.user_id).where(model.need_id == target.id)
        moving = update(model).where(model.need_id == source.id, model.user_id.not_in(taken))
        if model is NeedSupport and target.submitter_id is not None:
            moving = moving.where(model.user_id != target.submitter_id)  # nobody supports their own need
        db.session.execute(moving.values(need_id=target.id))
        db.session.execute(delete(model).where(model.need_id == source.id))
    if source.submitter_id and source.submitter_id != target.submitter_id:
        # The person who submitted the duplicate now needs the target too.
        exists = db.session.scalar(select(func.count()).select_from(NeedSupport).where(
            NeedSupport.need_id == target.id, NeedSupport.user_id == source.submitter_id))
        if not exists:
            db.session.add(NeedSupport(need_id=target.id, user_id=source.submitter_id))
        _follow(target, db.session.get(User, source.submitter_id))
    db.session.flush()
    for need in (source, target):
        count = db.session.scalar(select(func.count()).select_from(NeedSupport)
                                  .where(NeedSupport.need_id == need.id))
        db.session.execute(update(Need).where(Need.id == need.id).values(support_count=count))
    db.session.refresh(target)
    db.session.refresh(source)


def move_by_project(actor, need: Need, step: NeedStep, note: dict) -> None:
    """The projects domain moves its needs: into an approved project, fulfilled by a completed
    one (``note``: why, as ``coordination.core.messages.note``)."""
    NEED_WORKFLOW.check(None, need, step)
    NEED_WORKFLOW.take(actor, need, step, note=note, check=False)


def report_need(user, need: Need, reason: str) -> ContentReport:
    if not permissions.can_report(user, need):
        raise Forbidden(_("Log in to report content."))
    reason = (reason or "").strip()
    if not reason:
        raise invalid({"reason": _("Say what is wrong with it.")})
    existing = db.session.scalar(select(ContentReport).where(ContentReport.need_id == need.id,
                                                            ContentReport.reporter_id == user.id))
    if existing is not None:
        return existing
    report = ContentReport(need_id=need.id, reporter_id=user.id, reason=reason[:2000])
    db.session.add(report)
    db.session.flush()
    # The reason stays in the report (erasable if the person deletes their account), not in the
    # audit log, which can never be edited.
    audit.record(user, "need.report", need, details={"report_id": report.id})
    notify(users_with(Role.STAFF), "need.reported", link=need_link(need), title=need.title)
    return report


def hide_need(staff, need: Need, reason: str) -> None:
    if not permissions.can_moderate(staff):
        raise Forbidden(_("Only association staff moderate content."))
    reason = (reason or "").strip()
    if not reason:
        raise invalid({"reason": _("Give the reason for hiding it.")})
    if need.hidden:
        raise Conflict(_("This need is already hidden."))
    need.hidden, need.hidden_reason = True, reason
    db.session.execute(update(ContentReport).where(ContentReport.need_id == need.id,
                                                   ContentReport.resolved.is_(False))
                       .values(resolved=True, resolved_at=utcnow(), resolved_by_id=staff.id))
    db.session.flush()
    audit.record(staff, "need.hide", need, from_state="visible", to_state="hidden", comment=reason)
    if need.submitter is not None:
        notify([need.submitter], "need.hidden", title=need.title, reason=reason)


def unhide_need(staff, need: Need) -> None:
    if not permissions.can_moderate(staff):
        raise Forbidden(_("Only association staff moderate content."))
    if not need.hidden:
        raise Conflict(_("This need is not hidden."))
    need.hidden, need.hidden_reason = False, None
    db.session.flush()
    audit.record(staff, "need.unhide", need, from_state="hidden", to_state="visible")


def dismiss_reports(staff, need: Need) -> None:
    if not permissions.can_moderate(staff):
        raise Forbidden(_("Only association staff moderate content."))
    db.session.execute(update(ContentReport).where(ContentReport.need_id == need.id,
                                                   ContentReport.resolved.is_(False))
                       .values(resolved=True, resolved_at=utcnow(), resolved_by_id=staff.id))
    audit.record(staff, "need.reports_dismissed", need)
