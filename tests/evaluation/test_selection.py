"""The annual selection: nominated completed projects, one secret ballot each, ranked results."""

from datetime import date

from sqlalchemy import inspect
from sqlalchemy import select

from coordination.evaluation.models import Ballot
from coordination.evaluation.models import Nominee
from tests.conftest import csrf_token
from tests.factories import build


def open_selection(client_as, db, count=3):
    projects = [build(db, "completed", title=f"项目{i}") for i in range(count)]
    street = client_as("street_committee")
    response = street.post("/selection/open", data={"csrf_token": csrf_token(street, "/selection"),
                                                    "year": str(date.today().year), "max_choices": "2",
                                               "project_ids": [str(p.id) for p in projects]})
    assert response.status_code == 302
    return street, projects


def current_selection_id() -> int:
    from coordination.evaluation.models import Selection
    from coordination.extensions import db

    return db.session.scalar(select(Selection.id).order_by(Selection.year.desc()))


def vote(client, picks):
    html = client.get("/selection").get_data(as_text=True)
    return client.post(f"/selection/{current_selection_id()}/ballot", data={
        "csrf_token": csrf_token(client, "/selection"), "nominee_ids": [str(p) for p in picks]}), html


def nominee_ids(db):
    from coordination.evaluation.models import Nominee

    return db.session.scalars(select(Nominee.id).order_by(Nominee.id)).all()


def test_secret_ballots_once_each_and_ranked_results(client, client_as, db):
    street, projects = open_selection(client_as, db)
    ids = nominee_ids(db)
    resident, worker = client_as("resident"), client_as("worker")
    vote(resident, [ids[1], ids[2]])
    vote(worker, [ids[1]])
    again, _ = vote(resident, [ids[0]])
    too_many, _ = vote(client_as("unitrep"), [ids[0]])
    assert db.session.query(Ballot).count() == 2
    assert sum(db.session.scalars(select(Nominee.votes))) == 3
    # nothing links a voter to a choice: ballots say who voted, nominees only count votes
    assert {c.name for c in inspect(Ballot).columns} == {"id", "selection_id", "voter_id", "cast_at", "chain_seq",
                                                          "content_hash", "prev_hash", "chain_hash"}
    from coordination.extensions import db as database

    assert not any({"voter_id", "nominee_id"} <= set(t.c.keys()) for t in database.metadata.sorted_tables)
    # results stay secret, even from the committee, until voting closes
    assert "list-group-numbered" not in street.get("/selection").get_data(as_text=True)
    street.post(f"/selection/{current_selection_id()}/close", data={"csrf_token": csrf_token(street, "/selection")})
    html = client.get("/selection").get_data(as_text=True)
    ranked = html.split("list-group-numbered")[1]
    assert ranked.index("项目1") < ranked.index("项目2") < ranked.index("项目0")
    late, _ = vote(client_as("resident"), [ids[0]])
    assert db.session.query(Ballot).count() == 2
    from coordination.core.models import AuditRecord

    ballots = db.session.scalars(select(AuditRecord).where(AuditRecord.action == "selection.ballot")).all()
    assert len(ballots) == 2 and all(entry.actor_id is None for entry in ballots)


def test_more_choices_than_allowed_are_refused(client_as, db):
    open_selection(client_as, db)
    ids = nominee_ids(db)
    resident = client_as("resident")
    response = resident.post(f"/selection/{current_selection_id()}/ballot", data={
        "csrf_token": csrf_token(resident, "/selection"), "nominee_ids": [str(i) for i in ids]}, follow_redirects=True)
    assert response.status_code == 200
    assert db.session.query(Ballot).count() == 0


def test_only_the_street_committee_opens_a_selection(client_as, db):
    projects = [build(db, "completed", title=f"项目{i}") for i in range(2)]
    staff = client_as("staff")
    response = staff.post("/selection/open", data={"csrf_token": csrf_token(staff, "/selection"),
                                                   "year": str(date.today().year),
                                              "project_ids": [str(p.id) for p in projects]})
    assert response.status_code == 403


def test_the_open_form_is_not_offered_again_while_this_years_selection_exists(client_as, db):
    from coordination.evaluation.enums import SelectionStatus
    from coordination.evaluation.models import Selection

    street, _projects = open_selection(client_as, db)
    # an older, published selection: viewing it must not offer to open this year's again
    db.session.add(Selection(year=date.today().year - 1, status=SelectionStatus.CLOSED, max_choices=2))
    db.session.commit()
    for path in ("/selection", f"/selection?year={date.today().year - 1}"):
        html = street.get(path).get_data(as_text=True)
        assert 'action="/selection/open"' not in html, path
