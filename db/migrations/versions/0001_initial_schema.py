"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 05:09:47.370122
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

# Self-contained (no import of chidao): the models' UTCDateTime is a TypeDecorator over
# DateTime(timezone=True), so its DDL is sa.DateTime(timezone=True)'s.

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('emails', sa.JSON(), nullable=False),
    sa.Column('symbol', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('path', sa.String(length=512), nullable=False),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_unit_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_unit_path'), ['path'], unique=False)

    op.create_table('directive',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('symbol', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('doc_type', sa.String(length=8), nullable=False),
    sa.Column('issuer_id', sa.Integer(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issue_year', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('school_year', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['issuer_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('issuer_id', 'issue_year', 'number'),
    sa.UniqueConstraint('key')
    )
    with op.batch_alter_table('directive', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directive_issuer_id'), ['issuer_id'], unique=False)

    op.create_table('citation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('directive_id', sa.Integer(), nullable=False),
    sa.Column('cited_id', sa.Integer(), nullable=True),
    sa.Column('ref_text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['cited_id'], ['directive.id'], ),
    sa.ForeignKeyConstraint(['directive_id'], ['directive.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('citation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_citation_cited_id'), ['cited_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_citation_directive_id'), ['directive_id'], unique=False)

    op.create_table('requirement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('directive_id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('target', sa.JSON(), nullable=False),
    sa.Column('due', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['directive_id'], ['directive.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('directive_id', 'key')
    )
    with op.batch_alter_table('requirement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_requirement_directive_id'), ['directive_id'], unique=False)

    op.create_table('assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requirement_id', sa.Integer(), nullable=False),
    sa.Column('directive_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=32), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('fulfilled_by_id', sa.Integer(), nullable=True),
    sa.Column('next_action_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['directive_id'], ['directive.id'], ),
    sa.ForeignKeyConstraint(['fulfilled_by_id'], ['directive.id'], ),
    sa.ForeignKeyConstraint(['requirement_id'], ['requirement.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('requirement_id', 'unit_id', 'period', name='uq_assignment_run')
    )
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_directive_id'), ['directive_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_fulfilled_by_id'), ['fulfilled_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_next_action_at'), ['next_action_at'], unique=False)
        batch_op.create_index('ix_assignment_unit_status', ['unit_id', 'status'], unique=False)

    op.create_table('assignment_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('from_status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('to_status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('assignment_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_event_assignment_id'), ['assignment_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('assignment_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_event_assignment_id'))

    op.drop_table('assignment_event')
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index('ix_assignment_unit_status')
        batch_op.drop_index(batch_op.f('ix_assignment_next_action_at'))
        batch_op.drop_index(batch_op.f('ix_assignment_fulfilled_by_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_directive_id'))

    op.drop_table('assignment')
    with op.batch_alter_table('requirement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_requirement_directive_id'))

    op.drop_table('requirement')
    with op.batch_alter_table('citation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_citation_directive_id'))
        batch_op.drop_index(batch_op.f('ix_citation_cited_id'))

    op.drop_table('citation')
    with op.batch_alter_table('directive', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directive_issuer_id'))

    op.drop_table('directive')
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_path'))
        batch_op.drop_index(batch_op.f('ix_unit_parent_id'))
        batch_op.drop_index(batch_op.f('ix_unit_kind'))

    op.drop_table('unit')
