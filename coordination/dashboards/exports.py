"""Exports of needs, projects, survey responses and evaluations to Excel and CSV, with Chinese
column headers.

Rows are streamed from the database in chunks (``yield_per``: a server-side cursor on
PostgreSQL) straight into the writer — the streaming sheet writer of ``xlsx.py``, or the csv
module — so memory stays flat whatever the number of rows. Labels and the names of categories
and places are looked up once per export, not joined or translated for each row. Names and
phone numbers are masked for readers who may not see them, and text a spreadsheet would run as
a formula is defused.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import IO
from zoneinfo import ZoneInfo

from sqlalchemy import String
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import type_coerce

from coordination.accounts.models import User
from coordination.core.permissions import can_see_personal_data
from coordination.core.privacy import mask_name
from coordination.core.privacy import mask_phone
from coordination.dashboards.xlsx import write_sheet
from coordination.evaluation.models import EvaluationReview
from coordination.evaluation.models import Survey
from coordination.evaluation.models import SurveyAnswer
from coordination.evaluation.models import SurveyQuestion
from coordination.evaluation.models import SurveyResponse
from coordination.evaluation.scores import project_scores
from coordination.extensions import db
from coordination.needs.models import Category
from coordination.needs.models import Need
from coordination.needs.permissions import can_moderate
from coordination.places.models import MemberUnit
from coordination.places.models import Place
from coordination.projects.models import Project

KINDS = ("needs", "projects", "responses", "evaluations")
FORMATS = ("xlsx", "csv")
SHEETS = {"needs": "需求", "projects": "项目", "responses": "测评答卷", "evaluations": "成效评估"}
MIMETYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "csv": "text/csv"}  # Flask adds "; charset=utf-8"
CHUNK = 2000  # rows fetched from the database at a time
LOCAL_TIME = ZoneInfo("Asia/Shanghai")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(value):
    """Text that a spreadsheet would run as a formula is written as plain text."""
    if value and value[0] in "=+-@\t\r" and isinstance(value, str):
        return "'" + value
    return value


def local(value: datetime | None) -> datetime | None:
    """A stored time as local (Asia/Shanghai) time without a zone, as spreadsheets want it."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(LOCAL_TIME)
    return value.replace(tzinfo=None)


def _number(value):
    return float(value) if isinstance(value, Decimal) else value


@dataclass(frozen=True)
class Access:
    """What the reader of an export may see."""

    personal_data: bool  # names and phone numbers in clear (staff, administrators)
    hidden: bool  # needs hidden by moderation (staff)

    @classmethod
    def of(cls, user) -> Access:
        return cls(personal_data=can_see_personal_data(user), hidden=can_moderate(user))


FULL_ACCESS = Access(personal_data=True, hidden=True)  # the command line, run by an operator


def stored(column):
    """An enum column read as the value it stores, not as a member made for each row."""
    return type_coerce(column, String)


class Labels(dict):
    """An enum column's stored values → their translated labels, made once per export in the
    reader's language (``None`` stays empty)."""

    def __init__(self, column) -> None:
        super().__init__({member.value: str(member.label) for member in column.type.enum_class})
        self[None] = None


def names(model) -> dict:
    """id → name (defused) of a small reference table (categories, places), read once per
    export rather than joined to every row (``None`` stays empty)."""
    found = {id_: defuse(name) for id_, name in db.session.execute(select(model.id, model.name))}
    found[None] = None
    return found


