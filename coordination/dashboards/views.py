"""The dashboard (数据看板): charts with filters by area and period, a table view and a
download of each chart's data; and the public headline figures."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from flask import Blueprint
from flask import Response
from flask import abort
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import send_from_directory
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from coordination.core import page_cache
from coordination.core.errors import InvalidInput
from coordination.core.forms import positive_int_arg
from coordination.core.forms import require_csrf
from coordination.core.models.base import utcnow
from coordination.dashboards import cache
from coordination.dashboards import charts
from coordination.dashboards import filters
from coordination.dashboards.enums import ExportStatus
from coordination.dashboards.export_jobs import file_of
from coordination.dashboards.export_jobs import request_export
from coordination.dashboards.exports import FORMATS
from coordination.dashboards.exports import KINDS
from coordination.dashboards.exports import MIMETYPES
from coordination.dashboards.exports import Access
from coordination.dashboards.exports import count_rows
from coordination.dashboards.exports import export
from coordination.dashboards.models import ExportJob
from coordination.dashboards.permissions import can_export
from coordination.dashboards.permissions import can_see_export_job
from coordination.dashboards.rendering import cache_key
from coordination.dashboards.rendering import charts_bytes
from coordination.dashboards.rendering import options
from coordination.extensions import db
from coordination.extensions import login_manager
from coordination.places.enums import PlaceKind
from coordination.places.models import Place

bp = Blueprint("dashboards", __name__, template_folder="templates")


# Where the cached charts go in the rendered page: the page around them is rendered per
# request (it is the person's own), the charts (over a megabyte on a full street) are sent as
# the cached bytes themselves, never copied into the page's text and encoded again.
CHARTS_SLOT = "<!--gr-dashboard-charts-->"


def _areas() -> list[tuple[int, str]]:
    """The areas of the filter as (id, name), kept with the dashboards' figures (any change to
    the places replaces them)."""
    return cache.cached_in_memory("areas", lambda: [tuple(row) for row in db.session.execute(
        select(Place.id, Place.name).where(Place.kind == PlaceKind.AREA).order_by(Place.id))])


@bp.get("/dashboard")
def index():
    split, by = options()
    try:
        period = filters.period_from(request.args)
    except InvalidInput as exc:
        # The form again, saying what is wrong; a refused date is not put back into its date
        # input (a browser cannot show it), the message quotes it instead.
        values = {name: request.args.get(name, "") for name in filters.DATE_FIELDS if name not in exc.fields}
        return render_template("dashboards/index.html", charts_html=None, errors=exc.fields, message=exc.message,
                               values=values, areas=_areas(), split=split, by=by,
                               area_id=positive_int_arg("area_id")), 400

    def render_page() -> tuple[str, str]:
        values = {"start": period.start or "", "end": period.end or ""}
        slot = Markup(CHARTS_SLOT)  # nosec B704 - a constant HTML comment, no data in it
        page = render_template("dashboards/index.html", charts_html=slot, errors={}, values=values,
                               areas=_areas(), split=split, by=by, area_id=period.area_id)
        head, _slot, tail = page.partition(CHARTS_SLOT)
        return head, tail

    head, tail = page_cache.viewer_page("dashboard", render_page)
    return Response([head.encode("utf-8"), charts_bytes(period), tail.encode("utf-8")], mimetype="text/html")


@bp.get("/dashboard/<name>.csv")
def download(name: str):
    if name not in charts.NAMES:
        abort(404)
    try:
        period = filters.period_from(request.args)
    except InvalidInput as exc:
        # The API's error shape: {"error": {code, message, fields}}, in the reader's language.
        return jsonify({"error": {"code": exc.code, "message": exc.message, "fields": exc.fields}}), 400
    split, by = options()

    def build() -> str:
        return "\ufeff" + charts.build(period, split, by, only=name)[name].table.to_csv(index=False)

    return Response(cache.cached(cache_key(f"csv-{name}", period), build), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=dashboard-{name}.csv"})


@bp.get("/vendor/plotly.css")
def plotly_css():
    """plotly.js normally injects its stylesheet at run time as a ``<style>`` element, which our
    Content-Security-Policy refuses; the same rules, read from the installed plotly.min.js, are
    served as a file. The page links it as ``<link id="plotly.js-style-global"
    class="no-inline-styles">``, which tells plotly.js (since 2.35) not to inject them."""
    return Response(_plotly_rules(), mimetype="text/css", headers={"Cache-Control": _vendor_cache_control()})


def _plotly_source() -> str:
    import plotly

    return (Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js").read_text("utf-8")


@lru_cache(maxsize=1)
def _plotly_rules() -> str:
    import re

    scopes = {"X": ".js-plotly-plot .plotly", "Y": ".plotly-notifier"}
    rules = []
    for selector, double, single in re.findall(r'"([XY](?:[ ,.:\[][^"]*)?)":(?:"([^"]*)"|\'([^\']*)\')',
                                               _plotly_source()):
        full = re.sub(r"\b([XY])\b", lambda m: scopes[m.group(1)], selector)
        rules.append(f"{full} {{ {double or single} }}")
    return "\n".join(rules) + "\n"


@lru_cache(maxsize=1)
def _bundled_style_ids() -> tuple[str, ...]:
    """Ids of the stylesheets that libraries bundled into plotly.min.js inject unless an element
    with that id is already on the page (today one: maplibre's, for map charts)."""
    import re

    return tuple(dict.fromkeys(re.findall(
        r'document\.getElementById\("([0-9a-f]{32,})"\)\)\{var \w+=document\.createElement\("style"\)',
        _plotly_source())))


@bp.app_template_global()
def plotly_bundled_style_ids() -> tuple[str, ...]:
    return _bundled_style_ids()


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
    user = _export_user()
    recent = db.session.scalars(select(ExportJob).where(ExportJob.user_id == user.id)
                                .order_by(ExportJob.id.desc()).limit(10)).all()
    return render_template("dashboards/exports.html", kinds=list(_kind_labels().items()), recent=recent,
                           kind_labels=_kind_labels())


@bp.get("/exports/<kind>.<fmt>")
def export_file(kind: str, fmt: str):
    """A small export is sent at once; a large one is offered as a background job."""
    from flask import current_app

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
    user = _export_user()
    require_csrf()
    if kind not in KINDS or fmt not in FORMATS:
        abort(404)
    job = request_export(user, kind, fmt, locale=str(get_locale()))
    db.session.commit()
    return redirect(url_for("dashboards.export_job", job_id=job.id), code=303)


def _own_job(job_id: int):
    user = _export_user()
    job = db.session.get(ExportJob, job_id)
    if not can_see_export_job(user, job):
        abort(404)  # someone else's export does not exist for you
    return job


def _job_state(job) -> dict:
    from flask import url_for

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
