"""Read speed at street scale: maintained counts, menu indexes, Chinese full-text search.

- need_tallies, project_tallies, survey_tallies: counts kept by triggers in the transaction
  that changes a need, project, survey response or answer (count = count ± 1 or an upsert);
- indexes matching every filter and sort of the needs menu and the project list;
- needs.search_grams, projects.search_grams: the text as character bigrams (core/search.py),
  indexed by FTS5 on SQLite (kept by triggers) and by a GIN index on PostgreSQL.

The satisfied threshold in the survey triggers (score >= 4) is evaluation.scores.SATISFIED_MIN;
``flask figures check`` fails if the two ever disagree.

Revision ID: 0008
Revises: 0004
Create Date: 2026-12-03 14:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0005'
branch_labels = None
depends_on = None

NEED_INDEXES = {
    "ix_needs_by_supports": ["hidden", "support_count", "id", "status"],
    "ix_needs_by_created": ["hidden", "created_at", "id", "status"],
    "ix_needs_status_supports": ["status", "hidden", "support_count", "id"],
    "ix_needs_status_created": ["status", "hidden", "created_at", "id"],
    "ix_needs_category_supports": ["category_id", "hidden", "support_count", "id", "status"],
    "ix_needs_category_created": ["category_id", "hidden", "created_at", "id", "status"],
    "ix_needs_area_supports": ["area_id", "hidden", "support_count", "id", "status"],
    "ix_needs_place_supports": ["place_id", "hidden", "support_count", "id", "status"],
    "ix_needs_submitter_created": ["submitter_id", "created_at"],
}
PROJECT_INDEXES = {
    "ix_projects_by_updated": ["updated_at", "id"],
    "ix_projects_status_updated": ["status", "updated_at", "id"],
    "ix_projects_category_updated": ["category_id", "updated_at", "id"],
    "ix_projects_area_updated": ["area_id", "updated_at", "id"],
    "ix_projects_place_updated": ["place_id", "updated_at", "id"],
}

NEED_CELL = "status, hidden, category_id, area_id, channel, kind"
_NEW_CELL = "NEW.status, NEW.hidden, COALESCE(NEW.category_id, 0), NEW.area_id, NEW.channel, NEW.kind"
_OLD_MATCH = ("status = OLD.status AND hidden = OLD.hidden AND category_id = COALESCE(OLD.category_id, 0) "
              "AND area_id = OLD.area_id AND channel = OLD.channel AND kind = OLD.kind")
_CELL_CHANGED = ("OLD.status IS NOT NEW.status OR OLD.hidden IS NOT NEW.hidden OR OLD.category_id IS NOT "
                 "NEW.category_id OR OLD.area_id IS NOT NEW.area_id OR OLD.channel IS NOT NEW.channel "
                 "OR OLD.kind IS NOT NEW.kind")
_PROJECT_OLD = "status = OLD.status AND category_id = OLD.category_id AND area_id = OLD.area_id"
_ANSWER_SURVEY = "(SELECT q.survey_id FROM survey_questions q WHERE q.id = {row}.question_id AND q.overall)"


def _sqlite_need_sql(alias: str, op_: str) -> str:
    if op_ == "add":
        return (f"INSERT INTO need_tallies ({NEED_CELL}, count, supports) VALUES ({_NEW_CELL}, 1, NEW.support_count) "
                f"ON CONFLICT ({NEED_CELL}) DO UPDATE SET count = count + 1, supports = supports + excluded.supports;")
    return f"UPDATE need_tallies SET count = count - 1, supports = supports - OLD.support_count WHERE {_OLD_MATCH};"


SQLITE_TRIGGERS = [
    # needs → need_tallies
    f"CREATE TRIGGER need_tallies_ai AFTER INSERT ON needs BEGIN {_sqlite_need_sql('NEW', 'add')} END",
    f"CREATE TRIGGER need_tallies_ad AFTER DELETE ON needs BEGIN {_sqlite_need_sql('OLD', 'remove')} END",
    f"CREATE TRIGGER need_tallies_au AFTER UPDATE OF {NEED_CELL}, support_count ON needs WHEN {_CELL_CHANGED} "
    f"BEGIN {_sqlite_need_sql('OLD', 'remove')} {_sqlite_need_sql('NEW', 'add')} END",
    "CREATE TRIGGER need_tallies_au_supports AFTER UPDATE OF support_count ON needs "
    f"WHEN NOT ({_CELL_CHANGED}) AND OLD.support_count <> NEW.support_count BEGIN "
    f"UPDATE need_tallies SET supports = supports + NEW.support_count - OLD.support_count WHERE {_OLD_MATCH}; END",
    # projects → project_tallies
    "CREATE TRIGGER project_tallies_ai AFTER INSERT ON projects BEGIN "
    "INSERT INTO project_tallies (status, category_id, area_id, count) VALUES (NEW.status, NEW.category_id, "
    "NEW.area_id, 1) ON CONFLICT (status, category_id, area_id) DO UPDATE SET count = count + 1; END",
    f"CREATE TRIGGER project_tallies_ad AFTER DELETE ON projects BEGIN "
    f"UPDATE project_tallies SET count = count - 1 WHERE {_PROJECT_OLD}; END",
    "CREATE TRIGGER project_tallies_au AFTER UPDATE OF status, category_id, area_id ON projects "
    "WHEN OLD.status IS NOT NEW.status OR OLD.category_id IS NOT NEW.category_id OR OLD.area_id IS NOT NEW.area_id "
    f"BEGIN UPDATE project_tallies SET count = count - 1 WHERE {_PROJECT_OLD}; "
    "INSERT INTO project_tallies (status, category_id, area_id, count) VALUES (NEW.status, NEW.category_id, "
    "NEW.area_id, 1) ON CONFLICT (status, category_id, area_id) DO UPDATE SET count = count + 1; END",
    # survey responses and answers → survey_tallies
    "CREATE TRIGGER survey_tallies_response_ai AFTER INSERT ON survey_responses BEGIN "
    "INSERT INTO survey_tallies (survey_id, respondents, answered, satisfied) VALUES (NEW.survey_id, 1, 0, 0) "
    "ON CONFLICT (survey_id) DO UPDATE SET respondents = respondents + 1; END",
    "CREATE TRIGGER survey_tallies_response_ad AFTER DELETE ON survey_responses BEGIN "
    "UPDATE survey_tallies SET respondents = respondents - 1 WHERE survey_id = OLD.survey_id; END",
    "CREATE TRIGGER survey_tallies_answer_ai AFTER INSERT ON survey_answers WHEN NEW.score IS NOT NULL BEGIN "
    "INSERT INTO survey_tallies (survey_id, respondents, answered, satisfied) "
    "SELECT q.survey_id, 0, 1, CASE WHEN NEW.score >= 4 THEN 1 ELSE 0 END FROM survey_questions q "
    "WHERE q.id = NEW.question_id AND q.overall "
    "ON CONFLICT (survey_id) DO UPDATE SET answered = answered + 1, satisfied = satisfied + excluded.satisfied; END",
    "CREATE TRIGGER survey_tallies_answer_ad AFTER DELETE ON survey_answers WHEN OLD.score IS NOT NULL BEGIN "
    "UPDATE survey_tallies SET answered = answered - 1, satisfied = satisfied - (CASE WHEN OLD.score >= 4 "
    f"THEN 1 ELSE 0 END) WHERE survey_id = {_ANSWER_SURVEY.format(row='OLD')}; END",
    "CREATE TRIGGER survey_tallies_answer_au AFTER UPDATE OF score, question_id ON survey_answers BEGIN "
    "UPDATE survey_tallies SET answered = answered - (OLD.score IS NOT NULL), satisfied = satisfied - "
    f"(CASE WHEN OLD.score >= 4 THEN 1 ELSE 0 END) WHERE survey_id = {_ANSWER_SURVEY.format(row='OLD')}; "
    "INSERT INTO survey_tallies (survey_id, respondents, answered, satisfied) "
    "SELECT q.survey_id, 0, 1, CASE WHEN NEW.score >= 4 THEN 1 ELSE 0 END FROM survey_questions q "
    "WHERE q.id = NEW.question_id AND q.overall AND NEW.score IS NOT NULL "
    "ON CONFLICT (survey_id) DO UPDATE SET answered = answered + 1, satisfied = satisfied + excluded.satisfied; END",
]
SQLITE_FTS = []
for _table in ("needs", "projects"):
    SQLITE_FTS += [
        f"CREATE VIRTUAL TABLE {_table}_fts USING fts5(search_grams, content='{_table}', content_rowid='id')",
        f"CREATE TRIGGER {_table}_fts_ai AFTER INSERT ON {_table} BEGIN "
        f"INSERT INTO {_table}_fts (rowid, search_grams) VALUES (NEW.id, NEW.search_grams); END",
        f"CREATE TRIGGER {_table}_fts_ad AFTER DELETE ON {_table} BEGIN "
        f"INSERT INTO {_table}_fts ({_table}_fts, rowid, search_grams) VALUES ('delete', OLD.id, OLD.search_grams); END",
        f"CREATE TRIGGER {_table}_fts_au AFTER UPDATE OF search_grams ON {_table} BEGIN "
        f"INSERT INTO {_table}_fts ({_table}_fts, rowid, search_grams) VALUES ('delete', OLD.id, OLD.search_grams); "
        f"INSERT INTO {_table}_fts (rowid, search_grams) VALUES (NEW.id, NEW.search_grams); END",
        f"INSERT INTO {_table}_fts ({_table}_fts) VALUES ('rebuild')",
    ]
SQLITE_TRIGGER_NAMES = ["need_tallies_ai", "need_tallies_ad", "need_tallies_au", "need_tallies_au_supports",
                        "project_tallies_ai", "project_tallies_ad", "project_tallies_au",
                        "survey_tallies_response_ai", "survey_tallies_response_ad", "survey_tallies_answer_ai",
                        "survey_tallies_answer_ad", "survey_tallies_answer_au",
                        "needs_fts_ai", "needs_fts_ad", "needs_fts_au",
                        "projects_fts_ai", "projects_fts_ad", "projects_fts_au"]

_PG_NEW_CELL = _NEW_CELL
_PG_OLD_MATCH = _OLD_MATCH
POSTGRES = [
    f"""CREATE FUNCTION need_tallies_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.status, OLD.hidden, OLD.category_id, OLD.area_id, OLD.channel, OLD.kind)
      IS NOT DISTINCT FROM (NEW.status, NEW.hidden, NEW.category_id, NEW.area_id, NEW.channel, NEW.kind) THEN
    IF OLD.support_count <> NEW.support_count THEN
      UPDATE need_tallies SET supports = supports + NEW.support_count - OLD.support_count WHERE {_PG_OLD_MATCH};
    END IF;
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE need_tallies SET count = count - 1, supports = supports - OLD.support_count WHERE {_PG_OLD_MATCH};
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO need_tallies ({NEED_CELL}, count, supports) VALUES ({_PG_NEW_CELL}, 1, NEW.support_count)
    ON CONFLICT ({NEED_CELL}) DO UPDATE SET count = need_tallies.count + 1,
      supports = need_tallies.supports + EXCLUDED.supports;
  END IF;
  RETURN NULL;
