"""Template globals and filters: navigation by role, masking, dates, languages."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, g, request, url_for
from flask_babel import format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from coordination.core import permissions
from coordination.core.enums import Role
from coordination.core.messages import note_text
from coordination.core.privacy import personal

# (endpoint, label, icon, who may see it); a link appears once its endpoint exists.
NAV_ITEMS = [
    ("core.home", _l("Home"), "house", None),
    ("needs.index", _l("Needs menu"), "lightbulb", None),
    ("projects.index", _l("Projects"), "kanban", None),
    ("dashboards.index", _l("Dashboard"), "bar-chart", None),
    ("evaluation.selection", _l("Annual selection"), "trophy", None),
]
# The "workbench" menu: each role's own tools.
WORK_ITEMS = [
    ("projects.tasks", _l("My to-do list"), "check2-square",
     lambda u: permissions.has_role(u, Role.STAFF, Role.COUNCIL, Role.COMMUNITY_COMMITTEE, Role.UNIT_REP,
                                    Role.STREET_COMMITTEE)),
    ("needs.triage_queue", _l("Triage"), "inbox", lambda u: permissions.has_role(u, Role.STAFF)),
    ("needs.import_file", _l("Import needs"), "file-earmark-spreadsheet", lambda u: permissions.has_role(u, Role.STAFF)),
    ("dashboards.exports_page", _l("Exports"), "download",
     lambda u: permissions.has_role(u, Role.STAFF, Role.COMMUNITY_COMMITTEE, Role.STREET_COMMITTEE, Role.ADMIN)),
    ("admin.index", _l("Administration"), "gear", permissions.can_manage_platform),
    ("core.audit_log", _l("Audit log"), "journal-text", permissions.can_view_audit_log),
]

# The phone's bottom bar: the four places people go most.
TAB_ITEMS = [
    ("core.home", _l("Home"), "house"),
    ("needs.index", _l("Needs"), "lightbulb"),
    ("projects.index", _l("Projects"), "kanban"),
    ("accounts.me", _l("Me"), "person"),
]


def navigation(items_table=None):
    endpoints = current_app.view_functions
    items = []
    for endpoint, label, icon, check in (items_table or NAV_ITEMS):
        if endpoint in endpoints and (check is None or check(current_user)):
            items.append({"endpoint": endpoint, "url": url_for(endpoint), "label": label, "icon": icon,
                          "active": request.endpoint == endpoint})
    return items


def tab_bar():
    endpoints = current_app.view_functions
    current = request.endpoint or ""

    def is_active(endpoint: str) -> bool:
        blueprint = endpoint.split(".")[0]
        if blueprint in {"core", "accounts"}:
            return current == endpoint
        return current.split(".")[0] == blueprint

    return [
        {"url": url_for(endpoint), "label": label, "icon": icon, "active": is_active(endpoint)}
        for endpoint, label, icon in TAB_ITEMS
        if endpoint in endpoints
    ]


def render_notification(notification) -> str:
    from coordination.core.notifications import render

    return render(notification)


def unread_notifications() -> int:
    from coordination.core.notifications import unread_count

    if not getattr(current_user, "is_authenticated", False):
        return 0
    if "unread_notifications" not in g:  # the layout shows it twice (phone and desktop)
        g.unread_notifications = unread_count(current_user)
    return g.unread_notifications


def enum_label(value, enum_name: str) -> str:
    """A stored code in words: ``{{ row.kind|enum_label('NeedKind') }}`` (the code itself if unknown)."""
    from coordination.core import enums

    try:
        return str(getattr(enums, enum_name)(value).label)
    except (ValueError, AttributeError):
        return "" if value is None else str(value)


def local_datetime(value: datetime | None, fmt: str = "short") -> str:
    if value is None:
        return ""
    return format_datetime(value, fmt)


def init_app(app) -> None:
    @app.context_processor
    def inject():
        locale = get_locale()
        return {
            "navigation": navigation,
            "workbench": lambda: navigation(WORK_ITEMS),
            "tab_bar": tab_bar,
            "languages": app.config["LANGUAGES"],
            "current_locale": "en" if locale and locale.language == "en" else "zh_CN",
            "html_lang": "en" if locale and locale.language == "en" else "zh-CN",
            "permissions": permissions,
            "has_endpoint": lambda name: name in app.view_functions,
            "render_notification": render_notification,
            "note_text": note_text,
            "unread_notifications": unread_notifications,
            "Role": Role,
        }

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["datetime"] = local_datetime
    app.jinja_env.filters["enum_label"] = enum_label
    app.jinja_env.filters["reject_keys"] = lambda mapping, *keys: {
        k: v for k, v in mapping.items() if k not in keys}
    app.jinja_env.filters["personal"] = lambda value, kind: personal(value, kind, current_user)
    app.jinja_env.globals["personal"] = lambda value, kind: personal(value, kind, current_user)
