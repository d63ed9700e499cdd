"""Exports of needs, projects, survey responses and evaluations to Excel and CSV, with Chinese
column headers. Rows come from SQL; pandas shapes and writes them."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from coordination.accounts.models import User
from coordination.core.privacy import mask_name, mask_phone
from coordination.evaluation.models import EvaluationReview, Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from coordination.extensions import db
from coordination.needs.models import Category, Need
from coordination.places.models import MemberUnit, Place
from coordination.projects.models import Project

KINDS = ("needs", "projects", "responses", "evaluations")
FORMATS = ("xlsx", "csv")


def _labels(column):
    return column.map(lambda value: str(value.label) if hasattr(value, "label") else value)


def needs_frame(access: "Access") -> pd.DataFrame:
    area = aliased(Place)
    # Offline needs name the person they come from; online ones come from their submitter.
    person = func.coalesce(Need.requester_name, User.display_name)
    query = (
        select(Need.id, Need.kind, Need.title, Need.description, Need.status, Category.name, Place.name, area.name,
               Need.channel, Need.support_count, person, Need.contact_phone, Need.created_at, Need.hidden)
        .outerjoin(Category, Category.id == Need.category_id)
        .join(Place, Place.id == Need.place_id).join(area, area.id == Need.area_id)
        .outerjoin(User, User.id == Need.submitter_id)
        .order_by(Need.id))
    if not access.hidden:
        query = query.where(Need.hidden.is_(False))  # hidden content only for staff
    rows = db.session.execute(query).all()
    data = pd.DataFrame(rows, columns=["编号", "类型", "标题", "描述", "状态", "类别", "居民区/楼宇", "片区", "渠道",
                                       "支持人数", "提出人", "联系电话", "提交时间", "已隐藏"])
    for column in ("类型", "状态", "渠道"):
        data[column] = _labels(data[column])
    if not access.personal_data:
        # pandas holds a missing value as NaN, not None: mask only the values that are there
        data["提出人"] = data["提出人"].map(mask_name, na_action="ignore")
        data["联系电话"] = data["联系电话"].map(mask_phone, na_action="ignore")
    return data


def projects_frame(access: "Access") -> pd.DataFrame:
    rows = db.session.execute(
        select(Project.id, Project.title, Project.status, Category.name, Place.name, MemberUnit.name, Project.budget,
               Project.planned_start, Project.planned_end, Project.progress_percent, Project.created_at)
        .join(Category, Category.id == Project.category_id).join(Place, Place.id == Project.area_id)
        .outerjoin(MemberUnit, MemberUnit.id == Project.lead_unit_id).order_by(Project.id)).all()
    data = pd.DataFrame(rows, columns=["编号", "项目名称", "状态", "类别", "片区", "牵头单位", "预算（元）", "计划开始",
                                       "计划结束", "完成进度（%）", "创建时间"])
    data["状态"] = _labels(data["状态"])
    data["预算（元）"] = data["预算（元）"].astype(float)
    return data


def responses_frame(access: "Access") -> pd.DataFrame:
    rows = db.session.execute(
        select(SurveyResponse.id, Project.title, SurveyResponse.method, SurveyResponse.created_at,
               SurveyQuestion.position, SurveyQuestion.text, SurveyAnswer.score, SurveyAnswer.text)
        .join(Survey, Survey.id == SurveyResponse.survey_id).join(Project, Project.id == Survey.project_id)
        .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
        .order_by(SurveyResponse.id, SurveyQuestion.position)).all()
    data = pd.DataFrame(rows, columns=["答卷编号", "项目", "收集方式", "提交时间", "题号", "题目", "评分", "文字意见"])
    data["收集方式"] = _labels(data["收集方式"])
    return data


def evaluations_frame(access: "Access") -> pd.DataFrame:
    from coordination.evaluation.scores import project_scores

    projects = db.session.execute(
        select(Project.id, Project.title, Project.status, Category.name, MemberUnit.name)
        .join(Survey, Survey.project_id == Project.id).join(Category, Category.id == Project.category_id)
        .outerjoin(MemberUnit, MemberUnit.id == Project.lead_unit_id).order_by(Project.id)).all()
    latest = {r.project_id: r for r in db.session.scalars(select(EvaluationReview).order_by(EvaluationReview.id))}
    rows = []
    for project_id, title, status, category, unit in projects:  # one row per evaluated project
        scores = project_scores(project_id)
        review = latest.get(project_id)
        rows.append([project_id, title, str(status.label), category, unit, scores.responses,
                     round(scores.satisfaction_rate * 100, 1) if scores.satisfaction_rate is not None else None,
                     scores.indicator_score, scores.composite_score,
                     str(review.decision.label) if review else None, review.created_at if review else None])
    return pd.DataFrame(rows, columns=["编号", "项目名称", "状态", "类别", "牵头单位", "参与人数", "满意率（%）",
                                       "指标得分", "综合得分", "审核结果", "审核时间"])


BUILDERS = {"needs": needs_frame, "projects": projects_frame, "responses": responses_frame,
            "evaluations": evaluations_frame}
SHEETS = {"needs": "需求", "projects": "项目", "responses": "测评答卷", "evaluations": "成效评估"}


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(value):
    """Text that a spreadsheet would run as a formula is written as plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Access:
    """What the reader of an export may see."""

    personal_data: bool  # names and phone numbers in clear (staff, administrators)
    hidden: bool  # needs hidden by moderation (staff)

    @classmethod
    def of(cls, user) -> "Access":
        from coordination.core.permissions import can_see_personal_data
        from coordination.needs.permissions import can_moderate

        return cls(personal_data=can_see_personal_data(user), hidden=can_moderate(user))


FULL_ACCESS = Access(personal_data=True, hidden=True)  # the command line, run by an operator


def export(kind: str, fmt: str, access: Access) -> bytes:
    data = BUILDERS[kind](access)
    for column in data.columns:
        if data[column].dtype == object or pd.api.types.is_string_dtype(data[column]):
            data[column] = data[column].map(defuse)
    for column in data.columns:
        if isinstance(data[column].dtype, pd.DatetimeTZDtype):
            data[column] = data[column].dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
        elif data[column].dtype == object and len(data) and hasattr(data[column].iloc[0], "tzinfo"):
            data[column] = pd.to_datetime(data[column], utc=True).dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
    out = io.BytesIO()
    if fmt == "xlsx":
        with pd.ExcelWriter(out, engine="openpyxl") as writer:
            data.to_excel(writer, index=False, sheet_name=SHEETS[kind])
            sheet = writer.sheets[SHEETS[kind]]
            for cells in sheet.columns:
                width = max(len(str(cell.value or "")) for cell in cells[:200])
                sheet.column_dimensions[cells[0].column_letter].width = min(max(width * 1.6, 8), 60)
    else:
        out.write(data.to_csv(index=False).encode("utf-8-sig"))
    return out.getvalue()
