"""A backup restores into a new database; backups carry checksums: a changed, incomplete or
truncated backup is refused whole."""

import json
import zipfile

import pytest
from sqlalchemy import func
from sqlalchemy import select

from coordination.extensions import db as _db
from coordination.needs.models import Need
from tests.conftest import make_app
from tests.conftest import migrate_and_seed
from tests.factories import build


@pytest.fixture(scope="module")
def backup_file(database_kind, database_url_factory, tmp_path_factory):
    source = make_app(database_url_factory(database_kind))
    migrate_and_seed(source)
    with source.app_context():
        build(_db, "completed")
        _db.session.remove()
    path = tmp_path_factory.mktemp("backup") / "backup.zip"
    result = source.test_cli_runner().invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    with source.app_context():
        _db.engine.dispose()
    return path


@pytest.fixture()
def target(database_kind, database_url_factory):
    app = make_app(database_url_factory(database_kind))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        _db.session.remove()
    yield app
    with app.app_context():
        _db.engine.dispose()


def rewritten(source, path, change):
    """A copy of the backup zip with ``change(name, data)`` applied to each member (None drops it)."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as copy:
        for name in original.namelist():
            data = change(name, original.read(name))
            if data is not None:
                copy.writestr(name, data)
    return path


def restore(app, path):
    return app.test_cli_runner().invoke(args=["restore", str(path)])


def assert_nothing_written(app):
    with app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(Need)) == 0
        _db.session.remove()


def test_the_manifest_holds_every_checksum_and_the_chain_heads(backup_file):
    with zipfile.ZipFile(backup_file) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = set(archive.namelist()) - {"manifest.json"}
    assert set(manifest["members"]) == names and len(manifest["content_sha256"]) == 64
    assert manifest["chain_heads"]["audit_records"]["record_count"] == manifest["tables"]["audit_records"]


def test_an_intact_backup_restores_and_verifies(target, backup_file):
    result = restore(target, backup_file)
    assert result.exit_code == 0, result.output + result.stderr
    verified = target.test_cli_runner().invoke(args=["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "Audit chains intact" in verified.output


def _one_byte(name, data):
    if name != "council_votes.jsonl":
        return data
    return data.replace(b'"approve"', b'"reprove"', 1)


def test_one_changed_byte_is_refused(target, backup_file, tmp_path):
    path = rewritten(backup_file, tmp_path / "edited.zip", _one_byte)
    result = restore(target, path)
    assert result.exit_code == 1
    assert ("Nothing was restored: council_votes.jsonl in the backup was changed (its SHA-256 does not match "
            "the manifest)") in result.stderr
    assert_nothing_written(target)


def test_a_dropped_member_is_refused(target, backup_file, tmp_path):
    path = rewritten(backup_file, tmp_path / "short.zip", lambda name, data: None if name == "needs.jsonl" else data)
    result = restore(target, path)
    assert result.exit_code == 1
    assert "Nothing was restored: the backup is incomplete: needs.jsonl is missing" in result.stderr
    assert_nothing_written(target)


def test_a_recomputed_manifest_does_not_hide_a_changed_vote(target, backup_file, tmp_path):
    """Whoever edits a member and fixes the manifest's checksums still breaks the hash chain."""
    import hashlib

    from coordination.core.backup import _content_hash

    edited = {}

    def change(name, data):
        data = _one_byte(name, data).replace(b'"reprove"', b'"reject"')
        if name == "manifest.json":
            return None
        edited[name] = data
        return data

    path = rewritten(backup_file, tmp_path / "forged.zip", change)
    with zipfile.ZipFile(backup_file) as original:
        manifest = json.loads(original.read("manifest.json"))
    manifest["members"] = {name: hashlib.sha256(data).hexdigest() for name, data in edited.items()}
    manifest["content_sha256"] = _content_hash(manifest["members"])
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
    result = restore(target, path)
    assert result.exit_code == 1
    assert "Nothing was restored: the backup's audit chain is broken: council_votes id" in result.stderr
    assert_nothing_written(target)


def test_a_truncated_file_is_refused(target, backup_file, tmp_path):
    path = tmp_path / "cut.zip"
    data = backup_file.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    result = restore(target, path)
    assert result.exit_code == 1
    assert "Nothing was restored: the backup is not a complete zip file (truncated or damaged)" in result.stderr
    assert_nothing_written(target)


def flip_byte(backup_file, tmp_path, member: str, fraction: float):
    """A copy of the backup with one byte of ``member``'s compressed data inverted."""
    data = bytearray(backup_file.read_bytes())
    with zipfile.ZipFile(backup_file) as archive:
        info = archive.getinfo(member)
    data[info.header_offset + 30 + len(info.filename) + int(info.compress_size * fraction)] ^= 0xFF
    path = tmp_path / f"flipped-{member}-{fraction:.3f}.zip"
    path.write_bytes(bytes(data))
    return path


def test_a_flipped_byte_in_the_zip_is_refused(target, backup_file, tmp_path):
    result = restore(target, flip_byte(backup_file, tmp_path, "council_votes.jsonl", 0.5))
    assert result.exit_code == 1
    assert "Nothing was restored: council_votes.jsonl in the backup is damaged" in result.stderr
    assert_nothing_written(target)


def test_a_flipped_byte_anywhere_in_a_member_is_refused(target, backup_file, tmp_path):
    """A flip in compressed data fails either the zip's CRC or zlib itself: both are refused."""
    for step in range(1, 9):
        result = restore(target, flip_byte(backup_file, tmp_path, "audit_records.jsonl", step / 9))
        assert result.exit_code == 1, result.output
        assert "Nothing was restored: audit_records.jsonl in the backup is" in result.stderr
        assert_nothing_written(target)


def test_backup_and_restore_into_a_new_database(database_kind, database_url_factory, tmp_path, target):
    source = make_app(database_url_factory(database_kind))
    migrate_and_seed(source)
    with source.app_context():
        build(_db, "completed")
        before = _db.session.scalar(select(func.count()).select_from(Need))
        _db.session.remove()
    path = tmp_path / "backup.zip"
    assert source.test_cli_runner().invoke(args=["backup", str(path)]).exit_code == 0

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
    with source.app_context():
        _db.engine.dispose()
