"""`migrate` skips Alembic when the database is at the head it knows from the migration files'
names (chidao.db.database.schema_head): that head must be Alembic's own."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from chidao.db.database import MIGRATIONS_DIR, alembic_config, schema_head


def test_the_head_known_from_the_file_names_is_alembics_head():
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert schema_head() == script.get_current_head()  # (two heads: this raises)


def test_each_migration_file_is_named_after_its_revision():
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    for revision in script.walk_revisions():
        assert revision.path is not None
        name = revision.path.rpartition("/")[2]
        assert name.partition("_")[0] == revision.revision, name
    assert MIGRATIONS_DIR.joinpath("versions").is_dir()
