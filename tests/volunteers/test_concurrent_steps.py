"""A step taken on a sign-up that another request changed a moment before: the row is locked
and read again, so the second step is refused (409) instead of breaking a constraint (500) or
being recorded twice. "Another request" is played by an UPDATE this session does not see in
its copy of the row, as it would be after the other request's commit."""

import pytest
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update

from coordination.core.errors import Conflict
from coordination.core.models import AuditRecord
from coordination.core.models.base import utcnow
from coordination.volunteers import checkin
from coordination.volunteers import operations
from coordination.volunteers.enums import CheckInMethod
from coordination.volunteers.enums import SignupStatus
from coordination.volunteers.models import VolunteerProfile
from coordination.volunteers.models import VolunteerSignup
from tests.factories import user

WITHDRAWN = {"status": SignupStatus.WITHDRAWN, "withdrawn_at": utcnow()}
TICKED = {"status": SignupStatus.CHECKED_IN, "checked_in_at": utcnow(), "check_in_method": CheckInMethod.TICK}


@pytest.fixture()
def signup(db, open_project, profile):
    """The resident's sign-up on a claimed project, as this request read it."""
    profile("resident")
    project = open_project()
    entry = operations.sign_up(user(db, "resident"), project.id)
    db.session.commit()
    assert entry.status == SignupStatus.SIGNED_UP
    return entry


def meanwhile(db, signup, values: dict) -> None:
    db.session.execute(update(VolunteerSignup).where(VolunteerSignup.id == signup.id).values(**values)
                       .execution_options(synchronize_session=False))


def records(db, signup) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditRecord).where(
        AuditRecord.object_type == "VolunteerSignup", AuditRecord.object_id == signup.id))


def test_a_tick_after_a_withdrawal_is_refused(db, signup):
    meanwhile(db, signup, WITHDRAWN)
    with pytest.raises(Conflict):
        operations.check_in(user(db, "unitrep"), signup.project_id, signup.id)


def test_a_withdrawal_after_a_tick_is_refused(db, signup):
    meanwhile(db, signup, {**TICKED, "checked_in_by_id": user(db, "unitrep").id})
    with pytest.raises(Conflict):
        operations.withdraw(user(db, "resident"), signup.project_id)


def test_a_scan_after_a_tick_is_refused_and_not_recorded(db, signup):
    before = records(db, signup)
    meanwhile(db, signup, {**TICKED, "checked_in_by_id": user(db, "unitrep").id})
    with pytest.raises(Conflict):
        operations.scan_in(user(db, "resident"), signup.project_id, checkin.code_for(signup.project_id))
    assert records(db, signup) == before


def test_a_second_first_profile_saved_at_the_same_moment_is_refused(db, reference):
    """Two submits of a first profile: the second, which read no profile yet, inserts one too
    (``_new_profile``); the unique key refuses it in a savepoint, and the transaction goes on."""
    resident = user(db, "resident")
    operations.save_profile(resident, operations.ProfileInput(willingness="愿意帮忙"))
    with pytest.raises(Conflict):
        operations._new_profile(resident, None)
    assert db.session.scalar(select(func.count()).select_from(VolunteerProfile)
                             .where(VolunteerProfile.user_id == resident.id)) == 1
