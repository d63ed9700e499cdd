"""API: the caller's notifications — read them (in the reader's language), mark them read."""

from __future__ import annotations

from flask import request
from flask_babel import force_locale
from flask_babel import get_locale

from coordination.api import api
from coordination.api.schemas.common import Page
from coordination.api.schemas.notifications import NotificationOut
from coordination.api.schemas.notifications import NotificationQuery
from coordination.api.schemas.notifications import ReadBody
from coordination.api.schemas.notifications import UnreadOut
from coordination.core.notifications import inbox
from coordination.core.notifications import mark_read
from coordination.core.notifications import render
from coordination.core.notifications import unread_count
from coordination.extensions import db


def reader_locale(user) -> str:
    """The language the app asks for (Accept-Language), else the one the person chose."""
    if request.headers.get("Accept-Language") or not user.locale:
        return str(get_locale())
    return user.locale


@api.route("GET", "/me/notifications", summary="The caller's notifications, newest first",
           query=NotificationQuery, response=Page[NotificationOut], tags=("notifications",))
def my_notifications(user, query: NotificationQuery):
    """`?unread=1`: only the unread ones. The text is in the language the app asks for
    (Accept-Language), else in the one the person chose on the site."""
    pagination = db.paginate(inbox(user, unread=query.unread), page=query.page, per_page=query.per_page,
                             error_out=False)
    with force_locale(reader_locale(user)):
        items = [NotificationOut(id=n.id, kind=n.kind, text=render(n), link=n.link, created_at=n.created_at,
                                 read=n.read_at is not None) for n in pagination.items]
    return Page[NotificationOut](items=items, total=pagination.total or 0, page=query.page,
                                 per_page=query.per_page)


@api.route("POST", "/me/notifications/read", summary="Mark the caller's notifications read (all, or the ids given)",
           body=ReadBody, response=UnreadOut, tags=("notifications",))
def read_notifications(user, body: ReadBody):
    """Without `ids`, every notification of the caller; ids of other people's are ignored. Answers
    how many are still unread."""
    mark_read(user, body.ids)
    return UnreadOut(unread=unread_count(user))
