"""The display for elders (长辈版): larger text, larger targets, the main tasks first.

Following the MIIT 2021 general design specification for age-friendly websites (互联网网站适老化
通用设计规范). The choice is kept in a cookie, not the session, so an anonymous visitor keeps it and
is still served from the public page cache (``core/page_cache``), whose key holds the mode, as
does the memoised header (``core/template_helpers.page_chrome``).
"""

from __future__ import annotations

from flask import Response
from flask import has_request_context
from flask import request

COOKIE = "gr_display"
ELDER, STANDARD = "elder", "standard"
MODES = (ELDER, STANDARD)
COOKIE_SECONDS = 365 * 24 * 3600


def elder_mode() -> bool:
    """Whether this request is shown in the display for elders."""
    return has_request_context() and request.cookies.get(COOKIE) == ELDER


def display_mode() -> str:
    """The request's display, as a key part for the caches: ``elder`` or ``standard``."""
    return ELDER if elder_mode() else STANDARD


def remember(response: Response, mode: str) -> Response:
    """Keep ``mode`` for a year (the standard display is the absence of the cookie)."""
    secure = request.is_secure
    if mode == ELDER:
        response.set_cookie(COOKIE, ELDER, max_age=COOKIE_SECONDS, samesite="Lax", secure=secure)
    else:
        response.delete_cookie(COOKIE, samesite="Lax", secure=secure)
    return response
