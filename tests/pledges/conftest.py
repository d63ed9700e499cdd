"""Pledges' fixtures: volunteer profiles for the demo accounts, and a pledge made by the operations."""

from __future__ import annotations

from datetime import date
from datetime import timedelta

import pytest

from coordination.pledges import operations
from coordination.volunteers.models import VolunteerProfile
from tests.factories import user

IN_A_MONTH = date.today() + timedelta(days=30)


def neighbour(db, username: str, role: str = "resident"):
    """Another resident (or office worker) of 福山居民区; log in with ``STRONG_PASSWORD``."""
    from coordination.accounts.operations import create_user
    from tests.conftest import STRONG_PASSWORD
    from tests.factories import place_ids

    person = create_user(None, username=username, password=STRONG_PASSWORD, roles=[role],
                         display_name=f"邻居{username}", place_id=place_ids(db)["福山居民区"])
    db.session.commit()
    return person


def volunteer(db, username: str, party_member: bool = True) -> VolunteerProfile:
    """``username``'s volunteer profile (created, or changed to say ``party_member``), committed."""
    person = user(db, username)
    profile = db.session.query(VolunteerProfile).filter_by(user_id=person.id).one_or_none()
    if profile is None:
        profile = VolunteerProfile(user_id=person.id, willingness="愿意为邻居服务", public=True)
        db.session.add(profile)
    profile.party_member = party_member
    db.session.commit()
    return profile


def make(db, username: str = "resident", title: str = "每月为独居老人上门测血压一次", **changes):
    """A pledge by ``username`` (a Party member), committed."""
    volunteer(db, username)
    data = operations.PledgeInput(title=title, content="每月第一个周六上午上门测量血压。", due_on=IN_A_MONTH)
    for name, value in changes.items():
        setattr(data, name, value)
    pledge = operations.make_pledge(user(db, username), data)
    db.session.commit()
    return pledge


def keep(db, pledge, username: str = "resident", note: str = "已连续三个月上门测量，记录齐全。"):
    operations.keep_pledge(user(db, username), pledge.id, note)
    db.session.commit()
    return pledge


def follow(db, pledge, *usernames: str):
    for name in usernames:
        operations.follow_pledge(user(db, name), db.session.get(type(pledge), pledge.id))
    db.session.commit()


@pytest.fixture()
def pledge(db):
    """A pledge the demo resident made, followed by the demo worker."""
    made = make(db)
    follow(db, made, "worker")
    return made
