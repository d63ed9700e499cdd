"""The dashboard's default charts computed again by the background worker after a change.

When a committed write replaces the dashboards' data version (``cache.invalidate``), one job
per new version is queued; if its version is still the current one when it runs, it renders the charts of the default filters in every language under
the current version, so the first person to open the dashboard after a change finds them ready.
Only the shared cache is written; the job reads the database and changes nothing in it.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale

from coordination.core import signals
from coordination.core.jobs import jobs
from coordination.dashboards import cache
from coordination.dashboards import filters
from coordination.dashboards import rendering
from coordination.extensions import cache as shared_cache

QUEUED_KEY = "dashboards:refresh-queued:"


@signals.dashboards_invalidated.connect
def _data_changed(version: str, **_kwargs) -> None:
    if current_app.config.get("DASHBOARD_REFRESH_JOBS"):
        queue_refresh(version)


def queue_refresh(version: str) -> None:
    """Queue ``refresh_dashboard`` once for ``version`` (later calls for it do nothing)."""
    if shared_cache.add(QUEUED_KEY + version, True, timeout=current_app.config["DASHBOARD_CACHE_SECONDS"]):
        refresh_dashboard.enqueue(version)


@jobs.task(retries=0)
def refresh_dashboard(version: str) -> list[str]:
    """Render the default charts in each language under ``version``; returns the languages
    computed. A job whose version was already replaced does nothing: a burst of changes costs
    one computation, by the job of the last change."""
    done = []
    if cache.data_version() != version:
        return done
    for locale in current_app.config["LANGUAGES"]:
        with current_app.test_request_context("/dashboard"), force_locale(locale):
            period = filters.period_from({})
            cache.cached(rendering.cache_key("charts", period), lambda: rendering.render_charts(period))
            done.append(locale)
    return done
