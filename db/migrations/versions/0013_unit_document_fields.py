"""unit: what Nghị định 30 prints and the tree cannot tell (governing body, the name as
printed, place name, signing form)

Revision ID: 0013
Revises: 0012
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("governing_body", "header_name", "place_name", "collective_name", "head_title",
           "deputy_title")


def upgrade() -> None:
    for name in COLUMNS:  # plain ADD COLUMN, nullable: no table rebuild
        op.add_column("unit", sa.Column(name, sa.String(), nullable=True))


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN (SQLite >= 3.35 too): a batch rebuild of `unit` would drop
    # a table that every other table points at.
    for name in reversed(COLUMNS):
        op.drop_column("unit", name)
