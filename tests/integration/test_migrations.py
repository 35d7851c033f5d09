"""Alembic migrations create exactly the schema the tables declare."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from domain.tables import metadata


def test_migrated_schema_matches_the_models(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_deadline_index_exists(engine):
    indexes = {ix["name"]: ix["column_names"] for ix in inspect(engine).get_indexes("assignment")}
    assert indexes["ix_assignment_next_action_at"] == ["next_action_at"]
