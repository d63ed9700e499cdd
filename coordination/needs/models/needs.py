"""Needs (需求) from residents and office workers, their supports, followers and photos."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy import false
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from coordination.core.enums import enum_column
from coordination.core.models.base import Entity
from coordination.core.models.base import PersonMark
from coordination.core.models.base import StoredPhotoMixin
from coordination.core.models.base import TimestampMixin
from coordination.core.models.base import in_enum
from coordination.core.models.base import is_enum
from coordination.core.models.base import key_of
from coordination.core.models.base import part_of
from coordination.core.models.base import utcnow
from coordination.core.search import Searchable
from coordination.needs.enums import NeedChannel
from coordination.needs.enums import NeedKind
from coordination.needs.enums import NeedStatus
from coordination.needs.models.categories import Category
from coordination.places.models import Place


def is_offline(channel):
    """The one definition of an offline need: it came through a channel other than online.

    ``channel`` is a channel (or its code), or the ``Need.channel`` column: then it is an SQL
    condition."""
    return channel != NeedChannel.ONLINE


class Need(Searchable, TimestampMixin, Entity):
    """A need (需求): a golden idea, a micro-wish or a request about a community or building.

    Status rules (DESIGN.md §3.1) live in ``needs/rules.py``; the constraints below keep the
    columns that depend on the status consistent with it, whatever the code does.
    """

    __tablename__ = "needs"
    __table_args__ = (
        CheckConstraint(f"({is_enum('status', NeedStatus.MERGED)}) = (merged_into_id IS NOT NULL)",
                        name="merged_has_target"),
        CheckConstraint(f"{is_enum('status', NeedStatus.REJECTED, negate=True)} OR rejection_reason IS NOT NULL",
                        name="rejected_has_reason"),
        CheckConstraint(
            f"{in_enum('status', NeedStatus.on_menu(), negate=True)} OR category_id IS NOT NULL",
            name="accepted_has_category",
        ),
        CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_itself"),
        CheckConstraint("support_count >= 0", name="support_count_positive"),
        CheckConstraint("submitter_id IS NOT NULL OR requester_name IS NOT NULL", name="has_a_person"),
        CheckConstraint("hidden = (hidden_reason IS NOT NULL)", name="hidden_has_reason"),
        Index("ix_needs_menu", "status", "hidden", "category_id"),
        # One index per filter of the menu, each ending in its sort (supports or date, then id)
        # so that a page is a short range scan; the status last, so the menu's status filter is
        # read from the index without visiting the rows it skips (migration 0008).
        Index("ix_needs_by_supports", "hidden", "support_count", "id", "status"),
        Index("ix_needs_by_created", "hidden", "created_at", "id", "status"),
        Index("ix_needs_status_supports", "status", "hidden", "support_count", "id"),
        Index("ix_needs_status_created", "status", "hidden", "created_at", "id"),
        Index("ix_needs_category_supports", "category_id", "hidden", "support_count", "id", "status"),
        Index("ix_needs_category_created", "category_id", "hidden", "created_at", "id", "status"),
        Index("ix_needs_area_supports", "area_id", "hidden", "support_count", "id", "status"),
        Index("ix_needs_place_supports", "place_id", "hidden", "support_count", "id", "status"),
        Index("ix_needs_submitter_created", "submitter_id", "created_at"),
    )

    kind: Mapped[NeedKind] = mapped_column(enum_column(NeedKind, "need_kind"))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    place_id: Mapped[int] = key_of("places", index=True)
    area_id: Mapped[int] = key_of("places", index=True)
    category_id: Mapped[int | None] = key_of("categories", index=True)
    channel: Mapped[NeedChannel] = mapped_column(enum_column(NeedChannel, "need_channel"),
                                                 default=NeedChannel.ONLINE)
    status: Mapped[NeedStatus] = mapped_column(enum_column(NeedStatus, "need_status"),
                                               default=NeedStatus.SUBMITTED, index=True)
    # Who: an account holder, or (offline) a named person recorded by staff.
    submitter_id: Mapped[int | None] = key_of("users", index=True)
    recorded_by_id: Mapped[int | None] = key_of("users")
    requester_name: Mapped[str | None] = mapped_column(String(60))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    show_submitter: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Triage
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = key_of("needs", index=True)
    triaged_at: Mapped[datetime | None]
    triaged_by_id: Mapped[int | None] = key_of("users")
    support_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # Moderation
    hidden: Mapped[bool] = mapped_column(default=False, server_default=false())
    hidden_reason: Mapped[str | None] = mapped_column(Text)

    place: Mapped[Place] = relationship(foreign_keys=[place_id])
    area: Mapped[Place] = relationship(foreign_keys=[area_id])
    category: Mapped[Category | None] = relationship()
    submitter = relationship("User", foreign_keys=[submitter_id])
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])
    triaged_by = relationship("User", foreign_keys=[triaged_by_id])
    merged_into: Mapped[Need | None] = relationship(remote_side="Need.id")
    photos: Mapped[list[NeedPhoto]] = relationship(back_populates="need", order_by="NeedPhoto.id",
                                                     cascade="all, delete-orphan")

    @property
    def person_name(self) -> str | None:
        """The name of the person the need came from (account or offline requester)."""
        if self.submitter is not None:
            return self.submitter.display_name
        return self.requester_name


class _PersonOnNeed(PersonMark):
    """A person's mark on a need, once each."""

    __abstract__ = True

    need_id: Mapped[int] = part_of("needs")


class NeedSupport(_PersonOnNeed):
    """"I need this too" (需求众筹): one per person and need."""

    __tablename__ = "need_supports"
    __table_args__ = (UniqueConstraint("need_id", "user_id", name="uq_need_supports_need_user"),)


class NeedFollower(_PersonOnNeed):
    """A person who is notified when a need changes: its submitter, supporters, and others."""

    __tablename__ = "need_followers"
    __table_args__ = (UniqueConstraint("need_id", "user_id", name="uq_need_followers_need_user"),)


class NeedPhoto(StoredPhotoMixin, Entity):
    """A photo attached to a need."""

    __tablename__ = "need_photos"

    need_id: Mapped[int] = part_of("needs")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    need: Mapped[Need] = relationship(back_populates="photos")


class ContentReport(Entity):
    """A report of abusive content by a user (举报), resolved by staff."""

    __tablename__ = "content_reports"
    __table_args__ = (UniqueConstraint("need_id", "reporter_id", name="uq_content_reports_need_reporter"),)

    need_id: Mapped[int] = part_of("needs")
    reporter_id: Mapped[int] = key_of("users")
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved: Mapped[bool] = mapped_column(default=False, server_default=false())
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = key_of("users")

    need: Mapped[Need] = relationship()
    reporter = relationship("User", foreign_keys=[reporter_id])
