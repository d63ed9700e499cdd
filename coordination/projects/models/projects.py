"""Projects (项目) built from needs, and what belongs to them."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint
from sqlalchemy import Index
from sqlalchemy import Numeric
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from coordination.core.enums import enum_column
from coordination.core.models.base import Entity
from coordination.core.models.base import StoredPhotoMixin
from coordination.core.models.base import TimestampMixin
from coordination.core.models.base import in_enum
from coordination.core.models.base import key_of
from coordination.core.models.base import part_of
from coordination.core.models.base import utcnow
from coordination.core.models.chain import HashChained
from coordination.core.search import Searchable
from coordination.needs.models import Category
from coordination.needs.models import Need
from coordination.places.models import MemberUnit
from coordination.places.models import Place
from coordination.places.models import ProfessionalCommittee
from coordination.projects.enums import FundingSource
from coordination.projects.enums import ProjectStatus
from coordination.projects.enums import VoteChoice

# Statuses a project has once its lead unit reported it complete.
REPORTED = (ProjectStatus.COMPLETED, ProjectStatus.EVALUATING, ProjectStatus.EVALUATED)


class Project(Searchable, TimestampMixin, Entity):
    """A project (项目): proposed by staff, resolved by the council, approved by the community
    Party committee, claimed and delivered by member units, evaluated by the people served.

    The status machine lives in ``projects/rules.py``; the constraints below tie the columns
    that depend on the status to it (a lead unit exactly when claimed or later, a report
    when completed).
    """

    __tablename__ = "projects"
    __table_args__ = (
        CheckConstraint(
            f"({in_enum('status', ProjectStatus.with_lead())}) = (lead_unit_id IS NOT NULL)",
            name="lead_when_claimed",
        ),
        CheckConstraint(
            f"{in_enum('status', REPORTED, negate=True)} OR completion_report IS NOT NULL",
            name="report_when_completed",
        ),
        CheckConstraint("planned_end >= planned_start", name="planned_dates"),
        CheckConstraint("budget >= 0", name="budget_positive"),
        CheckConstraint("round >= 0", name="round_positive"),
        Index("ix_projects_list", "status", "category_id", "area_id"),
        # The list's filters, each ending in its sort (last change, then id); migration 0008.
        Index("ix_projects_by_updated", "updated_at", "id"),
        Index("ix_projects_status_updated", "status", "updated_at", "id"),
        Index("ix_projects_category_updated", "category_id", "updated_at", "id"),
        Index("ix_projects_area_updated", "area_id", "updated_at", "id"),
        Index("ix_projects_place_updated", "place_id", "updated_at", "id"),
    )

    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    goals: Mapped[str | None] = mapped_column(Text)
    category_id: Mapped[int] = key_of("categories", index=True)
    area_id: Mapped[int] = key_of("places", index=True)
    place_id: Mapped[int | None] = key_of("places")
    committee_id: Mapped[int | None] = key_of("professional_committees", index=True)
    expected_beneficiaries: Mapped[int | None]
    volunteer_places: Mapped[int | None]
    budget: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    planned_start: Mapped[date]
    planned_end: Mapped[date]
    status: Mapped[ProjectStatus] = mapped_column(enum_column(ProjectStatus, "project_status"),
                                                  default=ProjectStatus.DRAFT, index=True)
    round: Mapped[int] = mapped_column(default=0, server_default="0")
    lead_unit_id: Mapped[int | None] = key_of("member_units", index=True)
    claimed_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    completion_report: Mapped[str | None] = mapped_column(Text)
    progress_percent: Mapped[int] = mapped_column(default=0, server_default="0")
    created_by_id: Mapped[int | None] = key_of("users")

    category: Mapped[Category] = relationship()
    area: Mapped[Place] = relationship(foreign_keys=[area_id])
    place: Mapped[Place | None] = relationship(foreign_keys=[place_id])
    committee: Mapped[ProfessionalCommittee | None] = relationship()
    lead_unit: Mapped[MemberUnit | None] = relationship(foreign_keys=[lead_unit_id])
    created_by = relationship("User")
    needs: Mapped[list[Need]] = relationship(secondary="project_needs", order_by=Need.id)
    funding: Mapped[list[ProjectFunding]] = relationship(back_populates="project", cascade="all, delete-orphan",
                                                           order_by="ProjectFunding.id")
    partners: Mapped[list[ProjectPartner]] = relationship(back_populates="project", order_by="ProjectPartner.id")
    reports: Mapped[list[ProgressReport]] = relationship(back_populates="project",
                                                           order_by="ProgressReport.id.desc()")


class ProjectNeed(Entity):
    """A need a project was built from."""

    __tablename__ = "project_needs"
    __table_args__ = (UniqueConstraint("project_id", "need_id", name="uq_project_needs_project_need"),)

    project_id: Mapped[int] = part_of("projects")
    need_id: Mapped[int] = key_of("needs", index=True)


class ProjectFunding(Entity):
    """One source of a project's budget (自治金, unit contribution, …)."""

    __tablename__ = "project_funding"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_positive"),)

    project_id: Mapped[int] = part_of("projects")
    source: Mapped[FundingSource] = mapped_column(enum_column(FundingSource, "funding_source"))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    note: Mapped[str | None] = mapped_column(String(200))

    project: Mapped[Project] = relationship(back_populates="funding")


