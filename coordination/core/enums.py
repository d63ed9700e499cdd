"""Enumerations with translated labels: the base class, the column type, and the roles.

Every state or kind is an Enum whose value is the stable code stored in the database and used
in the API; ``label`` is the translated name shown to people. Each domain keeps its own enums
beside its models (``coordination/<domain>/enums.py``); core keeps only the roles, which its
permission helpers use.
"""

from __future__ import annotations

import enum

from sqlalchemy import Enum as SAEnum

from coordination.core.i18n import lazy_gettext as _l


class LabelledEnum(str, enum.Enum):
    """A string enum whose members carry a translated label, declared beside the code:
    ``IDEA = "idea", _l("Golden idea")`` (a member without a label shows its code)."""

    def __new__(cls, value: str, label=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self):
        """The translated name (a lazy string: it follows the reader's language)."""
        return self._label if self._label is not None else self.value

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]

    @classmethod
    def label_list(cls, members=None) -> str:
        """The labels of ``members`` (all by default) as one phrase in the reader's language,
        for messages that say what may be chosen (never the codes)."""
        from flask_babel import gettext

        return gettext(", ").join(str(member.label) for member in (members or list(cls)))

    @classmethod
    def of(cls, value, members=None):
        """The member whose code is ``value`` (one of ``members``, if given), or None: what a
        form or a query string sent, checked before it reaches an operation."""
        for member in members or cls:
            if member.value == value:
                return member
        return None

    def __str__(self) -> str:
        return self.value

    @classmethod
    def named(cls, name: str) -> type[LabelledEnum]:
        """The enum class called ``name`` (``"NeedKind"``), wherever its domain defines it, for
        code that holds only the name (templates, audit details); KeyError if there is none."""
        pending = list(cls.__subclasses__())
        while pending:
            enum_cls = pending.pop()
            if enum_cls.__name__ == name:
                return enum_cls
            pending.extend(enum_cls.__subclasses__())
        raise KeyError(name)


def enum_column(enum_cls: type[enum.Enum], name: str) -> SAEnum:
    """A portable enum column: VARCHAR + CHECK constraint storing the member values."""
    return SAEnum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Role(LabelledEnum):
    RESIDENT = "resident", _l("Resident")
    WORKER = "worker", _l("Office worker")
    UNIT_REP = "unit_rep", _l("Member unit contact")
    STAFF = "staff", _l("Association staff")
    COUNCIL = "council", _l("Council member")
    COMMUNITY_COMMITTEE = "community_committee", _l("Community Party committee")
    STREET_COMMITTEE = "street_committee", _l("Street Party working committee")
    ADMIN = "admin", _l("Administrator")

    @classmethod
    def self_registered(cls) -> tuple["Role", ...]:
        """Roles a person may take by registering; all others are granted by an admin."""
        return (cls.RESIDENT, cls.WORKER)
