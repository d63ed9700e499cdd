"""Bulk-written audit records are linked into the hash chain as they are written, exactly as the
commit would link them; and the quick path of the phone check answers as phonenumbers does."""

import random
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from datetime import timezone

import phonenumbers
import pytest
from sqlalchemy import func
from sqlalchemy import select

from coordination.core import audit
from coordination.core import chain
from coordination.core import chaining
from coordination.core import phones
from coordination.core.models import AuditRecord
from coordination.core.models import ChainHead
from tests.factories import user


def verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def head(db):
    return db.session.execute(select(ChainHead.record_count, ChainHead.last_hash)
                              .where(ChainHead.name == "audit_records")).one()


def test_bulk_records_are_linked_when_written_and_the_orm_records_follow_them(app, db):
    staff = user(db, "staff")
    audit.record(staff, "need.triage", object_type="Need", object_id=1)  # flushed before the bulk write
    db.session.flush()
    count, _last = head(db)
    audit.record_many(staff, "need.record", [
        {"object_type": "Need", "object_id": 800_000 + i, "object_label": f"需求{i}", "to_state": "submitted",
         "details": {"channel": "visit", "rows": [i, "a"], "n": 1.5}} for i in range(1200)])
    written = db.session.scalars(select(AuditRecord).where(AuditRecord.object_id >= 800_000)
                                 .order_by(AuditRecord.chain_seq)).all()
    assert [r.chain_seq for r in written] == list(range(count + 1, count + 1201))  # linked before the commit
    assert head(db) == (count + 1200, written[-1].chain_hash)
    for record in (written[0], written[700], written[-1]):
        assert record.content_hash == chain.content_hash(
            {"chain_seq": record.chain_seq, **{c: getattr(record, c) for c in AuditRecord.__chained__}})
    audit.record(staff, "need.import", object_type="NeedImport", details={"rows": 1200})
    db.session.commit()
    seqs = db.session.scalars(select(AuditRecord.chain_seq).order_by(AuditRecord.chain_seq)).all()
    assert seqs == list(range(1, len(seqs) + 1))
    assert db.session.scalar(select(func.count()).select_from(AuditRecord)
                             .where(AuditRecord.chain_hash.is_(None))) == 0
    result = verify(app)
    assert result.exit_code == 0, result.output + result.stderr


def test_a_rolled_back_bulk_write_leaves_the_chain_as_it_was(app, db):
    before = head(db)
    nested = db.session.begin_nested()
    audit.record_many(user(db, "staff"), "need.record", [{"object_type": "Need", "object_id": 1}])
    nested.rollback()
    assert head(db) == before
    db.session.commit()
    assert verify(app).exit_code == 0


@pytest.mark.parametrize("value", [None, "文字", 7, 1.25, True, {"a": 1, "b": None}, {"k": "v"}, {},
                                   {1: "x"}, {"a": [1, 2]}, {"a": {"b": 1}}, (1, 2),
                                   datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=timezone(timedelta(hours=8))),
                                   datetime(2026, 1, 2, tzinfo=UTC)])
def test_the_quick_canonical_value_is_the_chain_rule(value):
    assert chaining._canonical(value) == chain._canonical_value(value)


def bare_mobiles():
    rng = random.Random(2026)
    return [f"1{second}{rng.randrange(10 ** 9):09d}" for second in range(10) for _ in range(300)]


def checked_by_the_book(text: str) -> bool:
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return False
    return (number.country_code == 86 and phonenumbers.is_valid_number_for_region(number, "CN")
            and phonenumbers.number_type(number) in phones.ACCEPTED_TYPES)


def test_the_quick_path_of_the_phone_check_reads_a_bare_mobile_as_phonenumbers_does():
    checked = 0
    for text in bare_mobiles():
        if phones.BARE_MOBILE.fullmatch(text):
            checked += 1
            assert phonenumbers.parse(text, "CN") == phonenumbers.PhoneNumber(country_code=86,
                                                                               national_number=int(text))
        assert (phones._number(text) is not None) == checked_by_the_book(text), text
    assert checked > 1900  # 13… to 19…, but for 179…
