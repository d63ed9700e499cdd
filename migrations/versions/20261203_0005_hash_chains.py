"""Tamper evidence: hash chains over the audit log and the decision tables, chain heads,
and triggers that refuse UPDATE, DELETE and TRUNCATE.

Existing rows are chained in id order (in batches, so a large log fits in memory). The new
columns are empty only between a record's insert and its transaction's commit, which links it
(``coordination/core/chaining.py``); the triggers let them be filled once and never changed.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 14:30:00

"""
from alembic import op
import sqlalchemy as sa

from coordination.core import chain
from coordination.core.models.base import UTCDateTime

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0009'
branch_labels = None
depends_on = None

# table -> hashed columns (besides chain_seq), as in the models' ``__chained__``
CHAINED = {
    'audit_records': ('at', 'actor_id', 'action', 'object_type', 'object_id', 'object_label', 'from_state',
                      'to_state', 'comment', 'details'),
    'council_votes': ('project_id', 'round', 'voter_id', 'vote', 'comment', 'created_at'),
    'evaluation_reviews': ('project_id', 'decision', 'comment', 'reviewer_id', 'created_at'),
    'selection_ballots': ('selection_id', 'voter_id', 'cast_at'),
}
TIMES = {'at', 'created_at', 'cast_at'}
INTEGERS = {'actor_id', 'object_id', 'project_id', 'round', 'voter_id', 'reviewer_id', 'selection_id'}
# audit_records: only the personal data left out of the hash may still be erased (PIPL)
AUDIT_ERASABLE = ('actor_name', 'ip_address')
BATCH = 5000


def _table(name):
    columns = [sa.Column('id', sa.Integer, primary_key=True)]
    for column in CHAINED[name]:
        kind = (UTCDateTime() if column in TIMES else sa.JSON() if column == 'details'
                else sa.Integer() if column in INTEGERS else sa.String())
        columns.append(sa.Column(column, kind))
    columns += [sa.Column(c, sa.String) for c in ('content_hash', 'prev_hash', 'chain_hash')]
    columns.append(sa.Column('chain_seq', sa.Integer))
    return sa.Table(name, sa.MetaData(), *columns)


def _backfill(connection, name):
    table = _table(name)
    hashed = [table.c[c] for c in CHAINED[name]]
    statement = (sa.update(table).where(table.c.id == sa.bindparam('row_id'))
                 .values(chain_seq=sa.bindparam('seq'), content_hash=sa.bindparam('content'),
                         prev_hash=sa.bindparam('prev'), chain_hash=sa.bindparam('hash')))
    seq, last, after = 0, chain.GENESIS, 0
    while True:
        rows = connection.execute(sa.select(table.c.id, *hashed).where(table.c.id > after)
                                  .order_by(table.c.id).limit(BATCH)).all()
        if not rows:
            break
        updates = []
        for row in rows:
            seq += 1
            values = row._mapping
            content = chain.content_hash({'chain_seq': seq, **{c: values[c] for c in CHAINED[name]}})
            link = chain.link(last, content)
            updates.append({'row_id': row.id, 'seq': seq, 'content': content, 'prev': last, 'hash': link})
            last = link
        connection.execute(statement, updates)
        after = rows[-1].id
    return seq, last


