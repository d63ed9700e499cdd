"""Template globals and filters: navigation by role, masking, dates, languages."""

from __future__ import annotations

import secrets
from datetime import datetime
from decimal import Decimal

from flask import Flask
from flask import current_app
from flask import g
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import format_datetime
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from markupsafe import escape

from coordination.core import permissions
from coordination.core.application import forget_oldest
from coordination.core.display import ELDER
from coordination.core.display import STANDARD
from coordination.core.display import display_mode
from coordination.core.display import elder_mode
from coordination.core.enums import LabelledEnum
from coordination.core.enums import Role
from coordination.core.messages import note_text
from coordination.core.notifications import render
from coordination.core.notifications import unread_count
from coordination.core.privacy import personal

# (endpoint, label, icon, who may see it); a link appears once its endpoint exists.
NAV_ITEMS = [
    ("portal.home", _l("Home"), "house", None),
    ("needs.index", _l("Needs menu"), "lightbulb", None),
    ("projects.index", _l("Projects"), "kanban", None),
    ("dashboards.index", _l("Dashboard"), "bar-chart", None),
    ("volunteers.teams", _l("Volunteers"), "people", None),
    ("evaluation.selection", _l("Annual selection"), "trophy", None),
]
# The "workbench" menu: each role's own tools.
WORK_ITEMS = [
    ("projects.tasks", _l("My to-do list"), "check2-square",
     lambda u: permissions.has_role(u, Role.STAFF, Role.COUNCIL, Role.COMMUNITY_COMMITTEE, Role.UNIT_REP,
                                    Role.STREET_COMMITTEE)),
    ("needs.triage_queue", _l("Triage"), "inbox", lambda u: permissions.has_role(u, Role.STAFF)),
    ("needs.import_file", _l("Import needs"), "file-earmark-spreadsheet", lambda u: permissions.has_role(u, Role.STAFF)),
    ("portal.posters", _l("Posters: scan to raise a need"), "printer", lambda u: permissions.has_role(u, Role.STAFF)),
    ("volunteers.directory", _l("Volunteer directory"), "people",
     lambda u: permissions.has_role(u, Role.STAFF, Role.UNIT_REP)),
    ("dashboards.exports_page", _l("Exports"), "download",
     lambda u: permissions.has_role(u, Role.STAFF, Role.COMMUNITY_COMMITTEE, Role.STREET_COMMITTEE, Role.ADMIN)),
    ("admin.index", _l("Administration"), "gear", permissions.can_manage_platform),
    ("core.audit_log", _l("Audit log"), "journal-text", permissions.can_view_audit_log),
]

# The phone's bottom bar: the four places people go most.
TAB_ITEMS = [
    ("portal.home", _l("Home"), "house"),
    ("needs.index", _l("Needs"), "lightbulb"),
    ("projects.index", _l("Projects"), "kanban"),
    ("portal.me", _l("Me"), "person"),
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


# The header and the phone's tab bar are the same for everyone with the same language, display,
# page, roles, name and unread count: each such variant is rendered once per worker and kept (a
# bounded number of them). What differs per request goes in as placeholders, replaced on every
# request: the logout form's CSRF token (per session) and the language and display links (which
# come back to this very page, query string and all). The placeholders are random per worker, so
# no text a visitor types can stand for one.
CSRF_SLOT = f"gr-csrf-{secrets.token_hex(16)}"
LANGUAGE_SLOT = f"gr-language-{secrets.token_hex(16)}-"
DISPLAY_SLOT = f"gr-display-{secrets.token_hex(16)}"
_CHROME: dict[tuple, str] = {}
_CHROME_LIMIT = 512


def page_chrome(part: str) -> Markup:
    """``core/_header.html`` or ``core/_tab_bar.html`` for this request (``part``: header or tab_bar)."""
    authenticated = bool(getattr(current_user, "is_authenticated", False))
    header = part == "header"
    unread = unread_notifications() if header and authenticated else 0
    mode = display_mode()
    key = (part, str(get_locale()), mode, request.script_root, request.endpoint,
           (frozenset(current_user.roles), current_user.display_name) if authenticated else None, unread)
    html = _CHROME.get(key)
    if html is None:
        slots = {"csrf_slot": Markup(CSRF_SLOT),  # nosec B704 - a constant of this module
                 "language_slot": Markup(LANGUAGE_SLOT),  # nosec B704 - a constant of this module
                 "display_slot": Markup(DISPLAY_SLOT)}  # nosec B704 - a constant of this module
        html = render_template(f"core/_{part}.html", **slots)
        forget_oldest(_CHROME, _CHROME_LIMIT)
        _CHROME[key] = html
    if header:
        if authenticated and not g.get("csrf_later"):  # first: the links below carry text the visitor typed
            html = html.replace(CSRF_SLOT, generate_csrf())
        for code in current_app.config["LANGUAGES"]:
            link = Flask.url_for(current_app._get_current_object(), "core.set_language", code=code,
                                 next=request.full_path)  # not memoised: one per page visited
            html = html.replace(f'{LANGUAGE_SLOT}{code}"', f'{escape(link)}"')
        switch = Flask.url_for(current_app._get_current_object(), "core.set_display",
                               mode=STANDARD if mode == ELDER else ELDER, next=request.full_path)
        html = html.replace(f'{DISPLAY_SLOT}"', f'{escape(switch)}"')
    return Markup(html)  # nosec B704 - rendered by our autoescaping templates


def render_notification(notification) -> str:
    return render(notification)


def unread_notifications() -> int:
    if not getattr(current_user, "is_authenticated", False):
        return 0
    if "unread_notifications" not in g:  # the layout shows it twice (phone and desktop)
        g.unread_notifications = unread_count(current_user)
    return g.unread_notifications


def enum_label(value, enum_name: str) -> str:
    """A stored code in words: ``{{ row.kind|enum_label('NeedKind') }}`` (the code itself if unknown)."""
    try:
        return str(LabelledEnum.named(enum_name)(value).label)
    except (ValueError, KeyError):
        return "" if value is None else str(value)


def hours(value) -> str:
    """Hours as people write them: grouped thousands, one decimal unless it is 0, never an
    exponent (``1,234,567.5``, ``3``)."""
    text = f"{Decimal(str(value or 0)):,.1f}"
    return text.removesuffix(".0")


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
            "elder_mode": elder_mode(),
            "permissions": permissions,
            "has_endpoint": lambda name: name in app.view_functions,
            "render_notification": render_notification,
            "note_text": note_text,
            "unread_notifications": unread_notifications,
            "page_chrome": page_chrome,
            "Role": Role,
        }

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["datetime"] = local_datetime
    app.jinja_env.filters["enum_label"] = enum_label
    app.jinja_env.filters["hours"] = hours
    app.jinja_env.filters["reject_keys"] = lambda mapping, *keys: {
        k: v for k, v in mapping.items() if k not in keys}
    app.jinja_env.filters["personal"] = lambda value, kind: personal(value, kind, current_user)
    app.jinja_env.globals["personal"] = lambda value, kind: personal(value, kind, current_user)
