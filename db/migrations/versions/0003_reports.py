"""reports

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 05:50:52.471758
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

# Self-contained (no import of chidao): the models' UTCDateTime is a TypeDecorator over
# DateTime(timezone=True), so its DDL is sa.DateTime(timezone=True)'s.

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('report_form',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key', 'version')
    )
    op.create_table('unit_ancestor',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('ancestor_id', sa.Integer(), nullable=False),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ancestor_id'], ['unit.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('unit_id', 'ancestor_id')
    )
    with op.batch_alter_table('unit_ancestor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_ancestor_ancestor_id'), ['ancestor_id'], unique=False)

    op.create_table('report_value',
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=48), nullable=False),
    sa.Column('requirement_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Float(), nullable=True),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('weight', sa.Float(), nullable=True),
    sa.Column('accepted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], ),
    sa.ForeignKeyConstraint(['requirement_id'], ['requirement.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('assignment_id', 'field')
    )
    with op.batch_alter_table('report_value', schema=None) as batch_op:
        batch_op.create_index('ix_report_value_requirement', ['requirement_id', 'period'], unique=False)
        batch_op.create_index('ix_report_value_unit', ['unit_id'], unique=False)

    op.create_table('submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('review_note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('assignment_id', 'version')
    )
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_assignment_id'), ['assignment_id'], unique=False)

    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('stored_as', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_submission_id'), ['submission_id'], unique=False)

    with op.batch_alter_table('requirement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('form_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_requirement_form_id', 'report_form', ['form_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('requirement', schema=None) as batch_op:
        # WARNING: constraint name is None; this directive will fail as
        # rendered.  Add a name, or use a naming convention; see
        # https://alembic.sqlalchemy.org/en/latest/naming.html
        batch_op.drop_constraint('fk_requirement_form_id', type_='foreignkey')
        batch_op.drop_column('form_id')

    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_submission_id'))

    op.drop_table('attachment')
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_assignment_id'))

    op.drop_table('submission')
    with op.batch_alter_table('report_value', schema=None) as batch_op:
        batch_op.drop_index('ix_report_value_unit')
        batch_op.drop_index('ix_report_value_requirement')

    op.drop_table('report_value')
    with op.batch_alter_table('unit_ancestor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_ancestor_ancestor_id'))

    op.drop_table('unit_ancestor')
    op.drop_table('report_form')
