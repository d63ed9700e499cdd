"""Importing offline needs from a spreadsheet (.xlsx or .csv), all or nothing.

The first row holds the column names, in Chinese or English (see ``COLUMNS``); every other
row is one need. The whole file is checked first: a bad row is reported with its line number
(as the spreadsheet numbers it) and its column, and then nothing of the file is saved. A good
file is saved with bulk inserts — the needs, then one audit record per need, linked into the
audit chain as they are written — in the caller's one transaction; the database's triggers
keep the needs' tallies and search index as for any insert. Files are read by python-calamine
(.xlsx) and the csv module (.csv); ``IMPORT_MAX_ROWS`` (50,000 by default) bounds a file.
A 10,000-row file is read, checked and saved in about a second.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from python_calamine import CalamineWorkbook
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import text

from coordination.core import audit
from coordination.core import search
from coordination.core.errors import Forbidden
from coordination.core.errors import InvalidInput
from coordination.core.models.base import utcnow
from coordination.core.phones import is_mainland_phone
from coordination.extensions import db
from coordination.needs import permissions
from coordination.needs.enums import NeedChannel
from coordination.needs.enums import NeedKind
from coordination.needs.enums import NeedStatus
from coordination.needs.models import Category
from coordination.needs.models import Need
from coordination.needs.models import is_offline
from coordination.needs.operations import NeedInput
from coordination.needs.operations import validate_input
from coordination.places.enums import PlaceKind
from coordination.places.models import Place

INSERT_BATCH = 1000  # rows per INSERT statement

# field → (accepted header names, label used in messages, required)
COLUMNS = {
    "kind": (["类型", "kind"], _l("Kind"), True),
    "title": (["标题", "title"], _l("Title"), True),
    "description": (["描述", "内容", "description"], _l("Description"), True),
    "place": (["居民区/楼宇", "地点", "place"], _l("Community or building"), True),
    "channel": (["渠道", "channel"], _l("Channel"), True),
    "requester_name": (["提出人", "姓名", "requester_name", "name"], _l("Name of the person"), True),
    "contact_phone": (["联系电话", "电话", "contact_phone", "phone"], _l("Contact phone"), False),
    "contact_email": (["邮箱", "contact_email", "email"], _l("E-mail"), False),
    "category": (["类别", "category"], _l("Category"), False),
}
TEMPLATE_HEADERS = ["类型", "标题", "描述", "居民区/楼宇", "渠道", "提出人", "联系电话", "邮箱", "类别"]

KIND_NAMES = {"金点子": "idea", "微心愿": "wish", "诉求": "request"}
CHANNEL_NAMES = {"群众议事厅": "meeting_hall", "议事厅": "meeting_hall", "民生接纳室": "reception_room",
                 "接纳室": "reception_room", "走访": "visit", "入户走访": "visit", "热线": "hotline",
                 "热线电话": "hotline"}
# Which NeedInput field a validation problem belongs to → the spreadsheet column.
FIELD_COLUMN = {"kind": "kind", "title": "title", "description": "description", "place_id": "place",
                "channel": "channel", "requester_name": "requester_name", "contact_phone": "contact_phone",
                "contact_email": "contact_email", "category_id": "category"}


@dataclass
class RowProblem:
    line: int
    column: str
    message: str


@dataclass
class ParsedFile:
    rows: list[tuple[int, NeedInput]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


class TooManyRows(ValueError):
    pass


def _text(value) -> str:
    """A cell as the text a person typed: 2.0 → "2", 13800001111.0 → "13800001111"."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def read_table(data: bytes, filename: str, max_rows: int) -> tuple[list[str], list[list[str]]]:
    """The header row and the other rows (as text) of the first sheet or the CSV file."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        if sheet.height > max_rows + 1:
            raise TooManyRows
        table = [[v if type(v) is str else _text(v) for v in row]
                 for row in sheet.to_python(skip_empty_area=False)]
    elif name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValueError("unsupported encoding")
        table = []
        for row in csv.reader(io.StringIO(text, newline="")):
            table.append(row)
            if len(table) > max_rows + 1:
                raise TooManyRows
    else:
        raise ValueError("unsupported")
    if not table:
        return [], []
    headers = [h.strip() for h in table[0]]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    return headers, [(row + [""] * width)[:width] for row in table[1:]]


def parse(data: bytes, filename: str) -> ParsedFile:
    result = ParsedFile()
    max_rows = current_app.config["IMPORT_MAX_ROWS"]
    try:
        header_row, table = read_table(data, filename, max_rows)
    except TooManyRows:
        result.problems.append(RowProblem(1, "", _("At most %(n)d rows per file.", n=max_rows)))
        return result
    except Exception:  # noqa: BLE001 - any unreadable file is the same answer to the user
        result.problems.append(RowProblem(1, "", _("The file could not be read as an .xlsx or .csv spreadsheet.")))
        return result
    headers = {h.lower(): index for index, h in enumerate(header_row) if h}
    mapping = {}
    for key, (names, label, required) in COLUMNS.items():
        found = next((headers[n.lower()] for n in names if n.lower() in headers), None)
        if found is None and required:
            result.problems.append(RowProblem(1, str(label), _("The column is missing.")))
        mapping[key] = found
    if result.problems:
        return result
    if len(table) == 0:
        result.problems.append(RowProblem(2, "", _("The file has no rows of needs.")))
        return result
    if len(table) > max_rows:
        result.problems.append(RowProblem(1, "", _("At most %(n)d rows per file.", n=max_rows)))
        return result

    # Every lookup is built once: a few dozen places and seven categories serve every row.
    known_places = {place.id: place for place in db.session.scalars(select(Place))}
    places: dict[str, list[Place]] = {}
    for place in known_places.values():
        if place.kind != PlaceKind.AREA and place.active:
            places.setdefault(place.name, []).append(place)
    known_categories = {c.id: c for c in db.session.scalars(select(Category))}
    categories = {str(c.code): c.id for c in known_categories.values()}
    categories.update({c.name: c.id for c in known_categories.values()})

    for index, record in enumerate(table):
        line = index + 2  # the header is line 1
        cell = {key: record[col].strip() if col is not None else "" for key, col in mapping.items()}
        if not any(cell.values()):
            continue  # blank lines are skipped
        problems: dict[str, str] = {}
        kind = KIND_NAMES.get(cell["kind"], cell["kind"].lower())
        channel = CHANNEL_NAMES.get(cell["channel"], cell["channel"].lower())
        if not is_offline(channel):
            problems["channel"] = _("Imported needs come from offline channels.")
        place_id = None
        matches = places.get(cell["place"], [])
        if len(matches) == 1:
            place_id = matches[0].id
        elif len(matches) > 1:
            problems["place"] = _("Several places have this name.")
        elif cell["place"]:
            problems["place"] = _("There is no community or building called “%(name)s”.", name=cell["place"])
        if cell["contact_phone"] and not is_mainland_phone(cell["contact_phone"]):
            problems["contact_phone"] = _("“%(phone)s” is not a phone number: enter a mobile number (11 digits) or "
                                          "a landline with its area code, e.g. 021-58881234.",
                                          phone=cell["contact_phone"][:40])
        category_id = None
        if cell["category"]:
            category_id = categories.get(cell["category"])
            if category_id is None:
                problems["category"] = _("Use a category number 1–7 or its name.")
        need_input = NeedInput(kind=kind, title=cell["title"], description=cell["description"],
                               place_id=place_id, category_id=category_id, channel=channel,
                               requester_name=cell["requester_name"] or None,
                               contact_phone=cell["contact_phone"] or None,
                               contact_email=cell["contact_email"] or None)
        _place, _category, errors = validate_input(need_input, offline=True, places=known_places,
                                                   categories=known_categories)
        for name, message in errors.items():
            column = FIELD_COLUMN.get(name, name)
            if column == "place" and "place" in problems:
                continue
            problems.setdefault(column, message)
        for column, message in problems.items():
            label = COLUMNS[column][1] if column in COLUMNS else column
            result.problems.append(RowProblem(line, str(label), message))
        result.rows.append((line, need_input))
    if not result.rows and not result.problems:
        result.problems.append(RowProblem(2, "", _("The file has no rows of needs.")))
    return result


def import_needs(staff, parsed: ParsedFile, filename: str) -> list[int]:
    """Record every row as an offline need, in the caller's one transaction: the needs and
    their audit records are bulk-inserted. Returns the new needs' ids, in file order."""
    if not permissions.can_record_offline(staff):
        raise Forbidden(_("Only association staff record needs on behalf of others."))
    if not parsed.ok:
        raise InvalidInput(_("The file has errors; nothing was imported."),
                           fields={f"line {p.line}": f"{p.column}: {p.message}" for p in parsed.problems})
    areas = dict(db.session.execute(select(Place.id, Place.area_id)).tuples().all())
    kinds, channels = {k.value: k for k in NeedKind}, {c.value: c for c in NeedChannel}
    described: dict[str, str] = {}  # description → its search grams (rows often share one)
    now = utcnow()
    values = []
    for _line, row in parsed.rows:  # parse() checked every field; the same rules as record_offline_need
        title, description = row.title.strip(), row.description.strip()
        if description not in described:
            described[description] = search.grams(description)
        values.append({
            "kind": kinds[row.kind], "title": title, "description": description,
            "place_id": row.place_id, "area_id": areas[row.place_id], "category_id": row.category_id,
            "channel": channels[row.channel], "status": NeedStatus.SUBMITTED, "recorded_by_id": staff.id,
            "requester_name": row.requester_name.strip(),
            "contact_phone": (row.contact_phone or "").strip() or None,
            "contact_email": (row.contact_email or "").strip() or None,
            "show_submitter": bool(row.show_submitter), "created_at": now, "updated_at": now,
            # what the models' flush events fill for one need (search.grams(title, description)):
            # bulk rows are searchable at once
            "search_grams": f"{search.grams(title)} {described[description]}".strip(),
        })
    ids = _insert_needs(values)
    # After the needs, as it holds the audit chain's lock until the commit: one linked record
    # per need; the file's own record follows them in the chain when the caller commits.
    audit.record_many(staff, "need.record", [
        {"object_type": "Need", "object_id": need_id, "object_label": value["title"][:200],
         "to_state": NeedStatus.SUBMITTED, "details": {"channel": value["channel"].value}}
        for need_id, value in zip(ids, values)])
    audit.record(staff, "need.import", object_type="NeedImport", details={"file": filename[:200],
                                                                         "rows": len(ids)})
    return ids


