"""The dashboards' data: SQL aggregates returned as pandas DataFrames (small, already grouped)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timezone
from typing import TYPE_CHECKING

from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import literal
from sqlalchemy import select

from coordination.core.models import AuditRecord
from coordination.evaluation.models import Survey
from coordination.evaluation.models import SurveyAnswer
from coordination.evaluation.models import SurveyQuestion
from coordination.evaluation.scores import is_satisfied
from coordination.extensions import db
from coordination.needs.enums import NeedStatus
from coordination.needs.models import Category
from coordination.needs.models import Need
from coordination.places.models import MemberUnit
from coordination.places.models import Place
from coordination.projects.enums import ProjectStatus
from coordination.projects.models import ProgressReport
from coordination.projects.models import Project
from coordination.projects.models import ProjectNeed
from coordination.projects.models import ProjectPartner
from coordination.volunteers.models import VolunteerHours
from coordination.volunteers.models import VolunteerSignup

if TYPE_CHECKING:  # imported where used: they take ~0.5 s, which only the dashboard should pay
    import pandas as pd


@dataclass
class Period:
    area_id: int | None = None
    start: date | None = None
    end: date | None = None

    def bounds(self):
        start = datetime.combine(self.start, time.min, tzinfo=timezone.utc) if self.start else None
        end = datetime.combine(self.end, time.max, tzinfo=timezone.utc) if self.end else None
        return start, end

    def apply(self, query, created_column, area_column):
        start, end = self.bounds()
        if self.area_id:
            query = query.where(area_column == self.area_id)
        if start:
            query = query.where(created_column >= start)
        if end:
            query = query.where(created_column <= end)
        return query


def frame(query, columns: list[str]) -> pd.DataFrame:
    import pandas as pd
    return pd.DataFrame(db.session.execute(query).all(), columns=columns)


def local_month(column):
    """The month (YYYY-MM) of a UTC timestamp in Shanghai time, computed by the database."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(func.timezone("Asia/Shanghai", column), "YYYY-MM")
    return func.strftime("%Y-%m", column, "+8 hours")


def category_name():
    """The category's name in the reader's language (``name_en`` when reading in English)."""
    from flask_babel import get_locale

    locale = get_locale()
    if locale is not None and locale.language == "en":
        return func.coalesce(func.nullif(Category.name_en, ""), Category.name)
    return Category.name


def needs_over_time(period: Period, uncategorised: str) -> pd.DataFrame:
    """Needs per month, by category, area and channel (grouped in SQL); needs without a
    category yet are counted under ``uncategorised`` (a label in the reader's language)."""
    month = local_month(Need.created_at)
    name = category_name()
    query = (select(month.label("month"), func.coalesce(name, literal(uncategorised)).label("category"),
                    Place.name.label("area"), Need.channel, func.count().label("needs"))
             .outerjoin(Category, Category.id == Need.category_id)
             .join(Place, Place.id == Need.area_id)
             .where(Need.hidden.is_(False))
             .group_by(month, name, Place.name, Need.channel))
    data = frame(period.apply(query, Need.created_at, Need.area_id), ["month", "category", "area", "channel", "needs"])
    if not data.empty:
        data["channel"] = data["channel"].map(lambda c: str(c.label))
    return data


FUNNEL_STAGES = ("raised", "menu", "in_project", "published", "completed", "evaluated")
_IN_THE_MENU = (NeedStatus.ACCEPTED, NeedStatus.IN_PROJECT, NeedStatus.FULFILLED)


def funnel(period: Period) -> pd.DataFrame:
    """Needs at each stage of the loop, every stage a part of the one before.

    Every stage counts needs (not projects, which may bundle several): all needs raised; of
    those, the ones in the needs menu; of those, the ones a live (not rejected) project is built
    on; then the ones whose furthest project is published, completed, evaluated or further."""
    import pandas as pd

    reach = case((Project.status == ProjectStatus.EVALUATED, 4),
                 (Project.status.in_([ProjectStatus.COMPLETED, ProjectStatus.EVALUATING]), 3),
                 (Project.status.in_([ProjectStatus.PUBLISHED, ProjectStatus.CLAIMED]), 2),
                 (Project.status != ProjectStatus.REJECTED, 1), else_=0)
    furthest = (select(ProjectNeed.need_id, func.max(reach).label("reach"))
                .join(Project, Project.id == ProjectNeed.project_id)
                .group_by(ProjectNeed.need_id).subquery())
    in_menu = Need.status.in_(_IN_THE_MENU)
    reached = func.coalesce(furthest.c.reach, 0)
    counts = [func.count()] + [func.coalesce(func.sum(case((and_(in_menu, reached >= level), 1), else_=0)), 0)
                               for level in range(5)]
    query = (select(*counts).select_from(Need).outerjoin(furthest, furthest.c.need_id == Need.id)
             .where(Need.hidden.is_(False)))
    row = db.session.execute(period.apply(query, Need.created_at, Need.area_id)).one()
    return pd.DataFrame({"stage": FUNNEL_STAGES, "needs": [int(value) for value in row]})


STEPS = ("draft", "proposed", "resolved", "published", "claimed", "completed", "evaluating")


def _days_between(later, earlier):
    """Days from ``earlier`` to ``later``, computed by the database."""
    if db.engine.dialect.name == "postgresql":
        return func.extract("epoch", later - earlier) / 86400.0
    return func.julianday(later) - func.julianday(earlier)


