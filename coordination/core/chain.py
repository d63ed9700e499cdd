"""The hash chain's arithmetic, with no database in sight (so migrations can use it too).

A chained record's *content hash* is SHA-256 over the canonical serialisation of its hashed
fields: JSON with sorted keys, ASCII only, no spaces; times in UTC ISO 8601, enums by value,
JSON values normalised the way the database stores them. Its *chain hash* is
SHA-256(prev_hash || content_hash), both as lowercase hex, where ``prev_hash`` is the chain
hash of the record before it (``GENESIS`` for the first one).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from decimal import Decimal
from typing import Any
from typing import Iterable
from typing import Mapping

GENESIS = "0" * 64


def _canonical_value(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, enum.Enum):
        return _canonical_value(value.value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:  # SQLite hands back naive UTC when read without our column type
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dict, list, tuple)):
        # What a JSON column gives back: keys as strings, tuples as lists.
        return json.loads(json.dumps(value, default=str))
    return str(value)


# Sorted keys, ASCII only, no spaces: one encoder, reused.
_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def canonical(fields: Mapping[str, Any]) -> bytes:
    """The bytes a content hash is taken over."""
    return _ENCODER.encode({name: _canonical_value(value) for name, value in fields.items()}).encode("ascii")


def content_hash(fields: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(fields)).hexdigest()


def content_hash_of_canonical(fields: Mapping[str, Any]) -> str:
    """``content_hash`` of fields whose values are canonical already (what ``_canonical_value``
    returns): the bulk writers convert each column once their own quicker way."""
    return hashlib.sha256(_ENCODER.encode(fields).encode("ascii")).hexdigest()


def link(prev_hash: str, content: str) -> str:
    """The chain hash of a record whose content hash is ``content``, following ``prev_hash``."""
    return hashlib.sha256((prev_hash + content).encode("ascii")).hexdigest()


def hashed_fields(row: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    return {name: row[name] for name in names}
