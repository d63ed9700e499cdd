"""Everything the platform holds about one person, as one JSON-ready document (PIPL access right).

The document is made of sections. Each section says which ``table.column`` references to the
person it covers; ``tests/privacy/test_export.py`` reads the schema and fails when a table with
a reference to ``users`` is covered by no section, so a new table cannot be forgotten.

Extension point: a later domain (volunteer profiles and sign-ups, second factors, …) adds its
own section with ``@section("volunteer", "volunteer_profiles.user_id")`` in a module imported by
``coordination.privacy.sections`` (see the end of that module); the app factory imports that
module (``setup.py``), so every section is declared before a document is made.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from decimal import Decimal
from typing import Any
from typing import Callable

from sqlalchemy import inspect
from sqlalchemy import select

from coordination.core.models.base import utcnow
from coordination.extensions import db

FORMAT = "golden-ribbon-personal-data/1"

# Columns never handed out, not even to their owner: they are secrets of the platform.
SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "code_hash"})


@dataclass(frozen=True)
class Section:
    key: str
    covers: tuple[str, ...]  # "table.column" references to users.id read by this section
    collect: Callable[[Any], Any]


SECTIONS: list[Section] = []


def section(key: str, *covers: str):
    """Declare a section of the document: ``collect(user)`` returns its JSON-ready content."""

    def decorator(fn):
        if any(existing.key == key for existing in SECTIONS):
            raise ValueError(f"section {key!r} is declared twice")
        SECTIONS.append(Section(key, tuple(covers), fn))
        return fn

    return decorator


def covered_columns() -> set[str]:
    return {ref for item in SECTIONS for ref in item.covers}


def json_value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def row(obj, *, exclude: tuple[str, ...] = ()) -> dict:
    """Every column of ``obj`` (secrets and ``exclude`` left out), JSON-ready."""
    skip = SECRET_COLUMNS.union(exclude)
    return {attr.key: json_value(getattr(obj, attr.key))
            for attr in inspect(obj).mapper.column_attrs if attr.key not in skip}


def rows(model, where, *, order_by=None, exclude: tuple[str, ...] = ()) -> list[dict]:
    query = select(model).where(where).order_by(order_by if order_by is not None else model.id)
    return [row(obj, exclude=exclude) for obj in db.session.scalars(query)]


def personal_data(user) -> dict:
    """The whole document for ``user``."""
    document: dict[str, Any] = {"format": FORMAT, "generated_at": utcnow().isoformat()}
    for item in SECTIONS:
        document[item.key] = item.collect(user)
    return document
