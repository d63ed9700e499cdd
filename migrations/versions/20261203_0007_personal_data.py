"""Personal data (PIPL): users.deleted_at, and an audit guard that lets account deletion erase
``actor_name`` and ``ip_address`` (to NULL) and nothing else.

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-03 14:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# Every column of audit_records except the two erasable ones. SQLite triggers name columns, so
# a column added to audit_records later must be added here too (PostgreSQL compares whole rows).
KEPT_COLUMNS = ("id", "at", "actor_id", "action", "object_type", "object_id", "object_label",
                "from_state", "to_state", "comment", "details")

ORIGINAL_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_records_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_records is append-only';
END;
$$ LANGUAGE plpgsql
"""

ERASABLE_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_records_append_only() RETURNS trigger AS $$
BEGIN
    -- The only change allowed: erasing the actor's name and address (account deletion).
    IF TG_OP = 'UPDATE' AND NEW.actor_name IS NULL AND NEW.ip_address IS NULL
       AND (to_jsonb(NEW) - 'actor_name' - 'ip_address') = (to_jsonb(OLD) - 'actor_name' - 'ip_address') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_records is append-only';
END;
$$ LANGUAGE plpgsql
"""

RAISE = "BEGIN SELECT RAISE(ABORT, 'audit_records is append-only'); END"


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))

    if op.get_bind().dialect.name == "postgresql":
        op.execute(ERASABLE_PG_FUNCTION)
    else:
        unchanged = " AND ".join(f"NEW.{name} IS OLD.{name}" for name in KEPT_COLUMNS)
        op.execute("DROP TRIGGER IF EXISTS audit_records_no_update")
        op.execute(
            "CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records "
            f"WHEN NOT (NEW.actor_name IS NULL AND NEW.ip_address IS NULL AND {unchanged}) " + RAISE
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(ORIGINAL_PG_FUNCTION)
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_records_no_update")
        op.execute("CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records " + RAISE)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
