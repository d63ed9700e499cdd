"""Pledges (承诺) of Party-member volunteers, their fulfilment (践诺) and the ratings of the people
who follow them (评诺)."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from decimal import ROUND_HALF_UP
from decimal import Decimal

from sqlalchemy import CheckConstraint
from sqlalchemy import Index
from sqlalchemy import SmallInteger
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from coordination.core.enums import enum_column
from coordination.core.models.base import Entity
from coordination.core.models.base import PersonMark
from coordination.core.models.base import StoredPhotoMixin
from coordination.core.models.base import TimestampMixin
from coordination.core.models.base import is_enum
from coordination.core.models.base import key_of
from coordination.core.models.base import part_of
from coordination.core.models.base import utcnow
from coordination.pledges.enums import PledgeStatus

SCORE_MIN, SCORE_MAX = 1, 5


class Pledge(TimestampMixin, Entity):
    """A public pledge (承诺) of a Party-member volunteer: what they will do, and by when, for a
    residential community or office building (``community_id``, the place whose pledge list
    shows it).

    ``status`` kept ⇔ the fulfilment (践诺) is recorded: its note and time; the rating figures
    are kept current by the transaction that adds a rating (``pledges/figures.py`` checks them)."""

    __tablename__ = "pledges"
    __table_args__ = (
        CheckConstraint(f"({is_enum('status', PledgeStatus.KEPT)}) = "
                        "(fulfilled_at IS NOT NULL AND fulfilment_note IS NOT NULL)", name="kept_has_fulfilment"),
        CheckConstraint("rating_count >= 0 AND rating_sum >= rating_count AND rating_sum <= 5 * rating_count",
                        name="rating_figures"),
        Index("ix_pledges_community_status", "community_id", "status", "id"),
    )

    profile_id: Mapped[int] = key_of("volunteer_profiles", index=True)
    community_id: Mapped[int] = key_of("places")  # indexed with the status (the list per community)
    title: Mapped[str] = mapped_column(String(120))
    content: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date]
    status: Mapped[PledgeStatus] = mapped_column(enum_column(PledgeStatus, "pledge_status"),
                                                 default=PledgeStatus.MADE, index=True)
    fulfilment_note: Mapped[str | None] = mapped_column(Text)
    fulfilled_at: Mapped[datetime | None]
    rating_count: Mapped[int] = mapped_column(default=0, server_default="0")
    rating_sum: Mapped[int] = mapped_column(default=0, server_default="0")

    profile = relationship("VolunteerProfile")
    community = relationship("Place")
    photos: Mapped[list[PledgePhoto]] = relationship(back_populates="pledge", order_by="PledgePhoto.id",
                                                     cascade="all, delete-orphan")

    def __str__(self) -> str:
        return self.title

    @property
    def average_rating(self) -> Decimal | None:
        """The mean score of its ratings to one decimal (None before the first)."""
        if not self.rating_count:
            return None
        return (Decimal(self.rating_sum) / self.rating_count).quantize(Decimal("0.1"), ROUND_HALF_UP)


class PledgePhoto(StoredPhotoMixin, Entity):
    """A photo of a pledge's fulfilment."""

    __tablename__ = "pledge_photos"

    pledge_id: Mapped[int] = part_of("pledges")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    pledge: Mapped[Pledge] = relationship(back_populates="photos")


class PledgeFollower(PersonMark):
    """A person who follows a pledge: told when it is kept, and then asked to rate it."""

    __tablename__ = "pledge_followers"
    __table_args__ = (UniqueConstraint("pledge_id", "user_id", name="uq_pledge_followers_pledge_user"),)

    pledge_id: Mapped[int] = part_of("pledges")


class PledgeRating(Entity):
    """A follower's rating of a kept pledge (评诺), once each: a score of 1 to 5 and a comment."""

    __tablename__ = "pledge_ratings"
    __table_args__ = (
        UniqueConstraint("pledge_id", "rater_id", name="uq_pledge_ratings_pledge_rater"),
        CheckConstraint(f"score BETWEEN {SCORE_MIN} AND {SCORE_MAX}", name="score_range"),
    )

    pledge_id: Mapped[int] = part_of("pledges")
    rater_id: Mapped[int] = key_of("users", index=True)
    score: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    rater = relationship("User")
