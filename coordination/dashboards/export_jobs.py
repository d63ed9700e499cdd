"""Large exports prepared by the background worker.

``request_export`` records an ``ExportJob`` and queues ``build_export`` once the request
commits; the job streams the rows into a file under ``EXPORT_FOLDER`` (default
``instance/exports``), writing its progress in short transactions of its own so the page
polling it sees the figures move. Only the person who asked may download the file; it is
removed after ``EXPORT_KEEP_HOURS`` by ``remove_expired_exports`` (every half hour).
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy import update

from coordination.accounts.models import User
from coordination.core import audit
from coordination.core.errors import InvalidInput
from coordination.core.jobs import crontab
from coordination.core.jobs import enqueue_after_commit
from coordination.core.jobs import jobs
from coordination.core.models.base import utcnow
from coordination.dashboards.enums import ExportStatus
from coordination.dashboards.exports import FORMATS
from coordination.dashboards.exports import KINDS
from coordination.dashboards.exports import Access
from coordination.dashboards.exports import count_rows
from coordination.dashboards.exports import write_export
from coordination.dashboards.models import ExportJob
from coordination.extensions import db


def export_folder() -> Path:
    folder = Path(current_app.config.get("EXPORT_FOLDER") or Path(current_app.instance_path) / "exports")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def file_of(job: ExportJob) -> Path | None:
    return export_folder() / job.file_name if job.file_name else None


def request_export(user, kind: str, fmt: str, locale: str | None = None) -> ExportJob:
    """Ask for an export to be prepared in the background (queued after the commit)."""
    if kind not in KINDS or fmt not in FORMATS:
        raise InvalidInput(_("Please correct the marked fields."), fields={"kind": _("There is no such export.")})
    job = ExportJob(user_id=user.id, kind=kind, fmt=fmt, status=ExportStatus.QUEUED,
                    locale=locale or current_app.config["BABEL_DEFAULT_LOCALE"],
                    rows_total=count_rows(kind, Access.of(user)),
                    expires_at=utcnow() + timedelta(hours=current_app.config["EXPORT_KEEP_HOURS"]))
    db.session.add(job)
    db.session.flush()
    audit.record(user, "export.request", job, to_state=ExportStatus.QUEUED, details={"kind": kind, "format": fmt})
    enqueue_after_commit(build_export, job.id)
    return job


def _set(job_id: int, **values) -> None:
    """Write the job's progress in a short transaction of its own, visible at once."""
    with db.engine.begin() as connection:
        connection.execute(update(ExportJob).where(ExportJob.id == job_id).values(**values))


@jobs.task(retries=0)
def build_export(job_id: int) -> int | None:
    """Stream the export into its file, updating the job's progress as rows are written."""
    job = db.session.get(ExportJob, job_id)
    if job is None or job.status != ExportStatus.QUEUED:
        return None
    user = db.session.get(User, job.user_id)
    access = Access.of(user)
    name = f"{secrets.token_hex(16)}.{job.fmt}"
    target = export_folder() / name
    partial = target.with_suffix(".part")
    _set(job_id, status=ExportStatus.RUNNING)
    try:
        with force_locale(job.locale):
            rows = write_export(job.kind, job.fmt, access, str(partial),
                                progress=lambda done: _set(job_id, rows_done=done))
        partial.rename(target)
    except Exception as exc:
        partial.unlink(missing_ok=True)
        _set(job_id, status=ExportStatus.FAILED, error=type(exc).__name__, finished_at=utcnow())
        raise
    _set(job_id, status=ExportStatus.READY, rows_done=rows, rows_total=rows, file_name=name, finished_at=utcnow())
    return rows


def remove_expired(now=None) -> int:
    """Delete the files and records of exports past their expiry; returns how many."""
    now = now or utcnow()
    expired = db.session.scalars(select(ExportJob).where(ExportJob.expires_at < now)).all()
    for job in expired:
        path = file_of(job)
        if path is not None:
            path.unlink(missing_ok=True)
        db.session.delete(job)
    db.session.flush()
    return len(expired)


@jobs.periodic(crontab(minute="*/30"), writes=True)
def remove_expired_exports() -> int:
    return remove_expired()
