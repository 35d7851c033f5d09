"""people in units (task_holder, delegation, app_user.email), the audit trail (audit_event,
assignment_event.on_behalf_of), person mail (notification/outbound_message.to_user_id),
calendar feeds (feed_token), API idempotency keys (idempotent_request), directive recall and
revision

Revision ID: 0015
Revises: 0014
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def _tables() -> None:
    op.create_table(
        "task_holder",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("assignment_id", sa.Integer(), sa.ForeignKey("assignment.id"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("assigned_by", sa.String(200), nullable=False),
        sa.Column("assigned_at", TZ, nullable=False),
        sa.Column("removed_at", TZ, nullable=True),
    )
    op.create_index("ix_task_holder_assignment_id", "task_holder", ["assignment_id"])
    op.create_index("ix_task_holder_user_live", "task_holder", ["user_id", "removed_at"])
    op.create_table(
        "delegation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("from_user_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("to_user_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("revoked_at", TZ, nullable=True),
    )
    op.create_index("ix_delegation_from_user_id", "delegation", ["from_user_id"])
    op.create_index("ix_delegation_to_user_id", "delegation", ["to_user_id"])
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", TZ, nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("person", sa.String(200), nullable=False),
        sa.Column("on_behalf_of", sa.String(200), nullable=False),
        sa.Column("action", sa.String(48), nullable=False),
        sa.Column("subject_type", sa.String(32), nullable=False),
        sa.Column("subject_id", sa.String(64), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
    )
    op.create_index("ix_audit_event_at", "audit_event", ["at"])
    op.create_index("ix_audit_event_unit_code", "audit_event", ["unit_code"])
    op.create_index("ix_audit_event_subject", "audit_event", ["subject_type", "subject_id"])
    op.create_table(
        "feed_token",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("unit.id"), nullable=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("revoked_at", TZ, nullable=True),
    )
    op.create_index("ix_feed_token_unit_id", "feed_token", ["unit_id"])
    op.create_index("ix_feed_token_user_id", "feed_token", ["user_id"])
    op.create_table(
        "idempotent_request",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=False),
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("request_sha256", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.UniqueConstraint("user_id", "key", name="uq_idempotent_request_key"),
    )
    op.create_index("ix_idempotent_request_created_at", "idempotent_request", ["created_at"])


def upgrade() -> None:
    _tables()
    op.add_column("app_user", sa.Column("email", sa.String(254), nullable=False,
                                        server_default=""))
    op.add_column("assignment_event", sa.Column("on_behalf_of", sa.String(200),
                                                nullable=False, server_default=""))
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in ("notification", "outbound_message"):
        if sqlite:  # ADD COLUMN … REFERENCES: no table rebuild (others reference these)
            op.execute(f"ALTER TABLE {table} ADD COLUMN to_user_id INTEGER"
                       " REFERENCES app_user (id)")
        else:
            op.add_column(table, sa.Column("to_user_id", sa.Integer(), nullable=True))
            op.create_foreign_key(f"fk_{table}_to_user_id", table, "app_user",
                                  ["to_user_id"], ["id"])
    op.add_column("directive", sa.Column("recalled_at", TZ, nullable=True))
    op.add_column("directive", sa.Column("recall_reason", sa.Text(), nullable=False,
                                         server_default=""))
    op.add_column("directive", sa.Column("revision", sa.Integer(), nullable=False,
                                         server_default="1"))


def downgrade() -> None:
    for name in ("revision", "recall_reason", "recalled_at"):
        op.drop_column("directive", name)
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in ("notification", "outbound_message"):
        if sqlite:  # SQLite 3.35+ drops a column with a REFERENCES clause without a rebuild
            op.execute(f"ALTER TABLE {table} DROP COLUMN to_user_id")
        else:
            op.drop_constraint(f"fk_{table}_to_user_id", table, type_="foreignkey")
            op.drop_column(table, "to_user_id")
    op.drop_column("assignment_event", "on_behalf_of")
    op.drop_column("app_user", "email")
    for table in ("idempotent_request", "feed_token", "audit_event", "delegation",
                  "task_holder"):
        op.drop_table(table)
