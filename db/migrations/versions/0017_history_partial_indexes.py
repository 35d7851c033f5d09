"""partial indexes for open runs: history (closed runs of past school years) stays out of the
sweep's index and the unit inbox's index

- ix_assignment_next_action_at: only the runs the sweep still watches (next_action_at set;
  a handed-in or closed run has none). The sweep's `next_action_at <= now` implies it.
- ix_assignment_open_unit (unit_id, due_on, id): a unit's open runs in the inbox's order,
  for queries.inbox.unit_assignments, whose WHERE repeats the predicate with the same
  constants (chidao.domain.assignments.OPEN_RUN_PREDICATE).

Revision ID: 0017
Revises: 0016
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WATCHED = sa.text("next_action_at IS NOT NULL")
OPEN_RUN = sa.text("status NOT IN ('accepted', 'cancelled', 'waived')")


def upgrade() -> None:
    op.drop_index("ix_assignment_next_action_at", table_name="assignment")
    op.create_index("ix_assignment_next_action_at", "assignment", ["next_action_at"],
                    postgresql_where=WATCHED, sqlite_where=WATCHED)
    op.create_index("ix_assignment_open_unit", "assignment", ["unit_id", "due_on", "id"],
                    postgresql_where=OPEN_RUN, sqlite_where=OPEN_RUN)


def downgrade() -> None:
    op.drop_index("ix_assignment_open_unit", table_name="assignment")
    op.drop_index("ix_assignment_next_action_at", table_name="assignment")
    op.create_index("ix_assignment_next_action_at", "assignment", ["next_action_at"])