@dataclass
class Source:
    """One export: its columns (header, kind), the SQL that yields its rows, and how a row
    becomes cells. Kinds: ``text`` (defused), ``number``, ``time`` (local), ``date``, ``bool``.
    ``converter()`` makes the function that turns a row into cells, once per export (so labels
    and names are looked up once, in the reader's language)."""

    columns: list[tuple[str, str]]
    query: object
    converter: Callable[[], Callable[[tuple], list]]
    count: object = None  # SQL counting the rows (for progress)

    @property
    def headers(self) -> list[str]:
        return [header for header, _kind in self.columns]

    def rows(self) -> Iterator[list]:
        # Core rows on the session's connection, fetched CHUNK at a time (a server-side cursor
        # on PostgreSQL): no ORM objects, nothing kept after it is written.
        result = db.session.connection().execute(self.query.execution_options(stream_results=True,
                                                                             yield_per=CHUNK))
        convert = self.converter()
        for row in result:
            yield convert(row)


def needs_source(access: Access) -> Source:
    # Offline needs name the person they come from; online ones come from their submitter.
    person = func.coalesce(Need.requester_name, User.display_name)
    query = (
        select(Need.id, stored(Need.kind), Need.title, Need.description, stored(Need.status), Need.category_id,
               Need.place_id, Need.area_id, stored(Need.channel), Need.support_count, person, Need.contact_phone,
               Need.created_at, Need.hidden)
        .outerjoin(User, User.id == Need.submitter_id)
        .order_by(Need.id))
    count = select(func.count()).select_from(Need)
    if not access.hidden:
        query = query.where(Need.hidden.is_(False))  # hidden content only for staff
        count = count.where(Need.hidden.is_(False))
    clear = access.personal_data

    def converter():
        kinds, statuses, channels = Labels(Need.kind), Labels(Need.status), Labels(Need.channel)
        categories, places = names(Category), names(Place)

        def convert(r):
            # A need without a phone (most online ones) stays empty.
            return [r[0], kinds[r[1]], defuse(r[2]), defuse(r[3]), statuses[r[4]], categories[r[5]], places[r[6]],
                    places[r[7]], channels[r[8]], r[9], defuse(r[10] if clear else mask_name(r[10])),
                    defuse(r[11] if clear else mask_phone(r[11])), local(r[12]), r[13]]

        return convert

    return Source([("编号", "number"), ("类型", "text"), ("标题", "text"), ("描述", "text"), ("状态", "text"),
                   ("类别", "text"), ("居民区/楼宇", "text"), ("片区", "text"), ("渠道", "text"),
                   ("支持人数", "number"), ("提出人", "text"), ("联系电话", "text"), ("提交时间", "time"),
                   ("已隐藏", "bool")], query, converter, count)


def projects_source(access: Access) -> Source:
    query = (
        select(Project.id, Project.title, stored(Project.status), Category.name, Place.name, MemberUnit.name,
               Project.budget, Project.planned_start, Project.planned_end, Project.progress_percent, Project.created_at)
        .join(Category, Category.id == Project.category_id).join(Place, Place.id == Project.area_id)
        .outerjoin(MemberUnit, MemberUnit.id == Project.lead_unit_id).order_by(Project.id))

    def converter():
        statuses = Labels(Project.status)

        def convert(r):
            return [r[0], defuse(r[1]), statuses[r[2]], defuse(r[3]), defuse(r[4]), defuse(r[5]),
                    float(r[6]) if r[6] is not None else None, r[7], r[8], r[9], local(r[10])]

        return convert

    return Source([("编号", "number"), ("项目名称", "text"), ("状态", "text"), ("类别", "text"), ("片区", "text"),
                   ("牵头单位", "text"), ("预算（元）", "number"), ("计划开始", "date"), ("计划结束", "date"),
                   ("完成进度（%）", "number"), ("创建时间", "time")], query, converter,
                  select(func.count()).select_from(Project))


