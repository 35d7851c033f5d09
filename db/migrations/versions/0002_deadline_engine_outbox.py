"""deadline engine outbox

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 05:41:56.841783
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

# Self-contained (no import of chidao): the models' UTCDateTime is a TypeDecorator over
# DateTime(timezone=True), so its DDL is sa.DateTime(timezone=True)'s.

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('outbound_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to_unit_id', sa.Integer(), nullable=False),
    sa.Column('cc_unit_id', sa.Integer(), nullable=True),
    sa.Column('header_id', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('smtp_reply', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('sender', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('recipients', sa.JSON(), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cc_unit_id'], ['unit.id'], ),
    sa.ForeignKeyConstraint(['to_unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('header_id')
    )
    with op.batch_alter_table('outbound_message', schema=None) as batch_op:
        batch_op.create_index('ix_outbound_message_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbound_message_to_unit_id'), ['to_unit_id'], unique=False)

    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('to_unit_id', sa.Integer(), nullable=False),
    sa.Column('cc_unit_id', sa.Integer(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], ),
    sa.ForeignKeyConstraint(['cc_unit_id'], ['unit.id'], ),
    sa.ForeignKeyConstraint(['message_id'], ['outbound_message.id'], ),
    sa.ForeignKeyConstraint(['to_unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('assignment_id', 'stage', name='uq_notification_stage')
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_message_id'), ['message_id'], unique=False)

    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stage_cursor', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_stage', sa.String(length=64), nullable=True))

    with op.batch_alter_table('requirement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('policy', sa.JSON(), nullable=False, server_default='{}'))



def downgrade() -> None:
    with op.batch_alter_table('requirement', schema=None) as batch_op:
        batch_op.drop_column('policy')

    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_column('last_stage')
        batch_op.drop_column('stage_cursor')

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_message_id'))

    op.drop_table('notification')
    with op.batch_alter_table('outbound_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbound_message_to_unit_id'))
        batch_op.drop_index('ix_outbound_message_due')

    op.drop_table('outbound_message')
