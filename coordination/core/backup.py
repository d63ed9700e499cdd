"""A consistent copy of the whole database in one file, and back.

The copy is a zip of one JSON-lines file per table, read inside a single transaction
(a snapshot on both SQLite and PostgreSQL), written in dependency order. Restoring needs an
empty database at the same migration; it inserts in the same order and resets PostgreSQL's
id sequences.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import zipfile
from decimal import Decimal

from sqlalchemy import func, insert, select, text

from coordination.extensions import db

FORMAT = "golden-ribbon-backup/1"


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
    counts = {}
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":  # one snapshot for every table
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin(), zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for table in _stored_tables():
                lines = []
                for row in connection.execute(select(table).order_by(*table.primary_key.columns)):
                    lines.append(json.dumps({k: _encode(v) for k, v in row._mapping.items()}, ensure_ascii=False))
                archive.writestr(f"{table.name}.jsonl", "\n".join(lines))
                counts[table.name] = len(lines)
            archive.writestr("manifest.json", json.dumps({
                "format": FORMAT, "revision": _revision(connection), "tables": counts,
                "created_at": dt.datetime.now(dt.timezone.utc).isoformat()}, ensure_ascii=False))
    return counts


def _stored_tables():
    """Every table but the maintained figures (``info={"derived": True}``): the database's
    triggers rebuild those as the rows they count are restored."""
    return [table for table in db.metadata.sorted_tables if not table.info.get("derived")]


class RestoreError(RuntimeError):
    pass


def restore(path: str) -> dict[str, int]:
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        if manifest.get("format") != FORMAT:
            raise RestoreError("not a Golden Ribbon backup")
        with db.engine.begin() as connection:
            revision = _revision(connection)
            if revision != manifest.get("revision"):
                raise RestoreError(f"the database is at migration {revision}, the backup at "
                                   f"{manifest.get('revision')}; run 'flask db upgrade' to match first")
            for table in _stored_tables():
                if connection.execute(select(func.count()).select_from(table)).scalar():
                    raise RestoreError(f"the database is not empty (table {table.name}); restore into a new one")
            counts = {}
            for table in _stored_tables():
                name = f"{table.name}.jsonl"
                raw = archive.read(name).decode("utf-8") if name in archive.namelist() else ""
                rows = [{key: _decode(value) for key, value in json.loads(line).items()
                         if key in table.c} for line in raw.splitlines() if line.strip()]
                for start in range(0, len(rows), 500):
                    connection.execute(insert(table), rows[start:start + 500])
                counts[table.name] = len(rows)
            if connection.dialect.name == "postgresql":
                for table in _stored_tables():
                    if "id" in table.c:
                        connection.execute(text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
    return counts
