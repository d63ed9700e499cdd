"""The dashboards' cache: what the charts show is computed once per filter and language and
kept until the data behind it changes.

Every committed transaction that wrote to a table the dashboards read (needs, projects,
progress, surveys, places, units, categories) replaces a shared *data version*; cached entries
are keyed by that version, so the first request after a change recomputes and nothing stale is
ever served for longer than it takes to commit. The version and the entries live in the
configured cache (``CACHE_TYPE``: a folder in the instance path by default, shared by every
gunicorn worker of one machine; Redis in production), so all workers agree.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from threading import Lock
from typing import Any

from flask import current_app
from flask import g
from flask import has_app_context
from flask import has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from coordination.core import page_cache
from coordination.core import signals
from coordination.evaluation.models import Survey
from coordination.evaluation.models import SurveyAnswer
from coordination.evaluation.models import SurveyQuestion
from coordination.evaluation.models import SurveyResponse
from coordination.extensions import cache
from coordination.needs.models import Category
from coordination.needs.models import Need
from coordination.places.models import MemberUnit
from coordination.places.models import Place
from coordination.projects.models import ProgressReport
from coordination.projects.models import Project
from coordination.projects.models import ProjectPartner
from coordination.volunteers.models import VolunteerHours

VERSION_KEY = "dashboards:version"
_VERSION_SEEN = "dashboards_version_seen"
_DIRTY = "dashboards_dirty"


def _watched_tables() -> frozenset[str]:
    models = (Need, Category, Place, MemberUnit, Project, ProjectPartner, ProgressReport, Survey,
              SurveyQuestion, SurveyResponse, SurveyAnswer, VolunteerHours)
    return frozenset(model.__table__.name for model in models)


_tables: frozenset[str] | None = None


def watched_tables() -> frozenset[str]:
    global _tables
    if _tables is None:
        _tables = _watched_tables()
    return _tables


def data_version() -> str:
    """The current data version (read once per request: a request that writes replaces it
    only when it commits, and ``invalidate`` forgets the request's copy)."""
    remembered = g.get(_VERSION_SEEN) if has_request_context() else None
    if remembered is not None:
        return remembered
    version = cache.get(VERSION_KEY)
    if version is None:
        version = secrets.token_hex(8)
        cache.add(VERSION_KEY, version, timeout=0)
        version = cache.get(VERSION_KEY) or version
    if has_request_context():
        setattr(g, _VERSION_SEEN, version)
    return version


def invalidate() -> None:
    """Forget every cached dashboard figure (called after writes, and by bulk loaders); the
    public pages (core/page_cache.py) are forgotten with them, and the new version is
    announced (``signals.dashboards_invalidated``: ``refresh_jobs.py`` has the worker compute the
    default charts again, so that the first visitor does not wait for them)."""
    version = secrets.token_hex(8)
    cache.set(VERSION_KEY, version, timeout=0)
    if has_request_context():
        g.pop(_VERSION_SEEN, None)
    page_cache.invalidate()
    signals.dashboards_invalidated.send(version)


@signals.bulk_loaded.connect
def _bulk_loaded(_sender, **_kwargs) -> None:
    invalidate()


def cached(key: str, build: Callable[[], Any]) -> Any:
    """``build()``'s value for ``key`` under the current data version, computed at most once."""
    full_key = f"dashboards:{data_version()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = build()
        cache.set(full_key, value, timeout=current_app.config["DASHBOARD_CACHE_SECONDS"])
    return value


# Large values (the rendered charts, over a megabyte on the full street) are also kept in each
# worker's memory under their versioned key, so a request does not read and unpickle them from
# the shared cache each time; a new version makes new keys, the oldest are dropped.
_MEMORY: OrderedDict[str, Any] = OrderedDict()
_MEMORY_ENTRIES = 8
_memory_lock = Lock()


def cached_in_memory(key: str, build: Callable[[], Any]) -> Any:
    """Like ``cached``, with the value also kept in this process (for large values), at most
    ``DASHBOARD_CACHE_SECONDS`` as in the shared cache."""
    full_key = f"{current_app.config.get('CACHE_KEY_PREFIX', '')}dashboards:{data_version()}:{key}"
    now = time.monotonic()
    with _memory_lock:
        found = _MEMORY.get(full_key)
        if found is not None and found[0] > now:
            _MEMORY.move_to_end(full_key)
            return found[1]
    value = cached(key, build)
    with _memory_lock:
        _MEMORY[full_key] = (now + current_app.config["DASHBOARD_CACHE_SECONDS"], value)
        while len(_MEMORY) > _MEMORY_ENTRIES:
            _MEMORY.popitem(last=False)
    return value


def _touches_watched(objects) -> bool:
    tables = watched_tables()
    return any(getattr(getattr(obj, "__table__", None), "name", None) in tables for obj in objects)


def _after_flush(session: Session, _context) -> None:
    if _touches_watched(session.new) or _touches_watched(session.dirty) or _touches_watched(session.deleted):
        session.info[_DIRTY] = True


def _orm_execute(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in watched_tables():
            state.session.info[_DIRTY] = True


def _after_transaction_end(session: Session, nested: bool = False) -> None:
    # After commit and after rollback: a rolled-back change may have been seen by a request that
    # cached it while it was flushed but not committed. The end of a savepoint is neither: the
    # flag waits for the transaction around it (an operation that supports a need or takes a
    # survey answer in a savepoint would otherwise write the version once more each time).
    if nested:
        return
    if session.info.pop(_DIRTY, False) and has_app_context():
        invalidate()


def init_app(app) -> None:
    app.config.setdefault("DASHBOARD_CACHE_SECONDS", 600)
    app.config.setdefault("DASHBOARD_REFRESH_JOBS", False)
    if getattr(Session, "_gr_dashboard_events", False):
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _orm_execute)
    event.listen(Session, "after_commit", lambda session: _after_transaction_end(
        session, session.in_nested_transaction()))
    event.listen(Session, "after_soft_rollback", lambda session, previous: _after_transaction_end(
        session, previous.nested))
    Session._gr_dashboard_events = True
