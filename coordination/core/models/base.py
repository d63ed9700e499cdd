"""The declarative base shared by every model, and small column helpers."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC
from datetime import datetime
from enum import Enum

from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import MetaData
from sqlalchemy import String
from sqlalchemy import func
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import MappedColumn
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import registry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


_clock: ContextVar[datetime | None] = ContextVar("coordination_clock", default=None)


def utcnow() -> datetime:
    """The time every operation stamps; the wall clock unless ``clock_set_to`` holds it."""
    held = _clock.get()
    return held if held is not None else datetime.now(UTC)


@contextmanager
def clock_set_to(moment: datetime) -> Iterator[None]:
    """Run operations as if it were ``moment`` (an aware datetime): the demo street replays
    years of history through the real operations. Only that seed uses it."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given for the clock")
    token = _clock.set(moment)
    try:
        yield
    finally:
        _clock.reset(token)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back as an aware datetime.

    SQLite keeps no time zone, PostgreSQL does; both come back aware in UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _sql_value(member: Enum) -> str:
    value = str(member.value)
    if "'" in value:
        raise ValueError(f"quote in enum value {value!r}")
    return f"'{value}'"


def in_enum(column: str, members: type[Enum] | Iterable[Enum], *, negate: bool = False) -> str:
    """SQL text ``column IN ('a', 'b')`` (``NOT IN`` when negated) of enum members in their
    order (all of an Enum class's), so a CHECK constraint is built from the enum, not restated."""
    values = ", ".join(_sql_value(member) for member in members)
    return f"{column} {'NOT IN' if negate else 'IN'} ({values})"


def is_enum(column: str, member: Enum, *, negate: bool = False) -> str:
    """SQL text ``column = 'a'`` (``<>`` when negated) of one enum member, for CHECK constraints."""
    return f"{column} {'<>' if negate else '='} {_sql_value(member)}"


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class Entity(Base):
    """A table whose rows are keyed by an integer ``id``: every table but the tallies and the
    chain heads, which are keyed by what they count."""

    __abstract__ = True

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-1)  # the first column


class PersonMark(Entity):
    """A person's mark on an object, once each (a support, a follow): who, and when. The subclass
    adds the key of the object and the unique constraint over the two."""

    __abstract__ = True

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def part_of(table: str, *, unique: bool = False) -> MappedColumn:
    """The key of the ``table`` row this one is part of: deleted with it, and indexed (unique
    where the row has at most one such part)."""
    if unique:
        return mapped_column(ForeignKey(f"{table}.id", ondelete="CASCADE"), unique=True)
    return mapped_column(ForeignKey(f"{table}.id", ondelete="CASCADE"), index=True)


def key_of(table: str, *, index: bool = False) -> MappedColumn:
    """The key of a ``table`` row this one refers to (indexed where rows are looked up by it);
    nullable when the column's annotation says ``int | None``."""
    return mapped_column(ForeignKey(f"{table}.id"), index=index)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(
        default=utcnow, server_default=func.current_timestamp()
    )
    updated_at: Mapped[datetime] = mapped_column(
        default=utcnow, onupdate=utcnow, server_default=func.current_timestamp()
    )


class StoredPhotoMixin:
    """A photo kept under the upload folder (see ``needs/photos.py``), served by the app."""

    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int]
    width: Mapped[int]
    height: Mapped[int]


def local_name(name: str, name_en: str | None) -> str:
    """The name in the reader's language: ``name_en`` when reading in English (if it has one)."""
    from flask_babel import get_locale

    locale = get_locale()
    if locale is not None and locale.language == "en" and name_en:
        return name_en
    return name


class LocalNameMixin:
    """Reference data named in Chinese (``name``) and English (``name_en``)."""

    @property
    def local_name(self) -> str:
        return local_name(self.name, self.name_en)

    def __str__(self) -> str:
        return self.local_name
