"""rollup tables: per (requirement, period, unit) the counts and value parts of the unit's
whole subtree (rollup_count per deadline, rollup_value per form field), filled from the runs
and values already stored

Revision ID: 0016
Revises: 0015
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTS = ("runs", "live", "received", "handed_in", "accepted", "awaiting", "on_time",
          "submitted")


def _parts(prefix: str) -> list[sa.Column]:
    return [sa.Column(f"{prefix}n", sa.Integer(), nullable=False),
            *(sa.Column(f"{prefix}{name}", sa.Float(), nullable=True)
              for name in ("total", "low", "high", "weighted", "weights")),
            sa.Column(f"{prefix}latest", sa.Text(), nullable=True)]


def upgrade() -> None:
    op.create_table(
        "rollup_count",
        sa.Column("requirement_id", sa.Integer(), primary_key=True),
        sa.Column("period", sa.String(32), primary_key=True),
        sa.Column("unit_id", sa.Integer(), primary_key=True),
        sa.Column("due_at", sa.DateTime(timezone=True), primary_key=True),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS),
    )
    op.create_index("ix_rollup_count_unit", "rollup_count", ["unit_id", "requirement_id"])
    op.create_table(
        "rollup_value",
        sa.Column("requirement_id", sa.Integer(), primary_key=True),
        sa.Column("period", sa.String(32), primary_key=True),
        sa.Column("unit_id", sa.Integer(), primary_key=True),
        sa.Column("field", sa.String(48), primary_key=True),
        *_parts(""), *_parts("a_"),
    )
    op.create_index("ix_rollup_value_unit", "rollup_value", ["unit_id", "requirement_id"])
    from sqlmodel import Session

    from chidao.services.rollup_store import rebuild

    with Session(op.get_bind()) as session:
        rebuild(session)
        session.flush()


def downgrade() -> None:
    op.drop_table("rollup_value")
    op.drop_table("rollup_count")
