"""A consistent copy of the whole database in one file, and back.

The copy is a zip of one JSON-lines file per table, read inside a single transaction
(a snapshot on both SQLite and PostgreSQL), written in dependency order, and a manifest with
the SHA-256 of every member, of the whole content and the audit chain heads. Restoring needs an
empty database at the same migration; it checks every checksum before it writes anything,
inserts in the same order, resets PostgreSQL's id sequences and verifies the hash chains of
what it inserted before it commits: a changed, truncated or incomplete backup is refused whole.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import zipfile
import zlib
from decimal import Decimal

from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy import update

from coordination.core.integrity import verify
from coordination.extensions import db

FORMAT = "golden-ribbon-backup/2"
MANIFEST = "manifest.json"
HEADS = "audit_chain_head"


def _content_hash(members: dict[str, str]) -> str:
    """SHA-256 over every member's name and SHA-256, in name order."""
    listing = "".join(f"{name}\t{digest}\n" for name, digest in sorted(members.items()))
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


def _encode(value):
    if isinstance(value, (dt.datetime, dt.date)):
        return {"$t": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$d": str(value)}
    if isinstance(value, bytes):
        return {"$b": base64.b64encode(value).decode()}
    return value


def _decode(value):
    if isinstance(value, dict):
        if "$t" in value:
            stamp = value["$t"]
            return dt.date.fromisoformat(stamp) if len(stamp) == 10 else dt.datetime.fromisoformat(stamp)
        if "$d" in value:
            return Decimal(value["$d"])
        if "$b" in value:
            return base64.b64decode(value["$b"])
    return value


def _revision(connection) -> str | None:
    try:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001 - no alembic table means an unmigrated database
        return None


def backup(path: str) -> dict[str, int]:
    counts, digests, heads = {}, {}, {}
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":  # one snapshot for every table
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin(), zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for table in _stored_tables():
                lines = []
                for row in connection.execute(select(table).order_by(*table.primary_key.columns)):
                    lines.append(json.dumps({k: _encode(v) for k, v in row._mapping.items()}, ensure_ascii=False))
                    if table.name == HEADS:
                        heads[row.name] = {"record_count": row.record_count, "last_hash": row.last_hash}
                data = "\n".join(lines).encode("utf-8")
                archive.writestr(f"{table.name}.jsonl", data)
                counts[table.name] = len(lines)
                digests[f"{table.name}.jsonl"] = hashlib.sha256(data).hexdigest()
            archive.writestr(MANIFEST, json.dumps({
                "format": FORMAT, "revision": _revision(connection), "tables": counts,
                "created_at": dt.datetime.now(dt.timezone.utc).isoformat(),
                "members": digests, "content_sha256": _content_hash(digests), "chain_heads": heads},
                ensure_ascii=False, indent=1))
    return counts


def _stored_tables():
    """Every table but the maintained figures (``info={"derived": True}``): the database's
    triggers rebuild those as the rows they count are restored."""
    return [table for table in db.metadata.sorted_tables if not table.info.get("derived")]


class RestoreError(RuntimeError):
    pass


def _checked_members(archive: zipfile.ZipFile) -> tuple[dict, dict[str, bytes]]:
    """The manifest and every member, once each checksum has been found right."""
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise RestoreError("not a Golden Ribbon backup (it has no manifest)") from None
    except (ValueError, zipfile.BadZipFile):
        raise RestoreError("the backup's manifest is damaged") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise RestoreError("not a Golden Ribbon backup with checksums (format %s)" % FORMAT)
    expected = manifest.get("members")
    if not isinstance(expected, dict) or _content_hash(expected) != manifest.get("content_sha256"):
        raise RestoreError("the backup's manifest was changed (its content checksum does not match)")
    present = set(archive.namelist()) - {MANIFEST}
    for name in sorted(set(expected) - present):
        raise RestoreError(f"the backup is incomplete: {name} is missing")
    for name in sorted(present - set(expected)):
        raise RestoreError(f"the backup holds {name}, which its manifest does not list")
    members = {}
    for name in sorted(expected):
        try:
            data = archive.read(name)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            raise RestoreError(f"{name} in the backup is damaged ({exc})") from None
        if hashlib.sha256(data).hexdigest() != expected[name]:
            raise RestoreError(f"{name} in the backup was changed (its SHA-256 does not match the manifest)")
        members[name] = data
    return manifest, members


def restore(path: str) -> dict[str, int]:
    try:
        with zipfile.ZipFile(path) as archive:
            manifest, members = _checked_members(archive)
    except zipfile.BadZipFile:
        raise RestoreError("the backup is not a complete zip file (truncated or damaged)") from None
    with db.engine.begin() as connection:
        revision = _revision(connection)
        if revision != manifest.get("revision"):
            raise RestoreError(f"the database is at migration {revision}, the backup at "
                               f"{manifest.get('revision')}; run 'flask db upgrade' to match first")
        for table in _stored_tables():
            if table.name == HEADS:
                if connection.execute(select(func.count()).select_from(table)
                                      .where(table.c.record_count > 0)).scalar():
                    raise RestoreError("the database is not empty (its audit log has records); restore into a new one")
            elif connection.execute(select(func.count()).select_from(table)).scalar():
                raise RestoreError(f"the database is not empty (table {table.name}); restore into a new one")
        counts = {}
        for table in _stored_tables():
            raw = members.get(f"{table.name}.jsonl", b"").decode("utf-8")
            rows = [{key: _decode(value) for key, value in json.loads(line).items()
                     if key in table.c} for line in raw.splitlines() if line.strip()]
            if len(rows) != manifest.get("tables", {}).get(table.name, 0):
                raise RestoreError(f"{table.name} holds {len(rows)} rows, the manifest says "
                                   f"{manifest.get('tables', {}).get(table.name, 0)}")
            if table.name == HEADS:
                _restore_heads(connection, table, rows, manifest)
            else:
                for start in range(0, len(rows), 500):
                    connection.execute(insert(table), rows[start:start + 500])
            counts[table.name] = len(rows)
        if connection.dialect.name == "postgresql":
            for table in _stored_tables():
                if "id" in table.c:
                    highest = select(func.coalesce(func.max(table.c.id), 0)).scalar_subquery()
                    connection.execute(select(func.setval(func.pg_get_serial_sequence(table.name, "id"),
                                                          highest + 1, False)))
        _verify_restored(connection)
    return counts


def _restore_heads(connection, table, rows, manifest) -> None:
    """The migration made empty chain heads; they take the backup's values."""
    recorded = {row["name"]: {"record_count": row["record_count"], "last_hash": row["last_hash"]} for row in rows}
    if recorded != manifest.get("chain_heads"):
        raise RestoreError("the backup's audit chain heads differ from its manifest")
    for row in rows:
        done = connection.execute(update(table).where(table.c.name == row["name"]).values(**row)).rowcount
        if not done:
            connection.execute(insert(table).values(**row))


def _verify_restored(connection) -> None:
    """Check the hash chains of what was inserted, inside the restore's transaction."""
    from sqlalchemy.orm import Session

    with Session(bind=connection) as session:
        report = verify(session)
    if not report.ok:
        raise RestoreError(f"the backup's audit chain is broken: {report.problems[0]}")
