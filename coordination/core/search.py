"""Full-text search that handles Chinese: character bigrams in a real full-text index.

Chinese has no spaces, so a word cannot be found by splitting on them. Every searchable row
keeps a ``search_grams`` column: its text cut into runs of Chinese characters and runs of
letters and digits; each Chinese run becomes its overlapping character pairs followed by its
last character alone ("电梯坏" → "电梯 梯坏 坏"), each Latin run one lower-case word. The
column feeds an FTS5 table on SQLite (kept in sync by triggers) and a GIN index over
``to_tsvector('simple', search_grams)`` on PostgreSQL, so a query is answered by the index:

- two or more Chinese characters → the phrase of their pairs (consecutive pairs = the exact
  substring), e.g. "电梯" hits the token 电梯, "加装电梯" the phrase 加装 装电 电梯;
- one Chinese character → the tokens starting with it (pairs, and the last character alone);
- a Latin word or number → the words starting with it.

Several words of a query must all match. The column is filled by the models' flush events;
rows inserted in bulk get theirs from ``counters.rebuild_all()``.
"""

from __future__ import annotations

import re

from sqlalchemy import Text
from sqlalchemy import event
from sqlalchemy import func
from sqlalchemy import literal_column
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from coordination.extensions import db

SEARCH_TOTAL_CAP = 10_000  # free-text totals stop counting here (API.md)

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+")
_CJK_RUN = re.compile(rf"[{_CJK}]+")
_QUERY_SPLIT = re.compile(r"[\s,，、;；]+")


def _runs(value: str) -> list[str]:
    return _RUN.findall((value or "").lower())


def tokens(value: str) -> list[str]:
    """The index tokens of a text (see the module docstring)."""
    out: list[str] = []
    for run in _runs(value):
        if _CJK_RUN.fullmatch(run):
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
            out.append(run[-1])
        else:
            out.append(run)
    return out


def grams(*values: str | None) -> str:
    """The ``search_grams`` value of a row whose searchable fields are ``values``."""
    return " ".join(" ".join(tokens(v or "")) for v in values).strip()


def query_terms(q: str | None) -> list[str]:
    """The words of a query (at most 8); Chinese text without spaces is one word."""
    return [term for term in _QUERY_SPLIT.split((q or "").strip()) if term][:8]


def _parts(q: str | None) -> list[tuple[str, list[str]]]:
    """Each run of the query as ("phrase", pairs) or ("prefix", [token])."""
    parts = []
    for term in query_terms(q):
        for run in _runs(term):
            if _CJK_RUN.fullmatch(run) and len(run) > 1:
                parts.append(("phrase", [run[i:i + 2] for i in range(len(run) - 1)]))
            else:
                parts.append(("prefix", [run]))
    return parts


def is_searchable(q: str | None) -> bool:
    """Whether the query has anything the index can look for (letters, digits, characters)."""
    return bool(_parts(q))


def fts5_query(q: str | None) -> str:
    """The FTS5 MATCH expression of a query (tokens hold only letters and digits)."""
    out = []
    for kind, words in _parts(q):
        out.append(f'"{" ".join(words)}"' if kind == "phrase" else f'"{words[0]}"*')
    return " AND ".join(out)


def tsquery(q: str | None) -> str:
    """The PostgreSQL tsquery text of a query ('simple' configuration)."""
    out = []
    for kind, words in _parts(q):
        out.append("(" + " <-> ".join(f"'{w}'" for w in words) + ")" if kind == "phrase" else f"'{words[0]}':*")
    return " & ".join(out)


def match(model, q: str | None, dialect: str):
    """A WHERE clause keeping the rows of ``model`` whose text matches ``q`` (via the index)."""
    if dialect == "postgresql":
        vector = func.to_tsvector(literal_column("'simple'"), model.search_grams)
        return vector.op("@@")(func.to_tsquery(literal_column("'simple'"), tsquery(q)))
    table = f"{model.__tablename__}_fts"
    ids = select(literal_column("rowid")).select_from(text(table)).where(
        text(f"{table} MATCH :fts_q").bindparams(fts_q=fts5_query(q)))
    return model.id.in_(ids)


class Searchable:
    """A model found by the words of its ``title`` and ``description``: the ``search_grams``
    column (never shown, so not loaded with the row), kept in step on every ORM write. Its
    name is the title."""

    __searched__ = ("title", "description")

    search_grams: Mapped[str] = mapped_column(Text, default="", server_default="", deferred=True)

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)  # maps the class
        keep_searchable(cls, *cls.__searched__)

    def __str__(self) -> str:
        return self.title


def keep_searchable(model, *fields: str) -> None:
    """Keep ``model.search_grams`` in step with ``fields`` whenever the ORM writes the row."""

    def fill(_mapper, _connection, target) -> None:
        target.search_grams = grams(*(getattr(target, name) for name in fields))

    def refill(mapper, connection, target) -> None:
        from sqlalchemy import inspect

        state = inspect(target)
        if any(state.attrs[name].history.has_changes() for name in fields):
            fill(mapper, connection, target)

    event.listen(model, "before_insert", fill)
    event.listen(model, "before_update", refill)


def _fts_table(model) -> str:
    return f"{model.__tablename__}_fts"


def refresh(model, chunk: int = 5000) -> None:
    """Fill ``search_grams`` where it is missing or stale (rows inserted in bulk) and, on
    SQLite, rebuild the FTS5 index from the column."""
    fields = model.__searched__
    from sqlalchemy import bindparam
    from sqlalchemy import update

    table = model.__table__
    columns = [table.c[name] for name in fields]
    last = 0
    while True:
        rows = db.session.execute(select(table.c.id, table.c.search_grams, *columns)
                                  .where(table.c.id > last).order_by(table.c.id).limit(chunk)).all()
        if not rows:
            break
        last = rows[-1][0]
        stale = [{"row_id": row[0], "grams": value} for row in rows
                 if (value := grams(*row[2:])) != row[1]]
        if stale:
            db.session.execute(update(table).where(table.c.id == bindparam("row_id"))
                               .values(search_grams=bindparam("grams")), stale)
    if db.session.get_bind().dialect.name == "sqlite":
        # FTS5 commands name the index as a column; the name comes from the model, never from input.
        db.session.execute(text(f"INSERT INTO {_fts_table(model)} ({_fts_table(model)}) VALUES ('rebuild')"))  # nosec B608


def differences(model, *fields: str) -> list[str]:
    """Rows whose search column is stale, and (SQLite) an FTS5 index out of step with it."""
    from sqlalchemy.exc import DatabaseError

    table = model.__table__
    stale = sum(1 for row in db.session.execute(select(table.c.search_grams, *(table.c[n] for n in fields)))
                if grams(*row[1:]) != row[0])
    out = [f"{table.name}.search_grams: {stale} rows stale"] if stale else []
    if db.session.get_bind().dialect.name == "sqlite":
        fts = _fts_table(model)
        try:
            with db.session.begin_nested():
                # the index's name comes from the model, never from input
                db.session.execute(text(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)"))  # nosec B608
        except DatabaseError as exc:
            out.append(f"{fts}: {exc.orig}")
    return out


def outside_the_models(name: str | None) -> bool:
    """Schema objects of the full-text index that migration 0008 creates beside the models
    (the FTS5 tables and their shadow tables, the GIN expression indexes)."""
    return bool(name) and (name.startswith(("needs_fts", "projects_fts")) or
                           name in ("ix_needs_search", "ix_projects_search"))
