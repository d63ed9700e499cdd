"""Importing offline needs from a spreadsheet (.xlsx or .csv), all or nothing.

The first row holds the column names, in Chinese or English (see ``COLUMNS``); every other
row is one need. A bad row is reported with its line number (as the spreadsheet numbers it)
and its column, and then nothing of the file is saved.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pandas as pd
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coordination.core import audit
from coordination.core.enums import NeedChannel, PlaceKind
from coordination.core.errors import InvalidInput
from coordination.extensions import db
from coordination.needs.models import Category, Need
from coordination.needs.operations import NeedInput, record_offline_need, validate_input
from coordination.places.models import Place

MAX_ROWS = 2000

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


def read_table(data: bytes, filename: str) -> pd.DataFrame:
    name = filename.lower()
    if name.endswith(".xlsx"):
        return pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False, engine="openpyxl")
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding=encoding)
            except UnicodeDecodeError:
                continue
    raise ValueError("unsupported")


def parse(data: bytes, filename: str) -> ParsedFile:
    result = ParsedFile()
    try:
        table = read_table(data, filename)
    except Exception:  # noqa: BLE001 - any unreadable file is the same answer to the user
        result.problems.append(RowProblem(1, "", _("The file could not be read as an .xlsx or .csv spreadsheet.")))
        return result
    headers = {str(h).strip().lower(): h for h in table.columns}
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
    if len(table) > MAX_ROWS:
        result.problems.append(RowProblem(1, "", _("At most %(n)d rows per file.", n=MAX_ROWS)))
        return result

    places = {}
    for place in db.session.scalars(select(Place).where(Place.kind != PlaceKind.AREA, Place.active)):
        places.setdefault(place.name, []).append(place)
    categories = {str(c.code): c.id for c in db.session.scalars(select(Category))}
    categories.update({c.name: c.id for c in db.session.scalars(select(Category))})

    for index, record in enumerate(table.to_dict("records")):
        line = index + 2  # the header is line 1
        cell = {key: str(record[col]).strip() if col is not None else "" for key, col in mapping.items()}
        if not any(cell.values()):
            continue  # blank lines are skipped
        problems: dict[str, str] = {}
        kind = KIND_NAMES.get(cell["kind"], cell["kind"].lower())
        channel = CHANNEL_NAMES.get(cell["channel"], cell["channel"].lower())
        if channel == NeedChannel.ONLINE.value:
            problems["channel"] = _("Imported needs come from offline channels.")
        place_id = None
        matches = places.get(cell["place"], [])
        if len(matches) == 1:
            place_id = matches[0].id
        elif len(matches) > 1:
            problems["place"] = _("Several places have this name.")
        elif cell["place"]:
            problems["place"] = _("There is no community or building called “%(name)s”.", name=cell["place"])
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
        _place, _category, errors = validate_input(need_input, offline=True)
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


def import_needs(staff, parsed: ParsedFile, filename: str) -> list[Need]:
    """Record every row as an offline need, in the caller's one transaction."""
    if not parsed.ok:
        raise InvalidInput(_("The file has errors; nothing was imported."),
                           fields={f"line {p.line}": f"{p.column}: {p.message}" for p in parsed.problems})
    needs = []
    for line, row in parsed.rows:
        try:
            needs.append(record_offline_need(staff, row))
        except InvalidInput as exc:  # pragma: no cover - parse() already checked the rows
            raise InvalidInput(_("The file has errors; nothing was imported."),
                               fields={f"line {line}": "; ".join(exc.fields.values())}) from None
    audit.record(staff, "need.import", object_type="NeedImport", details={"file": filename[:200],
                                                                         "rows": len(needs)})
    return needs


def template_workbook() -> bytes:
    example = pd.DataFrame([
        ["微心愿", "楼道里装一盏感应灯", "3号楼2单元楼道晚上很暗，老人上下楼不方便。", "福山居民区", "群众议事厅",
         "王阿婆", "13800001111", "", ""],
        ["诉求", "午间开放楼宇健身角", "希望大厦的健身角中午也能开放。", "建工大厦", "走访", "小李", "", "", "2"],
    ], columns=TEMPLATE_HEADERS)
    out = io.BytesIO()
    example.to_excel(out, index=False, sheet_name="需求")
    return out.getvalue()
