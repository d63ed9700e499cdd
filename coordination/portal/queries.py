"""Headline figures for the home page and the public statistics (SQL aggregates over every domain)."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import union

from coordination.core.models import Notification
from coordination.evaluation.figures import satisfaction_of_evaluated
from coordination.evaluation.scores import satisfaction_rate as rate
from coordination.extensions import db
from coordination.needs import figures as need_tallies
from coordination.needs.enums import NeedStatus
from coordination.needs.models import Category
from coordination.places.enums import PlaceKind
from coordination.places.models import MemberUnit
from coordination.places.models import PartyOrganisation
from coordination.places.models import Place
from coordination.projects import figures as project_tallies
from coordination.projects.models import ProgressReport
from coordination.projects.models import Project
from coordination.projects.models import ProjectPartner


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
    by_status = need_tallies.tally("status")
    return {
        "needs": sum(by_status.values()),
        "on_menu": sum(by_status.get(s.value, 0) for s in NeedStatus.on_menu()),
        "supports": need_tallies.total_supports(),
    }


def satisfaction_rate() -> float | None:
    """Satisfied share of the answers to the overall question, over every evaluated project."""
    answered, satisfied = satisfaction_of_evaluated()
    return rate(satisfied, answered)


def summary() -> dict:
    """The public headline figures (GET /api/v1/stats/summary and the public statistics).

    Counts come from the maintained tallies (core/counters.py), not from the big tables.
    """
    codes = dict(db.session.execute(select(Category.id, Category.code)).all())
    needs_by_category = {str(codes[category_id]): count
                         for category_id, count in need_tallies.tally("category_id").items()
                         if category_id is not None}
    organisation = organisation_figures()
    beneficiaries = db.session.scalar(select(func.coalesce(
        func.sum(ProgressReport.beneficiaries_residents + ProgressReport.beneficiaries_workers), 0))) or 0
    return {
        "needs": {"by_status": need_tallies.tally("status"), "by_category": needs_by_category},
        "projects": {"by_status": project_tallies.tally("status")},
        "units": organisation["units"],
        "party_members": organisation["party_members"],
        "beneficiaries": int(beneficiaries),
        "satisfaction_rate": satisfaction_rate(),
    }


def headline() -> dict:
    """"N units and N Party members took part, N residents and workers served, satisfaction N%"."""
    units = db.session.scalar(select(func.count()).select_from(union(
        select(Project.lead_unit_id.label("unit_id")).where(Project.lead_unit_id.is_not(None)),
        select(ProjectPartner.unit_id.label("unit_id"))).subquery())) or 0
    party, served = db.session.execute(select(
        func.coalesce(func.sum(ProgressReport.party_members), 0),
        func.coalesce(func.sum(ProgressReport.beneficiaries_residents + ProgressReport.beneficiaries_workers), 0),
    )).one()
    rate = satisfaction_rate()
    return {"units": units, "party_members": int(party), "served": int(served),
            "satisfaction": round(rate * 100, 1) if rate is not None else None}


def recent_notifications(user, limit: int = 10) -> list[Notification]:
    """The person's latest notifications, newest first (my page)."""
    return db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                              .order_by(Notification.id.desc()).limit(limit)).all()
