"""report_form.issuer_id: form keys are namespaced by the unit that defined them

Revision ID: 0009
Revises: 0008
"""
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 0003 left the (key, version) constraint unnamed: SQLite's batch copy names it by this
# convention, PostgreSQL named it itself.
_SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
_OLD_UNIQUE = {"sqlite": "uq_report_form_key", "postgresql": "report_form_key_version_key"}
_NEW_UNIQUE = "uq_report_form_issuer_key_version"
# A form belongs to the issuer of the first directive whose requirement uses it.
_BACKFILL = """UPDATE report_form SET issuer_id = (
    SELECT directive.issuer_id FROM requirement
    JOIN directive ON directive.id = requirement.directive_id
    WHERE requirement.form_id = report_form.id ORDER BY directive.id LIMIT 1)"""


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    with _rebuilding_report_form(), op.batch_alter_table(
            "report_form", naming_convention=_SQLITE_NAMES) as batch:
        batch.add_column(sa.Column("issuer_id", sa.Integer(), nullable=True))
        batch.create_index("ix_report_form_issuer_id", ["issuer_id"])
        batch.create_foreign_key("fk_report_form_issuer_id", "unit", ["issuer_id"], ["id"])
        batch.drop_constraint(_OLD_UNIQUE[dialect], type_="unique")
        batch.create_unique_constraint(_NEW_UNIQUE, ["issuer_id", "key", "version"])
    op.execute(_BACKFILL)


def downgrade() -> None:
    """Fails (unique violation) when two units defined the same key and version since."""
    dialect = op.get_bind().dialect.name
    with _rebuilding_report_form(), op.batch_alter_table(
            "report_form", naming_convention=_SQLITE_NAMES) as batch:
        batch.drop_constraint(_NEW_UNIQUE, type_="unique")
        batch.drop_constraint("fk_report_form_issuer_id", type_="foreignkey")
        batch.drop_index("ix_report_form_issuer_id")
        batch.drop_column("issuer_id")
        batch.create_unique_constraint(_OLD_UNIQUE[dialect], ["key", "version"])


@contextmanager
def _rebuilding_report_form() -> Iterator[None]:
    """SQLite rebuilds the table (copy, drop, rename); requirement.form_id points at it, so
    foreign keys are off meanwhile (the pragma only takes effect between transactions) and
    checked before the rebuild commits (SQLite's documented ALTER TABLE procedure)."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    bind.exec_driver_sql("COMMIT")
    bind.exec_driver_sql("PRAGMA foreign_keys=OFF")
    bind.exec_driver_sql("BEGIN IMMEDIATE")
    yield
    broken = bind.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise RuntimeError(f"foreign keys broken by the rebuild: {broken[:5]}")
    bind.exec_driver_sql("COMMIT")
    bind.exec_driver_sql("PRAGMA foreign_keys=ON")
    bind.exec_driver_sql("BEGIN IMMEDIATE")
