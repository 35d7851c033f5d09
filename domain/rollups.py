"""Rollups kept per node of the unit tree: for each (requirement, period, unit) the aggregates
of the unit's WHOLE subtree (the unit's own runs and every unit below it), so a node's figures
are read from its row and its children's rows, never from the runs below them.

Only a unit with child units has rows: a leaf's subtree is the leaf itself, whose own runs and
values are read as they are (as a node's own are). `rollup_count`: run counts, one row per
deadline (`due_at`) met in the subtree: what depends on the clock (late: still owed and due
by now; due soon) is summed at read time over the rows whose deadline is passed (a node's
subtree holds few distinct deadlines).
`rollup_value`: per form field, the mergeable parts of the handed-in values (count, sum, min,
max, weighted sum and weights, latest text), twice: over every handed-in value and over the
accepted ones only (prefix `a_`). Choice counts and collected text (COUNT_PER_CHOICE,
CONCAT) are read from the values themselves: they list who said what, not a number."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Float, Index, Integer, String, Table, Text, exists, select
from sqlmodel import SQLModel

from .dbtypes import UTCDateTime
from .units import unit_table

# count columns: what each counts among the runs of the subtree due at `due_at`
COUNTS = (
    "runs",  # every run, withdrawn and waived ones too (the directive page's "tổng")
    "live",  # not cancelled nor waived: expected
    "received",  # live and past "issued"
    "handed_in",  # submitted or accepted
    "accepted",
    "awaiting",  # still owed by the unit (issued, received, returned): late once due
    "on_time",  # live, handed in before the deadline
    "submitted",  # live, handed in at some time (submitted_at set)
)
PARTS = ("n", "total", "low", "high", "weighted", "weights", "latest")

rollup_count_table = Table(
    "rollup_count", SQLModel.metadata,
    Column("requirement_id", Integer, primary_key=True),
    Column("period", String(32), primary_key=True),
    Column("unit_id", Integer, primary_key=True),
    Column("due_at", UTCDateTime(), primary_key=True),
    *(Column(name, Integer, nullable=False) for name in COUNTS),
    Index("ix_rollup_count_unit", "unit_id", "requirement_id"),
)


def _parts(prefix: str) -> list[Column[object]]:
    return [Column(f"{prefix}n", Integer, nullable=False),
            *(Column(f"{prefix}{name}", Float) for name in PARTS[1:-1]),
            Column(f"{prefix}latest", Text)]


rollup_value_table = Table(
    "rollup_value", SQLModel.metadata,
    Column("requirement_id", Integer, primary_key=True),
    Column("period", String(32), primary_key=True),
    Column("unit_id", Integer, primary_key=True),
    Column("field", String(48), primary_key=True),
    *_parts(""), *_parts("a_"),
    Index("ix_rollup_value_unit", "unit_id", "requirement_id"),
)


_unit, _child = unit_table.c, unit_table.alias("child").c


def has_children(one_by_one: bool = True) -> Any:
    """`unit` has child units: probed per unit (reading a few) or as one set (rebuilding)."""
    if one_by_one:
        return exists().where(_child.parent_id == _unit.id)
    return _unit.id.in_(select(_child.parent_id).where(_child.parent_id.is_not(None)))
