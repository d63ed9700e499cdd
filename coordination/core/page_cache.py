"""The public page cache: what an anonymous visitor or an API client without a token reads is
rendered once per host, path, query string, language and display (standard or for elders), and
served again until the data changes.

Only the endpoints of ``PUBLIC_ENDPOINTS`` are cached, only for a GET without a session or
remember-me cookie and without an ``Authorization`` header (so nobody's personal or role-specific
view is ever stored, and what is stored is what every anonymous visitor sees), only when the
answer is a 200 that did not touch the session (a page that rendered a CSRF token is not
cached). Entries are keyed by a *page version* that every committed write replaces (any
INSERT, UPDATE or DELETE through the app's engine, see ``init_app``) and by the dashboards'
bulk-load invalidation; they also expire after ``PAGE_CACHE_SECONDS`` (relative dates, "overdue").
The version and the entries live in the configured cache (``CACHE_TYPE``), so every gunicorn
worker agrees; the headers of every answer (security headers, ``no-store`` on the API, rate
limits) are still added per request.

Under the same page version, each worker also keeps what logged-in visitors see: ``fragment``
keeps a part of a page that is the same for everybody (the needs menu's cards), and
``viewer_page`` a whole page for one person (the dashboard), keyed by who they are.
"""

from __future__ import annotations

import contextvars
import secrets
import time
from collections.abc import Callable
from typing import TypeVar

from flask import Flask
from flask import Response
from flask import current_app
from flask import g
from flask import request
from flask import session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event
from sqlalchemy.orm import Session

from coordination.core.application import forget_oldest
from coordination.core.display import display_mode
from coordination.core.i18n import select_locale
from coordination.core.template_helpers import CSRF_SLOT
from coordination.extensions import cache
from coordination.extensions import db

T = TypeVar("T")
VERSION_KEY = "pages:version"
PUBLIC_ENDPOINTS = frozenset({
    "portal.home", "needs.index", "needs.detail", "projects.index", "projects.detail",
    "api.list_needs", "api.get_need", "api.list_projects", "api.get_project", "api.stats_summary",
    "api.list_categories", "api.list_places", "api.list_units", "projects.unit_suggestions",
})
_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE")
# Set when a statement that changes data ran in this thread since the last commit or rollback.
_wrote: contextvars.ContextVar[bool] = contextvars.ContextVar("page_cache_wrote", default=False)


def version() -> str:
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), timeout=0)
        current = cache.get(VERSION_KEY)
    return current


def invalidate() -> None:
    """Forget every cached page (after a committed write, and after bulk loads)."""
    cache.set(VERSION_KEY, secrets.token_hex(8), timeout=0)


def _eligible() -> bool:
    config = current_app.config
    if not config["PAGE_CACHE_ENABLED"] or request.method != "GET":
        return False
    if request.endpoint not in PUBLIC_ENDPOINTS or "Authorization" in request.headers:
        return False
    cookies = request.cookies
    return config["SESSION_COOKIE_NAME"] not in cookies and config.get(
        "REMEMBER_COOKIE_NAME", "remember_token") not in cookies


def _key() -> str:
    # The scheme and host too: an answer may hold absolute links (the API's photo URLs), and a
    # request naming another host must not put its links in everybody's answer.
    # The display (standard or for elders) too: each is its own HTML for the same URL.
    return (f"pages:{version()}:{select_locale()}:{display_mode()}:"
            f"{request.scheme}://{request.host}{request.full_path}")


def serve_cached():
    """before_request: the stored answer when there is one (the view does not run)."""
    if not _eligible():
        return None
    key = _key()
    stored = cache.get(key)
    if stored is None:
        g.page_cache_key = key
        return None
    body, content_type = stored
    g.page_cache_hit = True
    return Response(body, status=200, content_type=content_type)


def store(response: Response) -> Response:
    """after_request: keep a fresh public answer (runs before the other after_request steps,
    so what is stored is the view's own answer, without per-request headers)."""
    key = g.pop("page_cache_key", None)
    if (key is None or response.status_code != 200 or response.direct_passthrough or response.is_streamed
            or session.modified or "Set-Cookie" in response.headers
            or response.mimetype not in ("text/html", "application/json")):
        return response
    cache.set(key, (response.get_data(), response.headers.get("Content-Type")),
              timeout=current_app.config["PAGE_CACHE_SECONDS"])
    return response


