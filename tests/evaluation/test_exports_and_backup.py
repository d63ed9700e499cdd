"""Exports with Chinese headers (web and command line), and a backup restored into a new database."""

import io

import pandas as pd
import pytest
from sqlalchemy import func, select

from coordination.extensions import db as _db
from coordination.needs.models import Need
from tests.conftest import make_app


@pytest.mark.parametrize("kind, header", [("needs", "标题"), ("projects", "项目名称"), ("responses", "题目"),
                                          ("evaluations", "满意率（%）")])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_exports_have_chinese_headers(client_as, opened, kind, header, fmt):
    response = client_as("staff").get(f"/exports/{kind}.{fmt}")
    assert response.status_code == 200
    data = (pd.read_excel(io.BytesIO(response.data)) if fmt == "xlsx"
            else pd.read_csv(io.BytesIO(response.data), encoding="utf-8-sig"))
    assert header in data.columns


def test_needs_export_masks_contacts_except_for_staff(client_as, db, submit_offline):
    staff = pd.read_csv(io.BytesIO(client_as("staff").get("/exports/needs.csv").data), encoding="utf-8-sig",
                        dtype=str)
    committee = pd.read_csv(io.BytesIO(client_as("street_committee").get("/exports/needs.csv").data),
                            encoding="utf-8-sig", dtype=str)
    assert "13900001111" in staff["联系电话"].tolist()
    assert "13900001111" not in committee["联系电话"].tolist() and "139****1111" in committee["联系电话"].tolist()


@pytest.mark.parametrize("role", ["resident", "worker", "unit_rep", "council"])
def test_exports_are_not_for_everyone(client_as, role):
    assert client_as(role).get("/exports/needs.xlsx").status_code == 403


def test_cli_export(app, tmp_path, opened):
    path = tmp_path / "evaluations.xlsx"
    result = app.test_cli_runner().invoke(args=["export", "evaluations", "--format", "xlsx", "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert "项目名称" in pd.read_excel(path).columns


def test_backup_and_restore_into_a_new_database(database_kind, database_url_factory, tmp_path):
    from tests.conftest import migrate_and_seed
    from tests.factories import build

    source = make_app(database_url_factory(database_kind))
    migrate_and_seed(source)
    with source.app_context():
        build(_db, "completed")
        before = _db.session.scalar(select(func.count()).select_from(Need))
        _db.session.remove()
    path = tmp_path / "backup.zip"
    assert source.test_cli_runner().invoke(args=["backup", str(path)]).exit_code == 0

    target = make_app(database_url_factory(database_kind))
    with target.app_context():
        from flask_migrate import upgrade

        upgrade()
        _db.session.remove()
    result = target.test_cli_runner().invoke(args=["restore", str(path)])
    assert result.exit_code == 0, result.output
    second = target.test_cli_runner().invoke(args=["restore", str(path)])
    assert second.exit_code == 1 and "not empty" in second.output
    client = target.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "staff", "password": "Ribbon-2026"})
    assert token.status_code == 200  # the restored accounts log in
    with target.app_context():
        assert _db.session.scalar(select(func.count()).select_from(Need)) == before
        from coordination.needs import operations

        # new rows get fresh ids after a restore (sequences reset on PostgreSQL)
        staff = _db.session.scalar(select(operations.User).where(operations.User.username == "staff"))
        need = operations.record_offline_need(staff, operations.NeedInput(
            kind="wish", title="恢复后新增", description="d", place_id=2, channel="visit", requester_name="甲"))
        _db.session.commit()
        assert need.id > before
        _db.session.remove()
        _db.engine.dispose()
    with source.app_context():
        _db.engine.dispose()