class CouncilVote(HashChained, Entity):
    """A council member's vote on a proposal (理事会表决): once per person and round.

    Append-only and hash-chained (every column below is hashed); ``flask audit verify`` shows a
    changed, deleted or missing vote."""

    __tablename__ = "council_votes"
    __table_args__ = (UniqueConstraint("project_id", "round", "voter_id", name="uq_council_votes_once"),)
    __chained__ = ("project_id", "round", "voter_id", "vote", "comment", "created_at")

    project_id: Mapped[int] = part_of("projects")
    round: Mapped[int]
    voter_id: Mapped[int] = key_of("users")
    vote: Mapped[VoteChoice] = mapped_column(enum_column(VoteChoice, "vote_choice"))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    voter = relationship("User")


class ProjectPartner(Entity):
    """A member unit that joined a claimed project as a partner (联建单位)."""

    __tablename__ = "project_partners"
    __table_args__ = (UniqueConstraint("project_id", "unit_id", name="uq_project_partners_project_unit"),)

    project_id: Mapped[int] = part_of("projects")
    unit_id: Mapped[int] = key_of("member_units", index=True)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    joined_by_id: Mapped[int | None] = key_of("users")

    project: Mapped[Project] = relationship(back_populates="partners")
    unit: Mapped[MemberUnit] = relationship()


class ProgressReport(Entity):
    """A progress report of the lead unit: percent done, people, beneficiaries and spending."""

    __tablename__ = "progress_reports"
    __table_args__ = (
        CheckConstraint("percent BETWEEN 0 AND 100", name="percent_range"),
        CheckConstraint("spent >= 0", name="spent_positive"),
    )

    project_id: Mapped[int] = part_of("projects")
    unit_id: Mapped[int] = key_of("member_units", index=True)
    reporter_id: Mapped[int] = key_of("users")
    percent: Mapped[int]
    note: Mapped[str] = mapped_column(Text)
    participant_units: Mapped[int] = mapped_column(default=0, server_default="0")
    party_members: Mapped[int] = mapped_column(default=0, server_default="0")
    volunteers: Mapped[int] = mapped_column(default=0, server_default="0")
    volunteer_hours: Mapped[Decimal] = mapped_column(Numeric(10, 1), default=0, server_default="0")
    beneficiaries_residents: Mapped[int] = mapped_column(default=0, server_default="0")
    beneficiaries_workers: Mapped[int] = mapped_column(default=0, server_default="0")
    spent: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    project: Mapped[Project] = relationship(back_populates="reports")
    unit: Mapped[MemberUnit] = relationship()
    reporter = relationship("User")
    photos: Mapped[list[ProgressPhoto]] = relationship(cascade="all, delete-orphan", order_by="ProgressPhoto.id")


class ProgressPhoto(StoredPhotoMixin, Entity):
    """A photo attached to a progress report."""

    __tablename__ = "progress_photos"

    report_id: Mapped[int] = part_of("progress_reports")