# ----------------------------------------------------------------------------- shared parts

# Parts of pages that everybody sees alike, logged in or not, kept in each worker's memory.
_FRAGMENTS: dict[str, tuple[float, object]] = {}
_FRAGMENTS_LIMIT = 256


def fragment(key: str, build: Callable[[], T]) -> T:
    """``build()`` for a part of a page that is the same for every visitor (the needs menu's
    filters and cards), kept in this worker under the page version: it is built again after
    any committed write, as the public pages are, and at least every ``PAGE_CACHE_SECONDS``.
    ``key`` names everything else the part depends on (language, query string, …); what is
    the visitor's own is filled in by the caller after."""
    config = current_app.config
    if not config["PAGE_CACHE_ENABLED"]:
        return build()
    full_key = f"{config['CACHE_KEY_PREFIX']}{version()}:{display_mode()}:{key}"
    now = time.monotonic()
    found = _FRAGMENTS.get(full_key)
    if found is not None and found[0] > now:
        return found[1]
    value = build()
    forget_oldest(_FRAGMENTS, _FRAGMENTS_LIMIT)
    _FRAGMENTS[full_key] = (now + config["PAGE_CACHE_SECONDS"], value)
    return value


# ----------------------------------------------------------------------------- a viewer's own pages

_VIEWER_PAGES: dict[str, tuple[float, tuple[str, ...]]] = {}
_VIEWER_PAGES_LIMIT = 256


def viewer_page(name: str, render: Callable[[], tuple[str, ...]]) -> tuple[str, ...]:
    """``render()`` (a page as one or more pieces of text) for the logged-in person, kept for
    them in this worker under the page version: rendered again after any committed write, as
    the public pages are, and at least every ``PAGE_CACHE_SECONDS``. The key holds the person,
    their roles, name and unread count, the language, the display and the full path; the logout form's token
    is put in on each request. A page with a message to show (``flash``) is always rendered."""
    config = current_app.config
    if (not config["PAGE_CACHE_ENABLED"] or not current_user.is_authenticated or "_flashes" in session
            or CSRF_SLOT in request.full_path):
        return render()
    key = ":".join(str(part) for part in (
        config["CACHE_KEY_PREFIX"], version(), name, current_user.id, sorted(current_user.roles),
        current_user.display_name, g.get("unread_notifications"), get_locale(), display_mode(),
        request.script_root, request.full_path))
    now = time.monotonic()
    found = _VIEWER_PAGES.get(key)
    if found is None or found[0] <= now:
        g.csrf_later = True
        try:
            pieces = render()
        finally:
            g.pop("csrf_later", None)
        forget_oldest(_VIEWER_PAGES, _VIEWER_PAGES_LIMIT)
        _VIEWER_PAGES[key] = found = (now + config["PAGE_CACHE_SECONDS"], pieces)
    token = generate_csrf()
    return tuple(piece.replace(CSRF_SLOT, token) for piece in found[1])


# ----------------------------------------------------------------------------- invalidation

def _statement_writes(conn, _cursor, statement: str, _parameters, _context, _executemany) -> None:
    if not _wrote.get() and statement.lstrip()[:7].upper().startswith(_WRITE_VERBS) \
            and not conn.get_execution_options().get("gr_bookkeeping", False):
        _wrote.set(True)


def _transaction_end(session: Session, *_args) -> None:
    # After commit and after rollback: a rolled-back change may have been seen (and cached) by
    # a request while it was flushed but not committed.
    if _wrote.get():
        _wrote.set(False)
        try:
            invalidate()
        except RuntimeError:  # no app context: nothing cached to forget here
            pass


def init_app(app: Flask) -> None:
    app.config.setdefault("PAGE_CACHE_ENABLED", True)
    app.config.setdefault("PAGE_CACHE_SECONDS", 60)
    app.before_request(serve_cached)
    # after_request functions run last-registered first: this one must see the view's answer
    # before the security headers and compression are added.
    app.after_request(store)
    with app.app_context():
        engine = db.engine
        if not getattr(engine, "_gr_page_cache", False):
            event.listen(engine, "before_cursor_execute", _statement_writes)
            engine._gr_page_cache = True
    if not getattr(Session, "_gr_page_cache_events", False):
        event.listen(Session, "after_commit", _transaction_end)
        event.listen(Session, "after_soft_rollback", _transaction_end)
        Session._gr_page_cache_events = True
