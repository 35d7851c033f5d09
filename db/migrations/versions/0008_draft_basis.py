"""submission.basis: what a pre-filled draft was computed from and what changed since

Revision ID: 0008
Revises: 0007
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("submission", sa.Column("basis", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE submission DROP COLUMN basis")
