"""directive.search_text (accent-insensitive search) and directive_file (the directive's own
files: the document as issued, annexes)

Revision ID: 0012
Revises: 0011
"""
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Self-contained (no import of chidao): the fold below is chidao.domain.text.folded's.

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FOLD = str.maketrans({"đ": "d", "Đ": "d"})
# chidao.domain.directives.DOC_TYPE_LABELS, as of this revision
_TYPES = {"KH": "Kế hoạch", "TB": "Thông báo", "QĐ": "Quyết định", "CT": "Chỉ thị",
          "HD": "Hướng dẫn", "BC": "Báo cáo", "CTr": "Chương trình", "ĐA": "Đề án",
          "TTr": "Tờ trình", "GM": "Giấy mời", "CV": "Công văn"}


def _folded(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.translate(_FOLD).lower())
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).split())


def upgrade() -> None:
    # A plain ADD COLUMN (no table rebuild: citations, requirements and runs point at
    # directive); its default fills the rows already there, then the backfill below.
    op.add_column("directive", sa.Column("search_text", sa.Text(), nullable=False,
                                         server_default=""))
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, doc_type, number, symbol, title FROM directive")
                        ).all()
    for did, doc_type, number, symbol, title in rows:
        text = f"{_TYPES.get(doc_type, '')} {number or ''}/{symbol} {title}"
        bind.execute(sa.text("UPDATE directive SET search_text = :t WHERE id = :id"),
                     {"t": _folded(text), "id": did})
    if bind.dialect.name != "sqlite":  # SQLite keeps the '' default: dropping it rebuilds
        op.alter_column("directive", "search_text", server_default=None)
    op.create_table(
        "directive_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("directive_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("stored_as", sa.String(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["directive_id"], ["directive.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_directive_file_directive_id", "directive_file", ["directive_id"])


def downgrade() -> None:
    op.drop_index("ix_directive_file_directive_id", table_name="directive_file")
    op.drop_table("directive_file")
    if op.get_bind().dialect.name == "sqlite":  # SQLite 3.35+: no table rebuild
        op.execute("ALTER TABLE directive DROP COLUMN search_text")
    else:
        op.drop_column("directive", "search_text")
