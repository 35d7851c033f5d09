"""server-side sessions (user_session); API tokens that expire and can be revoked

Revision ID: 0010
Revises: 0009
"""
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

# Self-contained (no import of chidao): the models' UTCDateTime is a TypeDecorator over
# DateTime(timezone=True), so its DDL is sa.DateTime(timezone=True)'s.

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "user_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("id_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("id_sha256"),
    )
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_session_user_id"), ["user_id"], unique=False)
    op.add_column("api_token", sa.Column(
        "expires_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("api_token", sa.Column(
        "revoked_at", sa.DateTime(timezone=True), nullable=True))
    # Tokens made before expiry existed expire like new ones: 90 days from the upgrade.
    # An aware UTC moment, as UTCDateTime binds it (SQLite keeps the same naive UTC text).
    tokens = sa.table("api_token", sa.column("expires_at", sa.DateTime(timezone=True)))
    op.execute(tokens.update().values(expires_at=datetime.now(UTC) + timedelta(days=90)))


def downgrade() -> None:
    op.execute("ALTER TABLE api_token DROP COLUMN revoked_at")
    op.execute("ALTER TABLE api_token DROP COLUMN expires_at")
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_session_user_id"))
    op.drop_table("user_session")
