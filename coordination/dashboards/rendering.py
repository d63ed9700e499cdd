"""The dashboard's charts rendered for a period and the request's chart options, and kept in
the dashboards' cache (the page and the background refresh both render them here)."""

from __future__ import annotations

from flask import render_template
from flask import request
from flask_babel import get_locale

from coordination.core.forms import query_args
from coordination.dashboards import cache
from coordination.dashboards import charts
from coordination.dashboards import queries


def options() -> tuple[str, str]:
    """The needs chart's split and the satisfaction chart's grouping (unknown ones: the default)."""
    split, by = request.args.get("split", "category"), request.args.get("by", "project")
    return (split if split in charts.SPLITS else "category", by if by in charts.SATISFACTION_BY else "project")


def cache_key(kind: str, period: queries.Period) -> str:
    """What a cached rendering depends on: the language, the filters and the chart options."""
    return ":".join(str(part) for part in (kind, get_locale(), period.area_id, period.start, period.end, *options()))


def render_charts(period: queries.Period) -> bytes:
    """The charts of ``period`` and the request's chart options, rendered (UTF-8)."""
    split, by = options()
    args = query_args()
    return render_template("dashboards/_charts.html", charts=charts.build(period, split, by), args=args,
                           unit_figures=charts.unit_figures()).encode("utf-8")


def charts_bytes(period: queries.Period) -> bytes:
    """``render_charts``, cached (in the shared cache and in this process)."""
    return cache.cached_in_memory(cache_key("charts", period), lambda: render_charts(period))
