"""API: needs — submit, list, read, support, follow, triage, report and hide."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from coordination.api import api
from coordination.api.errors import ApiError
from coordination.api.schemas.common import CursorPage
from coordination.api.schemas.common import Page
from coordination.api.schemas.common import split_states
from coordination.api.schemas.needs import CategoryRef
from coordination.api.schemas.needs import FollowOut
from coordination.api.schemas.needs import NeedCreate
from coordination.api.schemas.needs import NeedOut
from coordination.api.schemas.needs import NeedQuery
from coordination.api.schemas.needs import ReasonBody
from coordination.api.schemas.needs import SimilarNeed
from coordination.api.schemas.needs import SimilarQuery
from coordination.api.schemas.needs import SupportOut
from coordination.api.schemas.needs import TriageBody
from coordination.api.spec import ANYONE
from coordination.core.enums import Role
from coordination.core.errors import InvalidInput
from coordination.core.paging import BadCursor
from coordination.extensions import db
from coordination.needs import operations
from coordination.needs import permissions
from coordination.needs import queries
from coordination.needs.enums import NeedChannel
from coordination.needs.models import Need
from coordination.needs.models import is_offline
from coordination.needs.operations import NeedInput
from coordination.needs.rules import NEED_WORKFLOW
from coordination.needs.rules import NeedStep
from coordination.places.models import Place
from coordination.projects.permissions import can_see_votes
from coordination.projects.queries import need_project_ids


def need_out(need: Need, user, supported: set[int] | None = None, following: set[int] | None = None,
             projects: dict[int, int] | None = None) -> NeedOut:
    staff = permissions.can_see_contact(user, need)
    return NeedOut(
        id=need.id, kind=need.kind.value, title=need.title, description=need.description,
        status=need.status.value, status_label=str(need.status.label), category_id=need.category_id,
        category=CategoryRef(id=need.category.id, code=need.category.code, name=need.category.local_name)
        if need.category else None,
        place_id=need.place_id, place_name=need.place.name, area_id=need.area_id, channel=need.channel.value,
        supports=need.support_count,
        project_id=(projects if projects is not None
                    else need_project_ids([need.id], internal=can_see_votes(user))).get(need.id),
        submitter_name=need.person_name if permissions.can_see_submitter(user, need) else None,
        contact_phone=need.contact_phone if staff else None,
        contact_email=need.contact_email if staff else None,
        merged_into=need.merged_into_id,
        rejection_reason=need.rejection_reason if permissions.can_see_rejection_reason(user, need) else None,
        hidden=need.hidden,
        photos=[url_for("needs.photo", photo_id=p.id, _external=True) for p in need.photos],
        supported_by_me=(need.id in supported) if supported is not None else None,
        following=(need.id in following) if following is not None else None,
        created_at=need.created_at, updated_at=need.updated_at,
    )


@api.route("POST", "/needs", summary="Submit a need (staff may record one from an offline channel)",
           body=NeedCreate, response=NeedOut, status=201, roles=(Role.RESIDENT, Role.WORKER, Role.STAFF),
           tags=("needs",))
def create_need(user, body: NeedCreate):
    channel = body.channel or NeedChannel.ONLINE.value
    offline = is_offline(channel) or body.on_behalf_of is not None
    if offline and not permissions.can_record_offline(user):
        raise ApiError(403, "forbidden", _("Only association staff record needs from offline channels "
                                           "or on behalf of others."))
    person = body.on_behalf_of
    if isinstance(person, str):
        person = {"name": person, "phone": None, "email": None}
    elif person is not None:
        person = person.model_dump()
    if offline and person is None:
        raise ApiError(400, "invalid", _("Please correct the marked fields."),
                       {"on_behalf_of": _("Name the person the need comes from.")})
    if offline and not is_offline(channel):
        raise ApiError(400, "invalid", _("Please correct the marked fields."),
                       {"channel": _("Give the offline channel the need came through.")})
    data = NeedInput(kind=body.kind, title=body.title, description=body.description, place_id=body.place_id,
                     category_id=body.category_id, show_submitter=body.show_submitter, channel=channel,
                     requester_name=person["name"] if person else None,
                     contact_phone=person["phone"] if person else None,
                     contact_email=person["email"] if person else None)
    try:
        need = operations.submit_need(user, data)
    except InvalidInput as exc:
        if "requester_name" in exc.fields:
            exc.fields["on_behalf_of"] = exc.fields.pop("requester_name")
        raise
    return need_out(need, user), 201


@api.route("GET", "/needs", summary="The needs menu (personal data masked)", query=NeedQuery,
           response=CursorPage[NeedOut], auth=ANYONE, tags=("needs",))
def list_needs(user, query: NeedQuery):
    f = queries.NeedFilter(
        status=split_states(query.status),
        category_id=query.category_id, area_id=query.area_id, place_id=query.place_id, kind=query.kind,
        channel=query.channel, q=query.q, sort=query.sort,
        include_hidden=permissions.can_moderate(user),
    )
    try:
        pagination = queries.menu_page(f, query.page, query.per_page, after=query.after, with_people=True)
    except BadCursor:
        raise ApiError(400, "invalid", _("Please correct the marked fields."),
                       {"after": _("This cursor is not valid; start again from the first page.")}) from None
    ids = [n.id for n in pagination.items]
    supported = queries.supported_by(user, ids) if user else None
    projects = need_project_ids(ids, internal=can_see_votes(user))
    return CursorPage[NeedOut](items=[need_out(n, user, supported, projects=projects) for n in pagination.items],
                               total=pagination.total, page=query.page, per_page=query.per_page,
                               next=pagination.next_cursor, total_capped=pagination.total_capped)


@api.route("GET", "/needs/similar", summary="Open needs nearby that look like a new one (ask before submitting)",
           query=SimilarQuery, response=Page[SimilarNeed], auth=ANYONE, tags=("needs",))
def similar_needs(user, query: SimilarQuery):
    place = db.session.get(Place, query.place_id)
    if place is None or place.area_id is None:
        raise ApiError(400, "invalid", _("Please correct the marked fields."),
                       {"place_id": _("Choose an existing residential community or office building.")})
    found = queries.similar_needs(query.title, query.description or "", place.area_id)
    return Page[SimilarNeed](items=[SimilarNeed(id=n.id, title=n.title, status=n.status.value,
                                                place_name=n.place.name, supports=n.support_count)
                                    for n in found], total=len(found), page=1, per_page=len(found) or 5)


@api.route("GET", "/needs/<int:need_id>", summary="One need with its status, supports and project",
           response=NeedOut, auth=ANYONE, tags=("needs",))
def get_need(user, need_id: int):
    need = queries.visible_need(user, need_id)
    supported = queries.supported_by(user, [need.id]) if user else None
    following = queries.followed_by(user, [need.id]) if user else None
    return need_out(need, user, supported, following)


@api.route("POST", "/needs/<int:need_id>/support", summary="\"I need this too\" (once per person)",
           response=SupportOut, roles=(Role.RESIDENT, Role.WORKER), errors=(409,), tags=("needs",))
def support_need(user, need_id: int):
    need = queries.visible_need(user, need_id)
    supports = operations.support_need(user, need)
    return SupportOut(supports=supports, supported=True)


@api.route("DELETE", "/needs/<int:need_id>/support", summary="Withdraw one's support",
           response=SupportOut, roles=(Role.RESIDENT, Role.WORKER), tags=("needs",))
def withdraw_support(user, need_id: int):
    need = queries.visible_need(user, need_id)
    return SupportOut(supports=operations.withdraw_support(user, need), supported=False)


@api.route("POST", "/needs/<int:need_id>/follow", summary="Be notified when the need changes",
           response=FollowOut, tags=("needs",))
def follow_need(user, need_id: int):
    operations.follow_need(user, queries.visible_need(user, need_id))
    return FollowOut(following=True)


@api.route("DELETE", "/needs/<int:need_id>/follow", summary="Stop following the need",
           response=FollowOut, tags=("needs",))
def unfollow_need(user, need_id: int):
    operations.unfollow_need(user, queries.visible_need(user, need_id))
    return FollowOut(following=False)


@api.route("POST", "/needs/<int:need_id>/triage", summary="Accept, reject or merge a submitted need",
           body=TriageBody, response=NeedOut, roles=NEED_WORKFLOW.roles(NeedStep.ACCEPT), errors=(409,), tags=("needs",))
def triage_need(user, need_id: int, body: TriageBody):
    queries.visible_need(user, need_id)
    need = operations.triage(user, need_id, NeedStep(body.action), category_id=body.category_id,
                             reason=body.reason, merge_into=body.merge_into)
    return need_out(need, user)


@api.route("POST", "/needs/<int:need_id>/report", summary="Report abusive content", body=ReasonBody,
           response=FollowOut, status=201, errors=(403,), tags=("needs",),
           description="403 for a need hidden by the moderators (staff see it, nobody reports it).")
def report_need(user, need_id: int, body: ReasonBody):
    operations.report_need(user, queries.visible_need(user, need_id), body.reason)
    return FollowOut(following=True), 201


@api.route("POST", "/needs/<int:need_id>/hide", summary="Hide abusive content from the public",
           body=ReasonBody, response=NeedOut, roles=(Role.STAFF,), errors=(409,), tags=("needs",))
def hide_need(user, need_id: int, body: ReasonBody):
    need = queries.visible_need(user, need_id)
    operations.hide_need(user, need, body.reason)
    return need_out(need, user)
