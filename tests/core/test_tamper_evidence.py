"""The audit log and the decisions are hash-chained: the database refuses to change them, and
``flask audit verify`` names the first broken record when the owner disabled the triggers."""

from datetime import date

import pytest
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text

from coordination.core.models import AuditRecord
from coordination.evaluation import operations as evaluation
from coordination.evaluation import operations as selections
from coordination.evaluation.models import Ballot
from coordination.evaluation.models import EvaluationReview
from coordination.evaluation.models import Nominee
from coordination.projects.models import CouncilVote
from tests.factories import build
from tests.factories import user

CHAINED = ("audit_records", "council_votes", "evaluation_reviews", "selection_ballots")


@pytest.fixture()
def decisions(db):
    """Council votes, a committee decision, a claim, a review and two secret ballots, committed."""
    reviewed = build(db, "completed", title="评估项目")
    evaluation.open_evaluation(user(db, "staff"), reviewed.id)
    evaluation.send_back_evaluation(user(db, "street"), reviewed.id, "请补充居民意见")
    nominated = build(db, "completed", title="评选项目")
    selection = selections.open_selection(user(db, "street"), date.today().year, [nominated.id, reviewed.id],
                                          max_choices=1)
    nominee_id = selection.nominees[0].id
    db.session.commit()
    for name in ("resident", "worker"):
        selections.cast_ballot(user(db, name), selection.id, [nominee_id])
    db.session.commit()
    return {"reviewed": reviewed, "selection": selection}


def verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def without_triggers(db, table):
    """What the table's owner can always do."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER ALL"))
    else:
        for name in db.session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                            "AND tbl_name = :table"), {"table": table}).all():
            db.session.execute(text(f"DROP TRIGGER {name}"))


def test_an_intact_database_verifies(app, db, decisions):
    result = verify(app)
    assert result.exit_code == 0, result.output + result.stderr
    total = sum(db.session.scalar(select(func.count()).select_from(text(t))) for t in CHAINED)
    assert f"Audit chains intact: {total} records checked." in result.output
    assert "council_votes: 6 records" in result.output and "selection_ballots: 2 records" in result.output


def test_every_record_carries_its_hashes_and_the_head_its_checkpoint(db, decisions):
    records = db.session.scalars(select(AuditRecord).order_by(AuditRecord.chain_seq)).all()
    assert [r.chain_seq for r in records] == list(range(1, len(records) + 1))
    assert all(len(r.content_hash) == 64 and r.prev_hash == p.chain_hash for p, r in zip(records, records[1:]))
    from coordination.core.models import ChainHead

    head = db.session.get(ChainHead, "audit_records")
    assert (head.record_count, head.last_hash) == (len(records), records[-1].chain_hash)


def test_personal_data_left_out_of_the_hash_can_be_erased(app, db, decisions):
    db.session.execute(text("UPDATE audit_records SET actor_name = NULL, ip_address = NULL"))
    nested = db.session.begin_nested()
    with pytest.raises(Exception, match="append-only"):
        db.session.execute(text("UPDATE audit_records SET actor_id = NULL"))
    nested.rollback()
    assert verify(app).exit_code == 0


@pytest.mark.parametrize("table", CHAINED)
@pytest.mark.parametrize("statement", ["UPDATE {table} SET chain_seq = chain_seq + 1000",
                                       "UPDATE {table} SET chain_hash = content_hash",
                                       "DELETE FROM {table}", "TRUNCATE {table}"])
def test_the_database_refuses_to_change_chained_records(db, decisions, table, statement):
    if statement.startswith("TRUNCATE") and db.session.get_bind().dialect.name == "sqlite":
        pytest.skip("SQLite has no TRUNCATE")
    nested = db.session.begin_nested()
    with pytest.raises(Exception, match=f"{table} is append-only"):
        db.session.execute(text(statement.format(table=table)))
    nested.rollback()
    assert db.session.scalar(select(func.count()).select_from(text(table))) > 0


@pytest.mark.parametrize("statement", ["UPDATE audit_chain_head SET record_count = 0", "DELETE FROM audit_chain_head",
                                       "TRUNCATE audit_chain_head"])
def test_the_checkpoint_cannot_be_moved_back(db, decisions, statement):
    if statement.startswith("TRUNCATE") and db.session.get_bind().dialect.name == "sqlite":
        pytest.skip("SQLite has no TRUNCATE")
    nested = db.session.begin_nested()
    with pytest.raises(Exception, match="audit_chain_head only grows"):
        db.session.execute(text(statement))
    nested.rollback()


def _first(db, model, last=False):
    order = model.chain_seq.desc() if last else model.chain_seq
    return db.session.scalars(select(model).order_by(order)).first()


def test_a_changed_council_vote_is_found(app, db, decisions):
    vote = _first(db, CouncilVote)
    without_triggers(db, "council_votes")
    db.session.execute(text("UPDATE council_votes SET vote = 'reject' WHERE id = :id"), {"id": vote.id})
    result = verify(app)
    assert result.exit_code == 1
    assert (f"council_votes id {vote.id}: its content was changed (chain position {vote.chain_seq}: "
            "the recomputed content hash differs)") in result.stderr
    assert f"council_votes id {vote.id}: the vote is 'reject' but its audit record says 'approve'" in result.stderr


def test_a_changed_audit_record_is_found(app, db, decisions):
    record = db.session.scalars(select(AuditRecord).where(AuditRecord.action == "project.claim")).first()
    without_triggers(db, "audit_records")
    db.session.execute(text("UPDATE audit_records SET comment = '改过' WHERE id = :id"), {"id": record.id})
    result = verify(app)
    assert result.exit_code == 1
    assert f"audit_records id {record.id}: its content was changed" in result.stderr


def test_a_changed_review_is_found(app, db, decisions):
    review = _first(db, EvaluationReview)
    without_triggers(db, "evaluation_reviews")
    db.session.execute(text("UPDATE evaluation_reviews SET decision = 'accept' WHERE id = :id"), {"id": review.id})
    result = verify(app)
    assert result.exit_code == 1
    assert f"evaluation_reviews id {review.id}: its content was changed" in result.stderr


def test_a_deleted_record_is_found(app, db, decisions):
    records = db.session.scalars(select(AuditRecord).order_by(AuditRecord.chain_seq)).all()
    gone, following = records[10], records[11]
    without_triggers(db, "audit_records")
    db.session.execute(text("DELETE FROM audit_records WHERE id = :id"), {"id": gone.id})
    result = verify(app)
    assert result.exit_code == 1
    assert (f"audit_records id {following.id}: 1 record(s) before it are missing (chain position "
            f"{gone.chain_seq} to {gone.chain_seq})") in result.stderr


def test_a_truncated_tail_is_found(app, db, decisions):
    last = _first(db, AuditRecord, last=True)
    without_triggers(db, "audit_records")
    db.session.execute(text("DELETE FROM audit_records WHERE chain_seq > :seq"), {"seq": last.chain_seq - 3})
    result = verify(app)
    assert result.exit_code == 1
    assert (f"audit_records: the last 3 record(s) are missing: the chain ends at position {last.chain_seq - 3}, "
            f"its head records {last.chain_seq}") in result.stderr


def test_a_truncated_log_is_found(app, db, decisions):
    if db.session.get_bind().dialect.name == "sqlite":
        pytest.skip("SQLite has no TRUNCATE")
    count = db.session.scalar(select(func.count()).select_from(AuditRecord))
    without_triggers(db, "audit_records")
    db.session.execute(text("TRUNCATE audit_records"))
    result = verify(app)
    assert result.exit_code == 1
    assert f"audit_records: the last {count} record(s) are missing" in result.stderr


def test_a_deleted_ballot_and_a_changed_count_are_found(app, db, decisions):
    ballot = _first(db, Ballot, last=True)
    selection_id = decisions["selection"].id
    without_triggers(db, "selection_ballots")
    db.session.execute(text("DELETE FROM selection_ballots WHERE id = :id"), {"id": ballot.id})
    db.session.execute(text("UPDATE selection_nominees SET votes = votes + 5"))
    result = verify(app)
    assert result.exit_code == 1
    assert "selection_ballots: the last 1 record(s) are missing" in result.stderr
    assert (f"selection_ballots: selection {selection_id} holds 1 ballots but the audit log records 2"
            in result.stderr)
    assert f"selection {selection_id}: 12 votes cannot come from 1 ballots of 1 to 1 choices" in result.stderr


def test_a_status_changed_behind_the_log_is_found(app, db, decisions):
    project = decisions["reviewed"]
    db.session.execute(text("UPDATE projects SET status = 'evaluated' WHERE id = :id"), {"id": project.id})
    result = verify(app)
    assert result.exit_code == 1
    assert (f"projects id {project.id}: its status is 'evaluated' but its latest audit record says 'evaluating'"
            in result.stderr)


def test_a_record_inserted_behind_the_application_is_found(app, db, decisions):
    db.session.execute(text("INSERT INTO audit_records (at, action, object_type) "
                            "VALUES (CURRENT_TIMESTAMP, 'forged', 'Project')"))
    forged = db.session.scalar(select(func.max(AuditRecord.id)))
    result = verify(app)
    assert result.exit_code == 1
    assert f"audit_records id {forged}: it is not linked into the chain" in result.stderr


def test_ballots_stay_secret(decisions):
    # the chain over ballots hashes who voted and when, never what they chose
    assert set(Ballot.__chained__) == {"selection_id", "voter_id", "cast_at"}
    assert "voter_id" not in Nominee.__table__.c


def test_bulk_written_audit_records_join_the_chain(app, db, decisions):
    """A spreadsheet import writes its audit records in bulk, without the ORM: they are chained
    with the same commit, and the chain still verifies."""
    from coordination.core import audit

    before = db.session.scalar(select(func.count()).select_from(AuditRecord))
    audit.record_many(user(db, "staff"), "need.import", [
        {"object_type": "Need", "object_id": 900_000 + i, "to_state": "submitted"} for i in range(1500)])
    db.session.commit()
    unchained = db.session.scalar(select(func.count()).select_from(AuditRecord)
                                  .where(AuditRecord.chain_hash.is_(None)))
    assert unchained == 0
    assert db.session.scalar(select(func.count()).select_from(AuditRecord)) == before + 1500
    result = verify(app)
    assert result.exit_code == 0, result.output + result.stderr


def test_erased_personal_data_cannot_be_rewritten_to_someone_else(db, decisions):
    nested = db.session.begin_nested()
    with pytest.raises(Exception, match="append-only"):
        db.session.execute(text("UPDATE audit_records SET actor_name = 'someone else'"))
    nested.rollback()
