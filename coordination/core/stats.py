"""Headline figures for the home page and the public statistics (SQL aggregates)."""

from __future__ import annotations

from sqlalchemy import func, select

from coordination.core.enums import PlaceKind
from coordination.extensions import db
from coordination.places.models import MemberUnit, PartyOrganisation, Place


def organisation_figures() -> dict[str, int]:
    units = db.session.scalar(select(func.count()).select_from(MemberUnit).where(MemberUnit.active))
    party = db.session.execute(
        select(func.count(PartyOrganisation.id), func.coalesce(func.sum(PartyOrganisation.member_count), 0))
        .join(MemberUnit, MemberUnit.id == PartyOrganisation.unit_id)
        .where(MemberUnit.active)
    ).one()
    places = dict(
        db.session.execute(
            select(Place.kind, func.count()).where(Place.active).group_by(Place.kind)
        ).all()
    )
    return {
        "units": units or 0,
        "party_organisations": party[0] or 0,
        "party_members": int(party[1] or 0),
        "areas": places.get(PlaceKind.AREA, 0),
        "communities": places.get(PlaceKind.COMMUNITY, 0),
        "buildings": places.get(PlaceKind.BUILDING, 0),
    }


def need_figures() -> dict[str, int]:
    """How many needs came up, how many are in the menu, how many people said "me too"."""
    from coordination.core.enums import NeedStatus
    from coordination.needs.models import Need, NeedSupport

    by_status = dict(db.session.execute(
        select(Need.status, func.count()).where(Need.hidden.is_(False)).group_by(Need.status)).all())
    return {
        "needs": sum(by_status.values()),
        "on_menu": sum(by_status.get(s, 0) for s in NeedStatus.on_menu()),
        "supports": db.session.scalar(select(func.count()).select_from(NeedSupport)) or 0,
    }


def summary() -> dict:
    """The public headline figures (GET /api/v1/stats/summary and the public statistics)."""
    from sqlalchemy import case

    from coordination.core.enums import ProjectStatus
    from coordination.evaluation.models import Survey, SurveyAnswer, SurveyQuestion
    from coordination.needs.models import Category, Need
    from coordination.projects.models import ProgressReport, Project

    needs_by_status = {status.value: count for status, count in db.session.execute(
        select(Need.status, func.count()).where(Need.hidden.is_(False)).group_by(Need.status))}
    needs_by_category = {str(code): count for code, count in db.session.execute(
        select(Category.code, func.count(Need.id)).join(Need, Need.category_id == Category.id)
        .where(Need.hidden.is_(False)).group_by(Category.code))}
    projects_by_status = {status.value: count for status, count in db.session.execute(
        select(Project.status, func.count()).group_by(Project.status))}
    organisation = organisation_figures()
    beneficiaries = db.session.scalar(select(func.coalesce(
        func.sum(ProgressReport.beneficiaries_residents + ProgressReport.beneficiaries_workers), 0))) or 0
    answered, satisfied = db.session.execute(
        select(func.count(SurveyAnswer.id), func.coalesce(func.sum(case((SurveyAnswer.score >= 4, 1), else_=0)), 0))
        .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
        .join(Survey, Survey.id == SurveyQuestion.survey_id)
        .join(Project, Project.id == Survey.project_id)
        .where(SurveyQuestion.overall, SurveyAnswer.score.is_not(None), Project.status == ProjectStatus.EVALUATED)
    ).one()
    return {
        "needs": {"by_status": needs_by_status, "by_category": needs_by_category},
        "projects": {"by_status": projects_by_status},
        "units": organisation["units"],
        "party_members": organisation["party_members"],
        "beneficiaries": int(beneficiaries),
        "satisfaction_rate": round(int(satisfied) / int(answered), 4) if answered else None,
    }


def headline() -> dict:
    """"N units and N Party members took part, N residents and workers served, satisfaction N%"."""
    from sqlalchemy import union

    from coordination.projects.models import ProgressReport, Project, ProjectPartner

    units = db.session.scalar(select(func.count()).select_from(union(
        select(Project.lead_unit_id.label("unit_id")).where(Project.lead_unit_id.is_not(None)),
        select(ProjectPartner.unit_id.label("unit_id"))).subquery())) or 0
    party, served = db.session.execute(select(
        func.coalesce(func.sum(ProgressReport.party_members), 0),
        func.coalesce(func.sum(ProgressReport.beneficiaries_residents + ProgressReport.beneficiaries_workers), 0),
    )).one()
    rate = summary()["satisfaction_rate"]
    return {"units": units, "party_members": int(party), "served": int(served),
            "satisfaction": round(rate * 100, 1) if rate is not None else None}
