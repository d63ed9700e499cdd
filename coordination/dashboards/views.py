"""The dashboard (数据看板): charts with filters by area and period, a table view and a
download of each chart's data; and the public headline figures."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, abort, render_template, request, send_from_directory
from flask_babel import get_locale, gettext as _
from markupsafe import Markup
from sqlalchemy import select

from coordination.core.enums import PlaceKind
from coordination.dashboards import analysis, cache, queries
from coordination.core.forms import positive_int_arg
from coordination.extensions import db
from coordination.places.models import Place

bp = Blueprint("dashboards", __name__, template_folder="templates")


def period_from_request() -> queries.Period:
    def day(name):
        try:
            return date.fromisoformat(request.args.get(name, ""))
        except ValueError:
            return None

    area = positive_int_arg("area_id")
    return queries.Period(area_id=area if area and area > 0 else None, start=day("start"), end=day("end"))


def labels() -> dict:
    return {
        "empty": _("No data yet for this selection."), "needs": _("needs"), "month": _("month"),
        "raised": _("needs raised"), "accepted": _("accepted into the menu"), "in_project": _("became projects"),
        "fulfilled": _("fulfilled"), "published": _("projects published"), "completed": _("projects completed"),
        "evaluated": _("projects evaluated"), "days": _("days on average"), "rate": _("satisfaction rate (percent)"),
        "projects": _("projects"), "party_members": _("Party members"), "volunteer_hours": _("volunteer hours"),
        "beneficiaries": _("people served"),
        "draft→proposed": _("drafting"), "proposed→resolved": _("council vote"),
        "resolved→published": _("committee approval"), "published→claimed": _("waiting for a claim"),
        "claimed→completed": _("delivery"), "completed→evaluating": _("until the survey opens"),
        "evaluating→evaluated": _("evaluation and review"),
    }


def charts(period: queries.Period, only: str | None = None) -> dict:
    """name → (title, DataFrame, figure) for every chart (or just ``only``), from SQL aggregates."""
    names = labels()
    split = request.args.get("split", "category")
    split = split if split in ("category", "area", "channel") else "category"
    by = request.args.get("by", "project")
    by = by if by in ("project", "category", "unit") else "project"

    def needs_chart():
        needs = queries.needs_over_time(period)
        table = needs.groupby(["month", split])["needs"].sum().reset_index() if not needs.empty else needs
        return _("Needs by month"), table, analysis.needs_by_month(needs, split, names)

    def funnel_chart():
        data = queries.funnel(period)
        return _("From needs to evaluated projects"), data, analysis.funnel(data, names)

    def steps_chart():
        data = queries.step_durations(period)
        table = data.assign(step=data["step"].map(lambda s: names.get(s, s))) if not data.empty else data
        return _("Days spent in each step"), table, analysis.step_durations(data, names)

    def satisfaction_chart():
        data = queries.satisfaction(period, by)
        return _("Satisfaction of evaluated projects"), data, analysis.satisfaction(data, by, names)

    def units_chart():
        data = queries.unit_contributions(period)
        return _("Member units' contributions"), data, analysis.contributions(data, names)

    builders = {"needs": needs_chart, "funnel": funnel_chart, "steps": steps_chart,
                "satisfaction": satisfaction_chart, "units": units_chart}
    return {name: build() for name, build in builders.items() if only in (None, name)}


def _cache_key(kind: str, period: queries.Period) -> str:
    """What a cached rendering depends on: the language, the filters and the chart options."""
    return ":".join(str(part) for part in (
        kind, get_locale(), period.area_id, period.start, period.end,
        request.args.get("split", "category"), request.args.get("by", "project")))


# Where the cached charts go in the rendered page: the page around them is rendered per
# request (it is the person's own), the charts (over a megabyte on a full street) are sent as
# the cached bytes themselves, never copied into the page's text and encoded again.
CHARTS_SLOT = "<!--gr-dashboard-charts-->"


def render_charts(period: queries.Period) -> bytes:
    """The charts of ``period`` and the request's chart options, rendered (UTF-8)."""
    args = {k: v for k, v in request.args.items() if v}
    return render_template("dashboards/_charts.html", charts=charts(period), args=args).encode("utf-8")