def upgrade():
    connection = op.get_bind()
    heads = op.create_table(
        'audit_chain_head',
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('record_count', sa.Integer(), server_default='0', nullable=False),
        sa.Column('last_hash', sa.String(length=64), server_default=chain.GENESIS, nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'),
                  nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_audit_chain_head')),
    )
    _drop_initial_guards()
    for name in CHAINED:
        with op.batch_alter_table(name) as batch_op:
            batch_op.add_column(sa.Column('chain_seq', sa.Integer(), nullable=True))
            for column in ('content_hash', 'prev_hash', 'chain_hash'):
                batch_op.add_column(sa.Column(column, sa.String(length=64), nullable=True))
    for name in CHAINED:
        count, last = _backfill(connection, name)
        op.bulk_insert(heads, [{'name': name, 'record_count': count, 'last_hash': last}])
    for name in CHAINED:
        with op.batch_alter_table(name) as batch_op:
            batch_op.create_unique_constraint(op.f(f'uq_{name}_chain_seq'), ['chain_seq'])
    _create_guards(connection)


def downgrade():
    connection = op.get_bind()
    _drop_guards(connection)
    for name in CHAINED:
        with op.batch_alter_table(name) as batch_op:
            batch_op.drop_constraint(op.f(f'uq_{name}_chain_seq'), type_='unique')
            for column in ('chain_hash', 'prev_hash', 'content_hash', 'chain_seq'):
                batch_op.drop_column(column)
    op.drop_table('audit_chain_head')
    _create_initial_guards()


# ----------------------------------------------------------------------------- triggers

CHAIN_COLUMNS = ('chain_seq', 'content_hash', 'prev_hash', 'chain_hash')


def _create_guards(connection):
    if connection.dialect.name == 'postgresql':
        linking = " - ".join(f"'{c}'" for c in CHAIN_COLUMNS)
        erasable = " - ".join(f"'{c}'" for c in AUDIT_ERASABLE)
        for name in CHAINED:
            # an UPDATE may only link a new row into its chain (fill its empty chain columns),
            # or, in the audit log, erase the personal data left out of the hash
            allowed = [f"(OLD.chain_hash IS NULL AND (to_jsonb(NEW) - {linking}) = (to_jsonb(OLD) - {linking}))"]
            if name == 'audit_records':
                # erased means emptied: the name or address cannot be rewritten to someone else's
                allowed.append(f"((to_jsonb(NEW) - {erasable}) = (to_jsonb(OLD) - {erasable})"
                               " AND NEW.actor_name IS NULL AND NEW.ip_address IS NULL)")
            op.execute(f"""
                CREATE FUNCTION {name}_guard() RETURNS trigger AS $$
                BEGIN
                    IF TG_OP = 'UPDATE' THEN
                        IF {' OR '.join(allowed)} THEN
                            RETURN NEW;
                        END IF;
                    END IF;
                    RAISE EXCEPTION '{name} is append-only';
                END;
                $$ LANGUAGE plpgsql""")
            op.execute(f"CREATE TRIGGER {name}_no_change BEFORE UPDATE OR DELETE ON {name} "
                       f"FOR EACH ROW EXECUTE FUNCTION {name}_guard()")
            op.execute(f"CREATE TRIGGER {name}_no_truncate BEFORE TRUNCATE ON {name} "
                       f"FOR EACH STATEMENT EXECUTE FUNCTION {name}_guard()")
        op.execute("""
            CREATE FUNCTION audit_chain_head_guard() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'UPDATE' THEN
                    IF NEW.name = OLD.name AND NEW.record_count >= OLD.record_count THEN
                        RETURN NEW;
                    END IF;
                END IF;
                RAISE EXCEPTION 'audit_chain_head only grows';
            END;
            $$ LANGUAGE plpgsql""")
        op.execute("CREATE TRIGGER audit_chain_head_no_change BEFORE UPDATE OR DELETE ON audit_chain_head "
                   "FOR EACH ROW EXECUTE FUNCTION audit_chain_head_guard()")
        op.execute("CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head "
                   "FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_head_guard()")
    else:
        inspector = sa.inspect(connection)
        for name in CHAINED:
            fixed = [c['name'] for c in inspector.get_columns(name)
                     if c['name'] not in CHAIN_COLUMNS and not (name == 'audit_records' and c['name'] in AUDIT_ERASABLE)]
            refuse = f"BEGIN SELECT RAISE(ABORT, '{name} is append-only'); END"
            op.execute(f"CREATE TRIGGER {name}_no_update BEFORE UPDATE OF {', '.join(fixed)} ON {name} {refuse}")
            op.execute(f"CREATE TRIGGER {name}_no_relink BEFORE UPDATE OF {', '.join(CHAIN_COLUMNS)} ON {name} "
                       f"WHEN OLD.chain_hash IS NOT NULL {refuse}")
            op.execute(f"CREATE TRIGGER {name}_no_delete BEFORE DELETE ON {name} {refuse}")
        # erased means emptied: the name or address cannot be rewritten to someone else's
        op.execute("CREATE TRIGGER audit_records_erase_only BEFORE UPDATE OF actor_name, ip_address ON audit_records "
                   "WHEN (NEW.actor_name IS NOT NULL AND NEW.actor_name IS NOT OLD.actor_name) "
                   "OR (NEW.ip_address IS NOT NULL AND NEW.ip_address IS NOT OLD.ip_address) "
                   "BEGIN SELECT RAISE(ABORT, 'audit_records is append-only'); END")
        op.execute("CREATE TRIGGER audit_chain_head_no_shrink BEFORE UPDATE ON audit_chain_head "
                   "WHEN NEW.record_count < OLD.record_count OR NEW.name IS NOT OLD.name "
                   "BEGIN SELECT RAISE(ABORT, 'audit_chain_head only grows'); END")
        op.execute("CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head "
                   "BEGIN SELECT RAISE(ABORT, 'audit_chain_head only grows'); END")


def _drop_guards(connection):
    if connection.dialect.name == 'postgresql':
        for name in (*CHAINED, 'audit_chain_head'):
            op.execute(f"DROP TRIGGER IF EXISTS {name}_no_change ON {name}")
            op.execute(f"DROP TRIGGER IF EXISTS {name}_no_truncate ON {name}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}_guard()")
    else:
        for name in CHAINED:
            for trigger in ('no_update', 'no_relink', 'no_delete'):
                op.execute(f"DROP TRIGGER IF EXISTS {name}_{trigger}")
        op.execute("DROP TRIGGER IF EXISTS audit_records_erase_only")
        op.execute("DROP TRIGGER IF EXISTS audit_chain_head_no_shrink")
        op.execute("DROP TRIGGER IF EXISTS audit_chain_head_no_delete")


def _drop_initial_guards():
    """The guards of migration 0001 (UPDATE and DELETE only) give way to the ones above."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS audit_records_no_change ON audit_records")
        op.execute("DROP FUNCTION IF EXISTS audit_records_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_records_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_records_no_delete")


def _create_initial_guards():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("""
            CREATE FUNCTION audit_records_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'audit_records is append-only';
            END;
            $$ LANGUAGE plpgsql""")
        op.execute("CREATE TRIGGER audit_records_no_change BEFORE UPDATE OR DELETE ON audit_records "
                   "FOR EACH ROW EXECUTE FUNCTION audit_records_append_only()")
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_records_no_{event.lower()} BEFORE {event} ON audit_records "
                       "BEGIN SELECT RAISE(ABORT, 'audit_records is append-only'); END")
