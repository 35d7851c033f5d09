"""submission.basis: what a pre-filled draft was computed from and what changed since

Revision ID: 0007
Revises: 0006
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("submission", sa.Column("basis", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE submission DROP COLUMN basis")