def charts_bytes(period: queries.Period) -> bytes:
    """``render_charts``, cached (in the shared cache and in this process)."""
    return cache.cached_in_memory(_cache_key("charts", period), lambda: render_charts(period))


@bp.get("/dashboard")
def index():
    period = period_from_request()
    areas = db.session.scalars(select(Place).where(Place.kind == PlaceKind.AREA).order_by(Place.id)).all()
    page = render_template("dashboards/index.html", charts_html=Markup(CHARTS_SLOT), period=period, areas=areas,
                           split=request.args.get("split", "category"), by=request.args.get("by", "project"))
    head, _slot, tail = page.partition(CHARTS_SLOT)
    return Response([head.encode("utf-8"), charts_bytes(period), tail.encode("utf-8")], mimetype="text/html")


@bp.get("/dashboard/<name>.csv")
def download(name: str):
    if name not in ("needs", "funnel", "steps", "satisfaction", "units"):
        abort(404)
    period = period_from_request()

    def build() -> str:
        _title, data, _figure = charts(period, only=name)[name]
        return "\ufeff" + data.to_csv(index=False)

    return Response(cache.cached(_cache_key(f"csv-{name}", period), build), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=dashboard-{name}.csv"})


@bp.get("/vendor/plotly.css")
def plotly_css():
    """plotly.js normally injects its stylesheet at run time, which our Content-Security-Policy
    forbids; the same rules, read from the installed plotly.min.js, are served as a file."""
    return Response(_plotly_rules(), mimetype="text/css", headers={"Cache-Control": _vendor_cache_control()})


@lru_cache(maxsize=1)
def _plotly_rules() -> str:
    import re

    import plotly

    source = (Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js").read_text("utf-8")
    scopes = {"X": ".js-plotly-plot .plotly", "Y": ".plotly-notifier"}
    rules = []
    for selector, double, single in re.findall(r'"([XY](?:[ ,.:\[][^"]*)?)":(?:"([^"]*)"|\'([^\']*)\')', source):
        full = re.sub(r"\b([XY])\b", lambda m: scopes[m.group(1)], selector)
        rules.append(f"{full} {{ {double or single} }}")
    return "\n".join(rules) + "\n"


@bp.get("/vendor/plotly.min.js")
def plotly_js():
    """plotly.js from the installed plotly package: served locally, never from a CDN."""
    import plotly

    folder = Path(plotly.__file__).resolve().parent / "package_data"
    response = send_from_directory(folder, "plotly.min.js", mimetype="text/javascript")
    response.headers["Cache-Control"] = _vendor_cache_control()
    return response


def _vendor_cache_control() -> str:
    """A year for a URL that names the plotly version (the page links that one), a day otherwise."""
    import plotly

    if request.args.get("v") == plotly.__version__:
        return "public, max-age=31536000, immutable"
    return "public, max-age=86400"


@bp.app_template_global()
def plotly_version() -> str:
    import plotly

    return plotly.__version__


# ------------------------------------------------------------------------------ exports

def _export_user():
    """The logged-in user who may export (a login redirect or 403 otherwise)."""
    from flask_login import current_user

    from coordination.dashboards.permissions import can_export
    from coordination.extensions import login_manager

    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not can_export(current_user):
        abort(403)
    return current_user


def _kind_labels() -> dict:
    return {"needs": _("Needs"), "projects": _("Projects"), "responses": _("Survey responses"),
            "evaluations": _("Evaluations")}


@bp.get("/exports")
def exports_page():
    from coordination.dashboards.models import ExportJob

    user = _export_user()
    recent = db.session.scalars(select(ExportJob).where(ExportJob.user_id == user.id)
                                .order_by(ExportJob.id.desc()).limit(10)).all()
    return render_template("dashboards/exports.html", kinds=list(_kind_labels().items()), recent=recent,
                           kind_labels=_kind_labels())


@bp.get("/exports/<kind>.<fmt>")
def export_file(kind: str, fmt: str):
    """A small export is sent at once; a large one is offered as a background job."""
    from flask import current_app

    from coordination.dashboards.exports import FORMATS, KINDS, MIMETYPES, Access, count_rows, export

    user = _export_user()
    if kind not in KINDS or fmt not in FORMATS:
        abort(404)
    access = Access.of(user)
    rows = count_rows(kind, access)
    if rows > current_app.config["EXPORT_DIRECT_MAX_ROWS"]:
        return render_template("dashboards/export_large.html", kind=kind, fmt=fmt, rows=rows,
                               label=_kind_labels()[kind])
    stamp = date.today().isoformat()
    return Response(export(kind, fmt, access), mimetype=MIMETYPES[fmt],
                    headers={"Content-Disposition": f"attachment; filename=golden-ribbon-{kind}-{stamp}.{fmt}"})


@bp.post("/exports/<kind>.<fmt>/jobs")
def export_start(kind: str, fmt: str):
    from flask import redirect, url_for
    from flask_babel import get_locale

    from coordination.core.forms import require_csrf
    from coordination.dashboards.exports import FORMATS, KINDS
    from coordination.dashboards.export_jobs import request_export

    user = _export_user()
    require_csrf()
    if kind not in KINDS or fmt not in FORMATS:
        abort(404)
    job = request_export(user, kind, fmt, locale=str(get_locale()))
    db.session.commit()
    return redirect(url_for("dashboards.export_job", job_id=job.id), code=303)


def _own_job(job_id: int):
    from coordination.dashboards.models import ExportJob
    from coordination.dashboards.permissions import can_see_export_job

    user = _export_user()
    job = db.session.get(ExportJob, job_id)
    if not can_see_export_job(user, job):
        abort(404)  # someone else's export does not exist for you
    return job


def _job_state(job) -> dict:
    from flask import url_for

    from coordination.core.enums import ExportStatus

    ready = job.status == ExportStatus.READY
    return {"status": job.status.value, "label": str(job.status.label), "percent": job.percent,
            "rows_done": job.rows_done, "rows_total": job.rows_total,
            "download_url": url_for("dashboards.export_download", job_id=job.id) if ready else None}


@bp.get("/exports/jobs/<int:job_id>")
def export_job(job_id: int):
    job = _own_job(job_id)
    return render_template("dashboards/export_job.html", job=job, state=_job_state(job),
                           label=_kind_labels().get(job.kind, job.kind))


@bp.get("/exports/jobs/<int:job_id>.json")
def export_job_state(job_id: int):
    from flask import jsonify

    return jsonify(_job_state(_own_job(job_id)))


@bp.get("/exports/jobs/<int:job_id>/download")
def export_download(job_id: int):
    from flask import send_file

    from coordination.core.enums import ExportStatus
    from coordination.core.models.base import utcnow
    from coordination.dashboards.exports import MIMETYPES
    from coordination.dashboards.export_jobs import file_of

    job = _own_job(job_id)
    path = file_of(job)
    if job.status != ExportStatus.READY or path is None:
        abort(404)
    if job.expires_at <= utcnow() or not path.exists():
        return render_template("dashboards/export_job.html", job=job, state=_job_state(job), expired=True,
                               label=_kind_labels().get(job.kind, job.kind)), 410
    stamp = job.created_at.date().isoformat()
    response = send_file(path, mimetype=MIMETYPES[job.fmt], as_attachment=True,
                         download_name=f"golden-ribbon-{job.kind}-{stamp}.{job.fmt}")
    response.headers["Cache-Control"] = "private, no-store"
    return response
