"""directive.number holds the number as issued ("08"), number_value its value (8)

The integer column becomes number_value (uniqueness per issuer per year, lookups by either
spelling); a new text column keeps the number as issued. Leading zeros lost before are taken
back from the directive's key when it was derived from the number ("2026:08/KH-UBND").

Revision ID: 0007
Revises: 0006
"""
import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KEY_NUMBER = re.compile(r"^\d{4}:\s*(?:Số\s*:?\s*)?([0-9]+)\s*/", re.IGNORECASE)


def _as_issued(key: str, value: int) -> str:
    m = _KEY_NUMBER.match(key)
    return m[1] if m and int(m[1]) == value else str(value)


def upgrade() -> None:
    # Plain ALTER TABLE (SQLite ≥ 3.35, PostgreSQL): a batch copy of the table would trip the
    # foreign keys that point at it. The unique constraint follows the renamed column.
    op.execute("ALTER TABLE directive RENAME COLUMN number TO number_value")
    op.add_column("directive", sa.Column("number", sa.String(16), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT id, key, number_value FROM directive WHERE number_value IS NOT NULL")).all()
    for directive_id, key, value in rows:
        bind.execute(sa.text("UPDATE directive SET number = :n WHERE id = :id"),
                     {"n": _as_issued(key, value), "id": directive_id})


def downgrade() -> None:
    op.execute("ALTER TABLE directive DROP COLUMN number")
    op.execute("ALTER TABLE directive RENAME COLUMN number_value TO number")
