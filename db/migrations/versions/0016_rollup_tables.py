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
    _fill()


# The rows as chidao.services.rollup_store.rebuild writes them (this file keeps its own copy:
# a migration imports no live code). A unit's own runs and values land in its own row if it
# has child units (or is a root), else in its parent's; then each level, deepest first, is
# added into its parents' rows.
_NODE = ("CASE WHEN u.parent_id IS NOT NULL AND u.id NOT IN (SELECT parent_id FROM unit"
         " WHERE parent_id IS NOT NULL) THEN u.parent_id ELSE u.id END")
_LIVE = "a.status NOT IN ('cancelled', 'waived')"


def _flag(condition: str) -> str:
    return f"sum(CASE WHEN {condition} THEN 1 ELSE 0 END)"


_RUN_COUNTS = ", ".join([
    "count(*)", _flag(_LIVE), _flag(f"{_LIVE} AND a.status <> 'issued'"),
    _flag("a.status IN ('submitted', 'accepted')"), _flag("a.status = 'accepted'"),
    _flag("a.status IN ('issued', 'received', 'returned')"),
    _flag(f"{_LIVE} AND a.submitted_at IS NOT NULL AND a.submitted_at < a.due_at"),
    _flag(f"{_LIVE} AND a.submitted_at IS NOT NULL")])
PARTS = ("n", "total", "low", "high", "weighted", "weights", "latest")


def _value_parts(only: str) -> str:
    def pick(value: str) -> str:
        return f"CASE WHEN {only} THEN {value} END" if only else value

    count = _flag(only) if only else "count(*)"
    return ", ".join([count, f"sum({pick('v.number')})", f"min({pick('v.number')})",
                      f"max({pick('v.number')})", f"sum({pick('v.number * v.weight')})",
                      f"sum({pick('v.weight')})", f"max({pick('v.text')})"])


def _merge(table: str, names: list[str]) -> str:
    sets = []
    for name in names:
        part, old, new = name.removeprefix("a_"), f"{table}.{name}", f"excluded.{name}"
        if part in ("low", "high", "latest"):
            better = f"{old} < {new}" if part == "low" else f"{old} > {new}"
            sets.append(f"{name} = CASE WHEN {old} IS NULL THEN {new} WHEN {new} IS NULL THEN"
                        f" {old} WHEN {better} THEN {old} ELSE {new} END")
        else:
            sets.append(f"{name} = CASE WHEN {old} IS NULL THEN {new} WHEN {new} IS NULL THEN"
                        f" {old} ELSE {old} + {new} END")
    return ", ".join(sets)


def _up_one_level(table: str, key: str, names: list[str], depth: int) -> str:
    sums = ", ".join(f"min(r.{n})" if n.endswith("low") else
                     f"max(r.{n})" if n.endswith(("high", "latest")) else f"sum(r.{n})"
                     for n in names)
    return (f"INSERT INTO {table} (requirement_id, period, unit_id, {key}, {', '.join(names)})"
            f" SELECT r.requirement_id, r.period, u.parent_id, r.{key}, {sums}"
            f" FROM {table} r JOIN unit u ON u.id = r.unit_id"
            f" WHERE u.depth = {depth} AND u.parent_id IS NOT NULL"
            f" GROUP BY r.requirement_id, r.period, u.parent_id, r.{key}"
            f" ON CONFLICT (requirement_id, period, unit_id, {key}) DO UPDATE SET"
            f" {_merge(table, names)}")


def _fill() -> None:
    values = [f"{p}{n}" for p in ("", "a_") for n in PARTS]
    op.execute(
        f"INSERT INTO rollup_count (requirement_id, period, unit_id, due_at, {', '.join(COUNTS)})"
        f" SELECT a.requirement_id, a.period, a.node, a.due_at, {_RUN_COUNTS}"
        f" FROM (SELECT a.*, {_NODE} AS node FROM assignment a JOIN unit u ON u.id = a.unit_id)"
        f" a GROUP BY a.requirement_id, a.period, a.node, a.due_at")
    op.execute(
        f"INSERT INTO rollup_value (requirement_id, period, unit_id, field, {', '.join(values)})"
        f" SELECT v.requirement_id, v.period, v.node, v.field, {_value_parts('')},"
        f" {_value_parts('v.accepted')}"
        f" FROM (SELECT v.*, {_NODE} AS node FROM report_value v JOIN unit u"
        f" ON u.id = v.unit_id) v GROUP BY v.requirement_id, v.period, v.node, v.field")
    deepest = op.get_bind().execute(sa.text("SELECT max(depth) FROM unit")).scalar() or 0
    for depth in range(deepest, 0, -1):
        op.execute(_up_one_level("rollup_count", "due_at", list(COUNTS), depth))
        op.execute(_up_one_level("rollup_value", "field", values, depth))


def downgrade() -> None:
    op.drop_table("rollup_value")
    op.drop_table("rollup_count")
