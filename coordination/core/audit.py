"""Writing the audit log: every operation that changes state calls ``record``."""

from __future__ import annotations

import enum
from typing import Any

from flask import has_request_context
from flask import request

from coordination.core.chaining import insert_linked
from coordination.core.models.audit import AuditRecord
from coordination.core.models.base import utcnow
from coordination.extensions import db


def _state(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


def _label(obj) -> str | None:
    if obj is None:
        return None
    if hasattr(obj, "audit_label"):
        label = obj.audit_label
    elif type(obj).__str__ is object.__str__:
        return None  # a Python repr ("<… object at 0x…>") names nothing to a reader
    else:
        label = str(obj)
    return None if label is None else str(label)[:200]


def record(
    actor,
    action: str,
    obj=None,
    *,
    object_type: str | None = None,
    object_id: int | None = None,
    from_state: Any = None,
    to_state: Any = None,
    comment: str | None = None,
    details: dict | None = None,
    note: dict | None = None,
) -> AuditRecord:
    """Add an audit record to the current transaction (the caller's commit keeps it).

    ``note`` is a system note (``coordination.core.messages.note``): kept as a code and its
    parameters in ``details``, rendered in the reader's language; ``comment`` is text a person typed."""
    if note is not None:
        details = {**(details or {}), "note": note}
    if obj is not None:
        if getattr(obj, "id", None) is None:
            db.session.flush()
        object_type = object_type or obj.__class__.__name__
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
    entry = AuditRecord(
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "display_name", None) or (None if actor is None else str(actor)),
        action=action,
        object_type=object_type or "system",
        object_id=object_id,
        object_label=_label(obj),
        from_state=_state(from_state),
        to_state=_state(to_state),
        comment=comment,
        details=details,
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry


def erase_actor_details(actor_id: int) -> None:
    """Erase the name and address of the person behind their audit records (account deletion,
    PIPL). These two columns are left out of the hash chain so that erasing them keeps it valid;
    the database guard allows no other change (migration 0007)."""
    from sqlalchemy import update

    db.session.execute(
        update(AuditRecord).where(AuditRecord.actor_id == actor_id)
        .values(actor_name=None, ip_address=None).execution_options(synchronize_session=False))


def record_many(actor, action: str, entries: list[dict]) -> int:
    """Bulk-insert one audit record per entry (a bulk import: thousands of rows in a few
    statements), in the current transaction. Each entry names ``object_type``, ``object_id``
    and optionally ``object_label``, ``from_state``, ``to_state``, ``comment``, ``details``;
    the actor, action, time and address are the same for all. The rows equal what ``record``
    writes for each one; every bulk audit write goes through this one function.

    The records are linked into the hash chain as they are written, so this takes the chain's
    lock until the commit (``chaining.insert_linked``): call it after the transaction's other
    writes."""
    if not entries:
        return 0
    common = {
        "actor_id": getattr(actor, "id", None),
        "actor_name": getattr(actor, "display_name", None) or (None if actor is None else str(actor)),
        "action": action,
        "at": utcnow(),
        "ip_address": request.remote_addr if has_request_context() else None,
    }
    rows = [{"object_type": entry.get("object_type") or "system",
             "object_id": None if entry.get("object_id") is None else int(entry["object_id"]),
             "object_label": _text(entry.get("object_label")),
             "from_state": _state(entry.get("from_state")),
             "to_state": _state(entry.get("to_state")),
             "comment": _text(entry.get("comment")),
             "details": entry.get("details")} for entry in entries]
    insert_linked(db.session, AuditRecord, rows, common)
    return len(rows)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


# Personal data never enters the audit log in clear: it only says that it changed.
PERSONAL_FIELDS = frozenset({"phone", "email", "real_name", "contact_name", "contact_phone",
                             "contact_email", "display_name", "username", "requester_name"})


def _shown(name: str, value: Any) -> str | None:
    if name in PERSONAL_FIELDS and value is not None:
        return "***"
    return _state(value)


def changed_fields(obj, fields: list[str], before: dict) -> dict:
    """The fields whose value differs from ``before``, as {name: [old, new]} strings."""
    changes = {}
    for name in fields:
        old, new = before.get(name), getattr(obj, name)
        if old != new:
            changes[name] = [_shown(name, old), _shown(name, new)]
    return changes


def described_fields(obj, fields: list[str]) -> dict:
    """The fields of a new object, as {name: value} strings (personal data masked)."""
    return {name: _shown(name, getattr(obj, name)) for name in fields}


def snapshot(obj, fields: list[str]) -> dict:
    return {name: getattr(obj, name) for name in fields}
