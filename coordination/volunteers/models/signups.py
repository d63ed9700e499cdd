"""Sign-ups of volunteers on projects (志愿者报名) and the hours they served (服务时长)."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint
from sqlalchemy import Index
from sqlalchemy import Numeric
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy import func
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from coordination.core.enums import enum_column
from coordination.core.models.base import Entity
from coordination.core.models.base import TimestampMixin
from coordination.core.models.base import is_enum
from coordination.core.models.base import key_of
from coordination.core.models.base import part_of
from coordination.core.models.base import utcnow
from coordination.volunteers.enums import CheckInMethod
from coordination.volunteers.enums import SignupStatus


class VolunteerSignup(TimestampMixin, Entity):
    """One volunteer's sign-up on one project: once per person and project (withdrawing and
    signing up again is a step on the same row). Checked in by the lead unit (a tick, or the
    volunteer scanning the lead's code of the day); ``hours_total`` sums its hours."""

    __tablename__ = "volunteer_signups"
    __table_args__ = (
        UniqueConstraint("project_id", "profile_id", name="uq_volunteer_signups_once"),
        CheckConstraint(f"({is_enum('status', SignupStatus.CHECKED_IN)}) = (checked_in_at IS NOT NULL)",
                        name="checked_in_when_checked_in"),
        CheckConstraint(f"({is_enum('status', SignupStatus.WITHDRAWN)}) = (withdrawn_at IS NOT NULL)",
                        name="withdrawn_when_withdrawn"),
        CheckConstraint("hours_total >= 0", name="hours_total_positive"),
        Index("ix_volunteer_signups_project_status", "project_id", "status"),
    )

    project_id: Mapped[int] = part_of("projects")
    profile_id: Mapped[int] = key_of("volunteer_profiles", index=True)
    status: Mapped[SignupStatus] = mapped_column(enum_column(SignupStatus, "signup_status"),
                                                 default=SignupStatus.SIGNED_UP)
    note: Mapped[str | None] = mapped_column(String(500))
    checked_in_at: Mapped[datetime | None]
    checked_in_by_id: Mapped[int | None] = key_of("users")
    check_in_method: Mapped[CheckInMethod | None] = mapped_column(enum_column(CheckInMethod, "check_in_method"))
    withdrawn_at: Mapped[datetime | None]
    hours_total: Mapped[Decimal] = mapped_column(Numeric(8, 1), default=0, server_default="0")

    project = relationship("Project")
    profile = relationship("VolunteerProfile")
    hours: Mapped[list[VolunteerHours]] = relationship(back_populates="signup", order_by="VolunteerHours.served_on")


class VolunteerHours(Entity):
    """Hours one volunteer served on one day of a project, recorded by the lead unit (once a
    day per sign-up). ``unit_id`` is the lead unit (its contribution), ``team_id`` the
    volunteer's team when recorded (the team's total)."""

    __tablename__ = "volunteer_hours"
    __table_args__ = (
        UniqueConstraint("signup_id", "served_on", name="uq_volunteer_hours_once_a_day"),
        CheckConstraint("hours > 0 AND hours <= 24", name="hours_of_a_day"),
    )

    signup_id: Mapped[int] = part_of("volunteer_signups")
    hours: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    served_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(String(500))
    recorded_by_id: Mapped[int | None] = key_of("users")
    unit_id: Mapped[int] = key_of("member_units", index=True)
    team_id: Mapped[int | None] = key_of("volunteer_teams", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.current_timestamp())

    signup: Mapped[VolunteerSignup] = relationship(back_populates="hours")