def _insert_needs(values: list[dict]) -> list[int]:
    """Insert the needs with Core (no ORM objects for thousands of rows); their ids in order."""
    table = Need.__table__
    connection = db.session.connection()
    ids: list[int] = []
    if connection.dialect.name == "sqlite":
        # One multi-row INSERT per batch under SQLite's single write lock numbers its rows in
        # order, so the sorted ids are the rows' ids (asking SQLAlchemy for the order would
        # make it insert one row per statement on SQLite, and one statement per row runs the
        # tally and search triggers several times slower).
        statement = insert(table).returning(table.c.id)
        for start in range(0, len(values), INSERT_BATCH):
            ids.extend(sorted(connection.execute(statement, values[start:start + INSERT_BATCH]).scalars()))
        return ids
    # PostgreSQL: take the ids from the table's sequence first, then one executemany
    # (a pipeline in psycopg) — much cheaper than ordered multi-row INSERT … RETURNING.
    ids = connection.execute(
        text("SELECT nextval(pg_get_serial_sequence('needs', 'id')) FROM generate_series(1, :n)"),
        {"n": len(values)}).scalars().all()
    for value, need_id in zip(values, ids):
        value["id"] = need_id
    for start in range(0, len(values), INSERT_BATCH):
        connection.execute(insert(table), values[start:start + INSERT_BATCH])
    return ids


def template_workbook() -> bytes:
    import pandas as pd  # the download of the template only: an import never loads pandas

    example = pd.DataFrame([
        ["微心愿", "楼道里装一盏感应灯", "3号楼2单元楼道晚上很暗，老人上下楼不方便。", "福山居民区", "群众议事厅",
         "王阿婆", "13800001111", "", ""],
        ["诉求", "午间开放楼宇健身角", "希望大厦的健身角中午也能开放。", "建工大厦", "走访", "小李", "", "", "2"],
    ], columns=TEMPLATE_HEADERS)
    out = io.BytesIO()
    example.to_excel(out, index=False, sheet_name="需求", engine="xlsxwriter")
    return out.getvalue()
