"""assignment_event.by_person: the full name of the person who acted (the web), as it was then

Revision ID: 0011
Revises: 0010
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("assignment_event", sa.Column("by_person", sa.String(length=200),
                                                nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("assignment_event") as batch:
        batch.drop_column("by_person")
