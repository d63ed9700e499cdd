"""Migrations build the whole schema from empty, match the models, and go back down."""

from flask_migrate import downgrade
from flask_migrate import upgrade
from sqlalchemy import inspect

from coordination.core.search import outside_the_models
from coordination.extensions import db
from tests.conftest import make_app


def test_migrations_from_empty_match_the_models_and_downgrade(database_kind, database_url_factory):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    app = make_app(database_url_factory(database_kind))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={
                "compare_type": True,
                "include_name": lambda name, _type, _parents: not outside_the_models(name)})
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        tables = set(inspect(db.engine).get_table_names())
        assert {"users", "places", "member_units", "audit_records", "api_tokens"} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "users" in inspect(db.engine).get_table_names()
        db.engine.dispose()
