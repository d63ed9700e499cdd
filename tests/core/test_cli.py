"""The command line: the demo street and user create (seed demo itself: test_demo.py)."""

from sqlalchemy import func
from sqlalchemy import select

from coordination.accounts.models import User
from coordination.core.enums import Role
from coordination.places.models import MemberUnit
from coordination.places.models import Place


def counts(db):
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (User, Place, MemberUnit))


def test_the_demo_street_is_modelled_on_the_real_one(db):
    places = db.session.scalars(select(Place)).all()
    kinds = [p.kind.value for p in places]
    assert kinds.count("area") == 2 and kinds.count("community") >= 4 and kinds.count("building") >= 4
    assert db.session.scalar(select(func.count()).select_from(MemberUnit)) == 10
    for role in Role:
        assert db.session.scalar(select(func.count()).select_from(User)
                                 .where(User.role_links.any(role=role))) >= 1


def test_user_create_with_several_roles(app, db):
    unit_id = db.session.scalar(select(MemberUnit.id))
    result = app.test_cli_runner().invoke(args=[
        "user", "create", "liaison", "--role", "unit_rep", "--role", "council",
        "--unit", str(unit_id), "--password", "Jinse-Niudai-7"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "liaison"))
    assert user.roles == {Role.UNIT_REP, Role.COUNCIL}
    assert user.unit_id == unit_id


def test_user_create_refuses_a_unit_rep_without_a_unit(app, db):
    result = app.test_cli_runner().invoke(args=[
        "user", "create", "nounit", "--role", "unit_rep", "--password", "Jinse-Niudai-7"])
    assert result.exit_code == 2
    assert "unit_id" in result.output
    assert db.session.scalar(select(User).where(User.username == "nounit")) is None


def test_user_create_refuses_an_unknown_role(app, db):
    result = app.test_cli_runner().invoke(args=[
        "user", "create", "someone", "--role", "king", "--password", "Jinse-Niudai-7"])
    assert result.exit_code == 2
    assert "king" in result.output
