"""closure (a unit's subtree closed for a range of days) and assignment.due_hand_on /
due_hand_at (a deadline set by hand stays when what it was derived from moves)

Revision ID: 0014
Revises: 0013
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "closure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(200), nullable=False, server_default=""),
        sa.Column("declared_by", sa.String(64), nullable=False),
        sa.Column("declared_by_person", sa.String(200), nullable=False, server_default=""),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_closure_unit_id", "closure", ["unit_id"])
    op.add_column("assignment", sa.Column("due_hand_on", sa.Date(), nullable=True))
    op.add_column("assignment", sa.Column("due_hand_at", sa.DateTime(timezone=True),
                                          nullable=True))


def downgrade() -> None:
    for name in ("due_hand_at", "due_hand_on"):  # SQLite 3.35+: DROP COLUMN, no rebuild
        op.drop_column("assignment", name)
    op.drop_index("ix_closure_unit_id", table_name="closure")
    op.drop_table("closure")
