"""Generated rows take their places in their tables' hash chains as they are written.

The loader inserts audit records, council votes and evaluation reviews with ``chain_seq``,
``content_hash``, ``prev_hash`` and ``chain_hash`` filled in by the rules of ``core/chain.py``,
so the commit has nothing to read back and update (``core/chaining.py`` would do that for half
a million audit records). One row in ``CHECK_EVERY`` is hashed again by ``chain.content_hash``
itself, so that this quicker path cannot drift from the verifier unnoticed. Rows the ORM adds
in the same transaction are linked after these when it commits.
"""

from __future__ import annotations

from datetime import UTC
from enum import Enum
from operator import itemgetter

from sqlalchemy import JSON
from sqlalchemy import Boolean
from sqlalchemy import Enum as SAEnum
from sqlalchemy import Integer
from sqlalchemy import String

from coordination.core import chain
from coordination.core.models.base import UTCDateTime

COLUMNS = ("chain_seq", "content_hash", "prev_hash", "chain_hash")
CHECK_EVERY = 997

def _utc_iso(value):
    if value is None:
        return None
    return (value if value.tzinfo is UTC else value.astimezone(UTC)).isoformat()


def _enum_value(value):
    return value.value if isinstance(value, Enum) else value


def _canonical_for(column_type):
    """What ``chain._canonical_value`` does to the values of a column, without its general
    checks where the column's type settles them; None: the value is used as it is (the JSON
    values generated here are plain already: string keys, strings and numbers)."""
    if isinstance(column_type, UTCDateTime):
        return _utc_iso
    if isinstance(column_type, SAEnum):  # before String, which it extends
        return _enum_value
    if isinstance(column_type, (String, Integer, Boolean, JSON)):  # Text is a String
        return None
    return chain._canonical_value


class ChainLinks:
    """The chain columns of rows of one table, from the hashed fields its model names."""

    def __init__(self, table, names: tuple[str, ...]):
        self.table = table
        self.names = names
        canonical = {name: _canonical_for(table.c[name].type) for name in names}
        plain = tuple(name for name in names if canonical[name] is None)
        self.plain = plain
        self.take = itemgetter(*plain) if len(plain) > 1 else (lambda row: tuple(row[name] for name in plain))
        self.converted = [(name, function) for name, function in canonical.items() if function is not None]

    def link(self, rows: list[dict], seq: int, last: str) -> tuple[list[list], int, str]:
        """The four chain columns of ``rows`` following position ``seq`` and chain hash ``last``,
        and the new head (length, last chain hash)."""
        seqs, contents, prevs, links = [], [], [], []
        plain, take = self.plain, self.take
        for row in rows:
            seq += 1
            fields = dict(zip(plain, take(row)))
            for name, canonical in self.converted:
                fields[name] = canonical(row[name])
            fields["chain_seq"] = seq
            content = chain.content_hash_of_canonical(fields)
            if seq % CHECK_EVERY == 1:
                self._check(row, seq, content)
            link = chain.link(last, content)
            seqs.append(seq)
            contents.append(content)
            prevs.append(last)
            links.append(link)
            last = link
        return [seqs, contents, prevs, links], seq, last

    def _check(self, row: dict, seq: int, content: str) -> None:
        if content != chain.content_hash({"chain_seq": seq, **{name: row[name] for name in self.names}}):
            raise RuntimeError(f"{self.table.name}: the content hash of chain position {seq} differs from "
                               "core/chain.py's")