def step_durations(period: Period) -> pd.DataFrame:
    """Average days a project spends in each step (a status it waits in, from entering it to
    leaving it), from the recorded transitions.

    A window function pairs every status change of a project with the change before it; the
    gaps are added up per project and step (a project returned to drafting spends two spells
    there) and averaged over the projects that have left the step, all in the database. A
    project still in a step does not count for it yet."""
    import pandas as pd

    changes = (select(AuditRecord.object_id.label("project_id"), AuditRecord.from_state, AuditRecord.at,
                      func.lag(AuditRecord.at).over(partition_by=AuditRecord.object_id,
                                                    order_by=AuditRecord.id).label("entered_at"),
                      func.lag(AuditRecord.to_state).over(partition_by=AuditRecord.object_id,
                                                          order_by=AuditRecord.id).label("entered_state"))
               .where(AuditRecord.object_type == "Project", AuditRecord.to_state.is_not(None),
                      AuditRecord.from_state.is_distinct_from(AuditRecord.to_state))
               .subquery())
    spells = (select(changes.c.project_id, changes.c.from_state.label("step"),
                     func.sum(_days_between(changes.c.at, changes.c.entered_at)).label("days"))
              .join(Project, Project.id == changes.c.project_id)
              .where(changes.c.entered_at.is_not(None), changes.c.from_state.in_(STEPS),
                     changes.c.entered_state == changes.c.from_state)
              .group_by(changes.c.project_id, changes.c.from_state))
    spells = period.apply(spells, changes.c.at, Project.area_id).subquery()
    query = select(spells.c.step, func.avg(spells.c.days), func.count()).group_by(spells.c.step)
    found = {step: (float(days), count) for step, days, count in db.session.execute(query)}
    rows = [(step, round(found[step][0], 2), found[step][1]) for step in STEPS if step in found]
    return pd.DataFrame(rows, columns=["step", "days", "projects"])


def satisfaction(period: Period, by: str) -> pd.DataFrame:
    """Satisfaction rate of evaluated projects by project, category or lead unit."""
    key = {"project": Project.title, "category": category_name(), "unit": MemberUnit.name}[by]
    query = (select(key.label(by), func.count(SurveyAnswer.id).label("answers"),
                    func.sum(case((is_satisfied(SurveyAnswer.score), 1), else_=0)).label("satisfied"))
             .select_from(SurveyAnswer)
             .join(SurveyQuestion, and_(SurveyQuestion.id == SurveyAnswer.question_id, SurveyQuestion.overall))
             .join(Survey, Survey.id == SurveyQuestion.survey_id)
             .join(Project, Project.id == Survey.project_id)
             .join(Category, Category.id == Project.category_id)
             .outerjoin(MemberUnit, MemberUnit.id == Project.lead_unit_id)
             .where(Project.status == ProjectStatus.EVALUATED, SurveyAnswer.score.is_not(None))
             .group_by(key))
    data = frame(period.apply(query, Project.created_at, Project.area_id), [by, "answers", "satisfied"])
    if not data.empty:
        data["rate"] = (data["satisfied"] / data["answers"] * 100).round(1)
    return data.sort_values("rate", ascending=False) if not data.empty else data


def unit_contributions(period: Period) -> pd.DataFrame:
    led = (select(Project.lead_unit_id.label("unit_id"), func.count().label("led"))
           .where(Project.lead_unit_id.is_not(None)).group_by(Project.lead_unit_id))
    led = period.apply(led, Project.created_at, Project.area_id).subquery()
    joined = (select(ProjectPartner.unit_id, func.count().label("joined"))
              .join(Project, Project.id == ProjectPartner.project_id).group_by(ProjectPartner.unit_id))
    joined = period.apply(joined, Project.created_at, Project.area_id).subquery()
    reports = (select(ProgressReport.unit_id, func.sum(ProgressReport.party_members).label("party_members"),
                      func.sum(ProgressReport.volunteer_hours).label("volunteer_hours"),
                      func.sum(ProgressReport.beneficiaries_residents + ProgressReport.beneficiaries_workers)
                      .label("beneficiaries"))
               .join(Project, Project.id == ProgressReport.project_id).group_by(ProgressReport.unit_id))
    reports = period.apply(reports, ProgressReport.created_at, Project.area_id).subquery()
    recorded = (select(VolunteerHours.unit_id, func.sum(VolunteerHours.hours).label("recorded_hours"))
                .join(VolunteerSignup, VolunteerSignup.id == VolunteerHours.signup_id)
                .join(Project, Project.id == VolunteerSignup.project_id).group_by(VolunteerHours.unit_id))
    recorded = period.apply(recorded, VolunteerHours.created_at, Project.area_id).subquery()
    query = (select(MemberUnit.name, func.coalesce(led.c.led, 0), func.coalesce(joined.c.joined, 0),
                    func.coalesce(reports.c.party_members, 0), func.coalesce(reports.c.volunteer_hours, 0),
                    func.coalesce(recorded.c.recorded_hours, 0), func.coalesce(reports.c.beneficiaries, 0))
             .outerjoin(led, led.c.unit_id == MemberUnit.id)
             .outerjoin(joined, joined.c.unit_id == MemberUnit.id)
             .outerjoin(reports, reports.c.unit_id == MemberUnit.id)
             .outerjoin(recorded, recorded.c.unit_id == MemberUnit.id)
             .where(MemberUnit.active))
    if period.area_id:
        query = query.where(MemberUnit.area_id == period.area_id)
    data = frame(query, ["unit", "led", "joined", "party_members", "volunteer_hours", "recorded_hours",
                         "beneficiaries"])
    data["projects"] = data["led"] + data["joined"]
    data["volunteer_hours"] = data["volunteer_hours"].astype(float)
    data["recorded_hours"] = data["recorded_hours"].astype(float)
    return data.sort_values(["projects", "volunteer_hours"], ascending=False)
