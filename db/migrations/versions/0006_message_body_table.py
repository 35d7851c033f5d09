"""outbound_message.body moves to its own table, so status updates do not rewrite the bytes

Revision ID: 0006
Revises: 0005
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbound_message_body",
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["outbound_message.id"]),
        sa.PrimaryKeyConstraint("message_id"),
    )
    op.execute("INSERT INTO outbound_message_body (message_id, body)"
               " SELECT id, body FROM outbound_message WHERE body IS NOT NULL")
    # A plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35, PostgreSQL): a batch copy of the table
    # would trip the foreign keys that point at it.
    op.execute("ALTER TABLE outbound_message DROP COLUMN body")


def downgrade() -> None:
    op.add_column("outbound_message", sa.Column("body", sa.LargeBinary(), nullable=True))
    op.execute("UPDATE outbound_message SET body = (SELECT b.body FROM outbound_message_body b"
               " WHERE b.message_id = outbound_message.id)")
    op.drop_table("outbound_message_body")