END $$""",
    "CREATE TRIGGER need_tallies_track AFTER INSERT OR UPDATE OR DELETE ON needs "
    "FOR EACH ROW EXECUTE FUNCTION need_tallies_track()",
    f"""CREATE FUNCTION project_tallies_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.status, OLD.category_id, OLD.area_id)
      IS NOT DISTINCT FROM (NEW.status, NEW.category_id, NEW.area_id) THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE project_tallies SET count = count - 1 WHERE {_PROJECT_OLD};
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO project_tallies (status, category_id, area_id, count) VALUES (NEW.status, NEW.category_id, NEW.area_id, 1)
    ON CONFLICT (status, category_id, area_id) DO UPDATE SET count = project_tallies.count + 1;
  END IF;
  RETURN NULL;
END $$""",
    "CREATE TRIGGER project_tallies_track AFTER INSERT OR UPDATE OR DELETE ON projects "
    "FOR EACH ROW EXECUTE FUNCTION project_tallies_track()",
    """CREATE FUNCTION survey_tallies_response() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO survey_tallies (survey_id, respondents, answered, satisfied) VALUES (NEW.survey_id, 1, 0, 0)
    ON CONFLICT (survey_id) DO UPDATE SET respondents = survey_tallies.respondents + 1;
  ELSE
    UPDATE survey_tallies SET respondents = respondents - 1 WHERE survey_id = OLD.survey_id;
  END IF;
  RETURN NULL;
