"""Large exports run as background jobs on a real worker: a progress page, a download link when
ready, the file only for the person who asked, and removed once expired."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy import update

from coordination.core.models.base import utcnow
from coordination.dashboards.models import ExportJob
from coordination.extensions import db
from tests.conftest import csrf_token
from tests.conftest import login
from tests.conftest import make_app
from tests.conftest import migrate_and_seed
from tests.conftest import wait_for


@pytest.fixture()
def street(database_kind, database_url_factory, tmp_path):
    """An app of its own (committed data, seen by the worker) whose exports of more than
    3 rows go to the background, with 6 offline needs."""
    from coordination.accounts.models import User
    from coordination.needs.operations import NeedInput
    from coordination.needs.operations import record_offline_need
    from coordination.places.models import Place

    app = make_app(database_url_factory(database_kind), EXPORT_DIRECT_MAX_ROWS=3,
                   EXPORT_FOLDER=str(tmp_path / "exports"), JOBS_QUEUE_FILE=str(tmp_path / "jobs.sqlite3"))
    migrate_and_seed(app)
    with app.app_context():
        staff = db.session.scalar(select(User).where(User.username == "staff"))
        place = db.session.scalar(select(Place).where(Place.name == "福山居民区"))
        for i in range(6):
            record_offline_need(staff, NeedInput(kind="wish", title=f"=需求{i}", description="楼道灯", place_id=place.id,
                                                 channel="visit", requester_name="王阿婆",
                                                 contact_phone="13900001111"))
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


def logged_in(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def start(client, kind="needs", fmt="xlsx"):
    offer = client.get(f"/exports/{kind}.{fmt}")
    assert offer.status_code == 200 and "生成文件" in offer.get_data(as_text=True)  # the form that starts the job
    answer = client.post(f"/exports/{kind}.{fmt}/jobs", data={"csrf_token": csrf_token(client, "/exports")})
    assert answer.status_code == 303
    return int(re.search(r"/exports/jobs/(\d+)$", answer.headers["Location"]).group(1))


def test_a_large_export_runs_in_the_background_with_progress_and_a_download(street, worker):
    staff = logged_in(street, "staff")
    job_id = start(staff)
    page = staff.get(f"/exports/jobs/{job_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<meta http-equiv="refresh" content="5">' in html  # without JS the page refreshes itself
    assert re.search(r'src="/static/js/export-progress\.js\?v=[0-9a-f]{12}"', html) and 'max="100" value="0"' in html
    assert staff.get(f"/exports/jobs/{job_id}.json").json["status"] == "queued"

    with worker(street):
        state = wait_for(lambda: (s := staff.get(f"/exports/jobs/{job_id}.json").json)["status"] == "ready" and s,
                         timeout=30)
    assert state["percent"] == 100 and state["rows_done"] == state["rows_total"] == 6
    assert state["download_url"] == f"/exports/jobs/{job_id}/download"
    assert 'href="/exports/jobs/%d/download"' % job_id in staff.get(f"/exports/jobs/{job_id}").get_data(as_text=True)
    download = staff.get(state["download_url"])
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = pd.read_excel(io.BytesIO(download.data), dtype=str, engine="openpyxl")
    assert len(sheet) == 6 and list(sheet.columns)[:3] == ["编号", "类型", "标题"]
    assert sheet["标题"].iloc[0] == "'=需求0"  # formulas stay defused
    assert set(sheet["联系电话"]) == {"13900001111"}  # staff see contact data


def test_the_file_is_only_for_the_person_who_asked(street, worker):
    committee = logged_in(street, "street")
    job_id = start(committee, fmt="csv")
    with worker(street):
        wait_for(lambda: committee.get(f"/exports/jobs/{job_id}.json").json["status"] == "ready", timeout=30)
    mine = committee.get(f"/exports/jobs/{job_id}/download")
    assert mine.status_code == 200 and mine.headers["Content-Type"] == "text/csv; charset=utf-8"
    sheet = pd.read_csv(io.BytesIO(mine.data), encoding="utf-8-sig", dtype=str)
    assert set(sheet["联系电话"]) == {"139****1111"} and set(sheet["提出人"]) == {"王**"}  # masked for committees
    staff = logged_in(street, "staff")
    for path in (f"/exports/jobs/{job_id}", f"/exports/jobs/{job_id}.json", f"/exports/jobs/{job_id}/download"):
        assert staff.get(path).status_code == 404
    assert logged_in(street, "resident").get(f"/exports/jobs/{job_id}/download").status_code == 403
    assert street.test_client().get(f"/exports/jobs/{job_id}/download").status_code == 302  # to the login


def test_an_expired_export_is_gone_and_cleaned_up(street, worker):
    from coordination.dashboards.export_jobs import export_folder
    from coordination.dashboards.export_jobs import remove_expired

    staff = logged_in(street, "staff")
    job_id = start(staff, fmt="csv")
    with worker(street):
        wait_for(lambda: staff.get(f"/exports/jobs/{job_id}.json").json["status"] == "ready", timeout=30)
    with street.app_context():
        db.session.execute(update(ExportJob).where(ExportJob.id == job_id)
                           .values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
        folder = export_folder()
        assert len(list(folder.iterdir())) == 1
    gone = staff.get(f"/exports/jobs/{job_id}/download")
    assert gone.status_code == 410 and "该文件已过期并已删除，请重新导出。" in gone.get_data(as_text=True)
    with street.app_context():
        assert remove_expired() == 1
        db.session.commit()
        assert list(folder.iterdir()) == []
        assert db.session.get(ExportJob, job_id) is None
        db.session.remove()


def test_small_exports_stay_direct(street):
    staff = logged_in(street, "staff")
    answer = staff.get("/exports/projects.csv")
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize("role", ["street_committee", "community_committee"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_committees_export_needs_with_online_ones_among_them(client, client_as, api_token, db, role, fmt):
    """Online needs are named after their submitter, masked; they have no phone (it used to answer 500)."""
    from coordination.places.models import Place

    place_id = db.session.scalar(select(Place.id).where(Place.name == "福山居民区"))
    answer = client.post("/api/v1/needs", headers=api_token("resident"), json={
        "kind": "wish", "title": "网上提交的需求", "description": "楼道灯", "place_id": place_id})
    assert answer.status_code == 201
    response = client_as(role).get(f"/exports/needs.{fmt}")
    assert response.status_code == 200
    data = (pd.read_excel(io.BytesIO(response.data), dtype=str, engine="openpyxl") if fmt == "xlsx"
            else pd.read_csv(io.BytesIO(response.data), encoding="utf-8-sig", dtype=str))
    row = data[data["标题"] == "网上提交的需求"].iloc[0]
    from coordination.accounts.models import User
    from coordination.core.privacy import mask_name

    resident = db.session.scalar(select(User.display_name).where(User.username == "resident"))
    assert row["提出人"] == mask_name(resident) != resident
    assert pd.isna(row["联系电话"]) and row["渠道"] == "网上提交"
