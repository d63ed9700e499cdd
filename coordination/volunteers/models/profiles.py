"""A volunteer's "three shows" (亮身份、亮特长、亮意愿): identity, skills and willingness."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import CheckConstraint
from sqlalchemy import Index
from sqlalchemy import Numeric
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy import false
from sqlalchemy import true
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from coordination.core.models.base import Entity
from coordination.core.models.base import LocalNameMixin
from coordination.core.models.base import TimestampMixin
from coordination.core.models.base import key_of
from coordination.core.models.base import part_of


class VolunteerSkill(LocalNameMixin, TimestampMixin, Entity):
    """A skill of the list the administrator keeps (特长: 法律咨询, 助老, 沪语教学 …)."""

    __tablename__ = "volunteer_skills"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    name_en: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    active: Mapped[bool] = mapped_column(default=True, server_default=true())


class VolunteerProfile(TimestampMixin, Entity):
    """One person's volunteer profile (志愿者档案), one per account.

    ``public`` puts it in the directory staff and unit contacts search (never with contact
    data). ``hours_total`` is the sum of the hours recorded for the person, kept current in
    the transaction that records them."""

    __tablename__ = "volunteer_profiles"
    __table_args__ = (
        CheckConstraint("party_member OR party_org IS NULL", name="party_org_of_member"),
        CheckConstraint("hours_total >= 0", name="hours_total_positive"),
        Index("ix_volunteer_profiles_directory", "public", "party_member"),
    )

    user_id: Mapped[int] = part_of("users", unique=True)
    party_member: Mapped[bool] = mapped_column(default=False, server_default=false())
    party_org: Mapped[str | None] = mapped_column(String(120))
    other_skills: Mapped[str | None] = mapped_column(String(200))
    willingness: Mapped[str] = mapped_column(Text)
    availability: Mapped[str | None] = mapped_column(String(200))
    public: Mapped[bool] = mapped_column(default=False, server_default=false())
    team_id: Mapped[int | None] = key_of("volunteer_teams", index=True)
    hours_total: Mapped[Decimal] = mapped_column(Numeric(10, 1), default=0, server_default="0")

    user = relationship("User")
    team = relationship("VolunteerTeam", back_populates="members")
    skills: Mapped[list[VolunteerSkill]] = relationship(secondary="volunteer_profile_skills",
                                                        order_by="VolunteerSkill.position")

    @property
    def free_skills(self) -> list[str]:
        """The skills in the person's own words (not on the administrator's list)."""
        return [word for word in (self.other_skills or "").split("、") if word]


class VolunteerProfileSkill(Entity):
    """A skill of the list a volunteer shows."""

    __tablename__ = "volunteer_profile_skills"
    __table_args__ = (UniqueConstraint("profile_id", "skill_id", name="uq_volunteer_profile_skills_once"),)

    profile_id: Mapped[int] = part_of("volunteer_profiles")
    skill_id: Mapped[int] = key_of("volunteer_skills", index=True)