def responses_source(access: Access) -> Source:
    query = (
        select(SurveyResponse.id, Project.title, stored(SurveyResponse.method), SurveyResponse.created_at,
               SurveyQuestion.position, SurveyQuestion.text, SurveyAnswer.score, SurveyAnswer.text)
        .join(Survey, Survey.id == SurveyResponse.survey_id).join(Project, Project.id == Survey.project_id)
        .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
        .order_by(SurveyResponse.id, SurveyQuestion.position))

    def converter():
        methods = Labels(SurveyResponse.method)

        def convert(r):
            return [r[0], defuse(r[1]), methods[r[2]], local(r[3]), r[4], defuse(r[5]), r[6], defuse(r[7])]

        return convert

    return Source([("答卷编号", "number"), ("项目", "text"), ("收集方式", "text"), ("提交时间", "time"),
                   ("题号", "number"), ("题目", "text"), ("评分", "number"), ("文字意见", "text")], query,
                  converter, select(func.count()).select_from(SurveyAnswer))


class _EvaluationSource(Source):
    """One row per evaluated project, with its scores (a few hundred rows at most)."""

    def rows(self) -> Iterator[list]:
        latest = {r.project_id: r for r in db.session.scalars(select(EvaluationReview).order_by(EvaluationReview.id))}
        for project_id, title, status, category, unit in db.session.execute(self.query):
            scores = project_scores(project_id)
            review = latest.get(project_id)
            yield [project_id, defuse(title), str(status.label), defuse(category), defuse(unit), scores.responses,
                   round(scores.satisfaction_rate * 100, 1) if scores.satisfaction_rate is not None else None,
                   _number(scores.indicator_score), _number(scores.composite_score),
                   str(review.decision.label) if review else None, local(review.created_at) if review else None]


def evaluations_source(access: Access) -> Source:
    query = (select(Project.id, Project.title, Project.status, Category.name, MemberUnit.name)
             .join(Survey, Survey.project_id == Project.id).join(Category, Category.id == Project.category_id)
             .outerjoin(MemberUnit, MemberUnit.id == Project.lead_unit_id).order_by(Project.id))
    return _EvaluationSource([("编号", "number"), ("项目名称", "text"), ("状态", "text"), ("类别", "text"),
                              ("牵头单位", "text"), ("参与人数", "number"), ("满意率（%）", "number"),
                              ("指标得分", "number"), ("综合得分", "number"), ("审核结果", "text"),
                              ("审核时间", "time")], query, None, select(func.count()).select_from(Survey))


SOURCES = {"needs": needs_source, "projects": projects_source, "responses": responses_source,
           "evaluations": evaluations_source}


def count_rows(kind: str, access: Access) -> int:
    return db.session.scalar(SOURCES[kind](access).count) or 0


Progress = Callable[[int], None]


def write_export(kind: str, fmt: str, access: Access, out: IO[bytes] | str,
                 progress: Progress | None = None, every: int = CHUNK) -> int:
    """Stream the export into ``out`` (a path or a binary file); returns the number of rows.
    ``progress(rows_done)`` is called every ``every`` rows."""
    source = SOURCES[kind](access)
    if fmt == "xlsx":
        return write_sheet(out, SHEETS[kind], source.columns, source.rows(), progress, every)
    return _write_csv(source.columns, source.rows(), out, progress, every)


def _write_csv(columns, rows: Iterable[list], out, progress, every) -> int:
    times = [column for column, (_header, kind) in enumerate(columns) if kind == "time"]
    binary = open(out, "wb") if isinstance(out, str) else out  # noqa: SIM115 (closed below)
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="", write_through=False)
    count = 0
    try:
        writer = csv.writer(text)
        writer.writerow([header for header, _kind in columns])
        for count, row in enumerate(rows, start=1):
            for column in times:
                if row[column] is not None:
                    row[column] = row[column].strftime("%Y-%m-%d %H:%M:%S")
            writer.writerow(row)
            if progress and count % every == 0:
                progress(count)
        text.flush()
    finally:
        text.detach()
        if isinstance(out, str):
            binary.close()
    return count


def export(kind: str, fmt: str, access: Access) -> bytes:
    """The whole export as bytes (small exports answered at once)."""
    out = io.BytesIO()
    write_export(kind, fmt, access, out)
    return out.getvalue()