END $$""",
    "CREATE TRIGGER survey_tallies_response AFTER INSERT OR DELETE ON survey_responses "
    "FOR EACH ROW EXECUTE FUNCTION survey_tallies_response()",
    """CREATE FUNCTION survey_tallies_answer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.score IS NOT NULL THEN
    UPDATE survey_tallies SET answered = answered - 1,
      satisfied = satisfied - (CASE WHEN OLD.score >= 4 THEN 1 ELSE 0 END)
    WHERE survey_id = (SELECT q.survey_id FROM survey_questions q WHERE q.id = OLD.question_id AND q.overall);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.score IS NOT NULL THEN
    INSERT INTO survey_tallies (survey_id, respondents, answered, satisfied)
    SELECT q.survey_id, 0, 1, CASE WHEN NEW.score >= 4 THEN 1 ELSE 0 END FROM survey_questions q
    WHERE q.id = NEW.question_id AND q.overall
    ON CONFLICT (survey_id) DO UPDATE SET answered = survey_tallies.answered + 1,
      satisfied = survey_tallies.satisfied + EXCLUDED.satisfied;
  END IF;
  RETURN NULL;
END $$""",
    "CREATE TRIGGER survey_tallies_answer AFTER INSERT OR UPDATE OF score, question_id OR DELETE ON survey_answers "
    "FOR EACH ROW EXECUTE FUNCTION survey_tallies_answer()",
    "CREATE INDEX ix_needs_search ON needs USING gin (to_tsvector('simple', search_grams))",
    "CREATE INDEX ix_projects_search ON projects USING gin (to_tsvector('simple', search_grams))",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS ix_needs_search", "DROP INDEX IF EXISTS ix_projects_search",
    "DROP TRIGGER IF EXISTS survey_tallies_answer ON survey_answers",
    "DROP TRIGGER IF EXISTS survey_tallies_response ON survey_responses",
    "DROP TRIGGER IF EXISTS project_tallies_track ON projects",
    "DROP TRIGGER IF EXISTS need_tallies_track ON needs",
    "DROP FUNCTION IF EXISTS survey_tallies_answer()", "DROP FUNCTION IF EXISTS survey_tallies_response()",
    "DROP FUNCTION IF EXISTS project_tallies_track()", "DROP FUNCTION IF EXISTS need_tallies_track()",
]

FILL = [
    f"INSERT INTO need_tallies ({NEED_CELL}, count, supports) SELECT status, hidden, COALESCE(category_id, 0), "
    "area_id, channel, kind, COUNT(*), COALESCE(SUM(support_count), 0) FROM needs "
    "GROUP BY status, hidden, COALESCE(category_id, 0), area_id, channel, kind",
    "INSERT INTO project_tallies (status, category_id, area_id, count) SELECT status, category_id, area_id, COUNT(*) "
    "FROM projects GROUP BY status, category_id, area_id",
    "INSERT INTO survey_tallies (survey_id, respondents, answered, satisfied) SELECT s.id, "
    "(SELECT COUNT(*) FROM survey_responses r WHERE r.survey_id = s.id), "
    "(SELECT COUNT(*) FROM survey_answers a JOIN survey_questions q ON q.id = a.question_id "
    " WHERE q.survey_id = s.id AND q.overall AND a.score IS NOT NULL), "
    "(SELECT COUNT(*) FROM survey_answers a JOIN survey_questions q ON q.id = a.question_id "
    " WHERE q.survey_id = s.id AND q.overall AND a.score >= 4) FROM surveys s",
]


def _fill_grams(table: str) -> None:
    from coordination.core.search import grams

    connection = op.get_bind()
    rows = connection.execute(sa.text(f"SELECT id, title, description FROM {table}")).all()
    updates = [{"row_id": row.id, "grams": grams(row.title, row.description)} for row in rows]
    if updates:
        connection.execute(sa.text(f"UPDATE {table} SET search_grams = :grams WHERE id = :row_id"), updates)


def upgrade():
    dialect = op.get_bind().dialect.name
    op.create_table('need_tallies',
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('category_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('area_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('supports', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('status', 'hidden', 'category_id', 'area_id', 'channel', 'kind',
                            name=op.f('pk_need_tallies'))
    )
    op.create_table('project_tallies',
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('category_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('area_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('count', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('status', 'category_id', 'area_id', name=op.f('pk_project_tallies'))
    )
    op.create_table('survey_tallies',
    sa.Column('survey_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('respondents', sa.Integer(), server_default='0', nullable=False),
    sa.Column('answered', sa.Integer(), server_default='0', nullable=False),
    sa.Column('satisfied', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_tallies_survey_id_surveys'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id', name=op.f('pk_survey_tallies'))
    )
    op.add_column('needs', sa.Column('search_grams', sa.Text(), server_default='', nullable=False))
    op.add_column('projects', sa.Column('search_grams', sa.Text(), server_default='', nullable=False))
    for name, columns in NEED_INDEXES.items():
        op.create_index(name, 'needs', columns, unique=False)
    for name, columns in PROJECT_INDEXES.items():
        op.create_index(name, 'projects', columns, unique=False)
    for statement in FILL:
        op.execute(statement)
    _fill_grams("needs")
    _fill_grams("projects")
    for statement in (SQLITE_TRIGGERS + SQLITE_FTS if dialect == "sqlite" else POSTGRES):
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in SQLITE_TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS needs_fts")
        op.execute("DROP TABLE IF EXISTS projects_fts")
    else:
        for statement in POSTGRES_DROP:
            op.execute(statement)
    for name in PROJECT_INDEXES:
        op.drop_index(name, table_name='projects')
    for name in NEED_INDEXES:
        op.drop_index(name, table_name='needs')
    op.drop_column('projects', 'search_grams')
    op.drop_column('needs', 'search_grams')
    op.drop_table('survey_tallies')
    op.drop_table('project_tallies')
    op.drop_table('need_tallies')
