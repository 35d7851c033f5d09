"""Keeping the rollup tables (chidao.domain.rollups) equal to the runs and values below them.

Only a unit with child units has rows (a leaf's subtree is itself: its own runs and values,
read as they are). A node's row is its own runs and values and its leaf children's (read from
them) plus the rows of its other children. `refresh` recomputes, for each touched (requirement,
period, unit), the unit's ancestors, deepest first: O(children) per ancestor, exact also for
min/max and for values replaced or removed. `rebuild` writes the same rows set-based, one
INSERT … SELECT per table: the runs (values) grouped by the node they land in (the unit itself
if it has children, else its parent), then those groups summed into every ancestor of that
node, the node included (the closure table `unit_ancestor`), in one grouped SELECT."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import and_, case, delete, func, literal, null, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ..domain.assignments import assignment_table
from ..domain.reports import report_value_table
from ..domain.rollups import (
    COUNTS,
    PARTS,
    has_children,
    rollup_count_table,
    rollup_value_table,
)
from ..domain.status import AWAITING_UNIT, Status
from ..domain.units import unit_ancestor_table, unit_table

_a, _v, _u = assignment_table.c, report_value_table.c, unit_table.c
_rc, _rv = rollup_count_table.c, rollup_value_table.c
Key = tuple[int, str, int]  # (requirement_id, period, unit_id)
_LIVE = _a.status.not_in([Status.CANCELLED, Status.WAIVED])


def _node(one_by_one: bool) -> Any:
    """The node a unit's own runs and values land in: itself if it has children (or is a
    root), else its parent."""
    return case((and_(~has_children(one_by_one), _u.parent_id.is_not(None)), _u.parent_id),
                else_=_u.id)


VALUE_COLUMNS = [f"{p}{name}" for p in ("", "a_") for name in PARTS]


def _flag(condition: ColumnElement[bool]) -> Any:
    return func.sum(case((condition, 1), else_=0))


def own_counts(node: Any) -> Any:
    """Per (requirement, period, node, deadline): the counts of the runs landing in the node
    (`node`: an expression over the run's unit `unit`)."""
    submitted = and_(_LIVE, _a.submitted_at.is_not(None))
    counts = [
        func.count(), _flag(_LIVE),
        _flag(and_(_LIVE, _a.status != Status.ISSUED)),
        _flag(_a.status.in_([Status.SUBMITTED, Status.ACCEPTED])),
        _flag(_a.status == Status.ACCEPTED), _flag(_a.status.in_(list(AWAITING_UNIT))),
        _flag(and_(submitted, _a.submitted_at < _a.due_at)), _flag(submitted)]
    return select(
        _a.requirement_id, _a.period, node.label("node"), _a.due_at,
        *(count.label(name) for count, name in zip(counts, COUNTS, strict=True)),
    ).join(unit_table, _u.id == _a.unit_id).group_by(
        _a.requirement_id, _a.period, "node", _a.due_at)


def own_values(node: Any) -> Any:
    """Per (requirement, period, node, field): the parts of the handed-in values landing in the
    node, all of them, then the accepted ones."""
    def only(value: Any) -> Any:
        return case((_v.accepted.is_(True), value), else_=null())

    def parts(pick: Any, count: Any) -> list[Any]:
        return [count, func.sum(pick(_v.number)), func.min(pick(_v.number)),
                func.max(pick(_v.number)), func.sum(pick(_v.number * _v.weight)),
                func.sum(pick(_v.weight)), func.max(pick(_v.text))]

    columns = [*parts(lambda value: value, func.count()),
               *parts(only, _flag(_v.accepted.is_(True)))]
    return select(
        _v.requirement_id, _v.period, node.label("node"), _v.field,
        *(column.label(name) for column, name in zip(columns, VALUE_COLUMNS, strict=True)),
    ).join(unit_table, _u.id == _v.unit_id).group_by(
        _v.requirement_id, _v.period, "node", _v.field)


def _insert(session: Session, table: Any) -> Any:
    """INSERT … ON CONFLICT of the session's database (its dialect imported on first use)."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def _least(a: Any, b: Any, pick_low: bool) -> Any:
    """min/max of two parts, either of which may be NULL (none such value)."""
    better = a < b if pick_low else a > b
    return case((a.is_(None), b), (b.is_(None), a), (better, a), else_=b)


def _add(a: Any, b: Any) -> Any:
    return case((a.is_(None), b), (b.is_(None), a), else_=a + b)


def _merged(table: Any, excluded: Any, names: Iterable[str]) -> dict[str, Any]:
    """The upsert's SET: each part merged with the incoming row's."""
    merged = {}
    for name in names:
        part = name.removeprefix("a_")
        old, new = table.c[name], excluded[name]
        if part in ("low", "high", "latest"):
            merged[name] = _least(old, new, pick_low=part == "low")
        else:
            merged[name] = _add(old, new)
    return merged


def _children_into_parents(session: Session, table: Any, key: str, names: list[str],
                           where: list[ColumnElement[bool]]) -> None:
    """Upsert, into the parents' rows, the sum of the rows of the units matching `where`
    (units joined as `unit`), grouped per parent."""
    c = table.c
    sums = [func.sum(c[n]) if n.removeprefix("a_") not in ("low", "high", "latest")
            else (func.min(c[n]) if n.endswith("low") else func.max(c[n])) for n in names]
    source = (select(c.requirement_id, c.period, _u.parent_id, c[key], *sums)
              .join(unit_table, _u.id == c.unit_id).where(*where, _u.parent_id.is_not(None))
              .group_by(c.requirement_id, c.period, _u.parent_id, c[key]))
    statement = _insert(session, table).from_select(
        ["requirement_id", "period", "unit_id", key, *names], source)
    session.execute(statement.on_conflict_do_update(
        index_elements=["requirement_id", "period", "unit_id", key],
        set_=_merged(table, statement.excluded, names)))


def _merge_part(name: str, column: Any) -> Any:
    """The aggregate that merges one part over several groups."""
    part = name.removeprefix("a_")
    if part == "low":
        return func.min(column)
    return func.max(column) if part in ("high", "latest") else func.sum(column)


def subtree_rows(own: Any, key: str, names: list[str]) -> Any:
    """The rows of every node from `own` (groups keyed by the node they land in): each group
    summed into every ancestor of its node, the node included. A landing node has children
    (or is a root), and so has each of its ancestors: every node met has rows."""
    landed = own.subquery("own")
    c, ua = landed.c, unit_ancestor_table.c
    return (select(c.requirement_id, c.period, ua.ancestor_id, c[key],
                   *(_merge_part(n, c[n]).label(n) for n in names))
            .join(unit_ancestor_table, ua.unit_id == c.node)
            .group_by(c.requirement_id, c.period, ua.ancestor_id, c[key]))


def rebuild_selects(requirement_ids: Collection[int] | None = None) -> list[tuple[Any, Any]]:
    """[(table, the SELECT of its rows)]: what `rebuild` inserts (the bench runs the SELECTs
    alone as its yardstick)."""
    def of(column: Any) -> list[ColumnElement[bool]]:
        return [] if requirement_ids is None else [column.in_(list(requirement_ids))]

    return [(rollup_count_table, subtree_rows(
                own_counts(_node(False)).where(*of(_a.requirement_id)), "due_at", list(COUNTS))),
            (rollup_value_table, subtree_rows(
                own_values(_node(False)).where(*of(_v.requirement_id)), "field", VALUE_COLUMNS))]


def rebuild(session: Session, requirement_ids: Collection[int] | None = None) -> None:
    """Rewrite the rollup rows of `requirement_ids` (None: every requirement) from the runs
    and values: per table, its old rows deleted, then one INSERT … SELECT (in the caller's
    transaction)."""
    for table, rows in rebuild_selects(requirement_ids):
        session.execute(delete(table).where(
            *([] if requirement_ids is None else
              [table.c.requirement_id.in_(list(requirement_ids))])))
        session.execute(table.insert().from_select([c.name for c in table.columns], rows))


def refresh(session: Session, keys: Iterable[Key]) -> None:
    """Recompute the rows of each touched (requirement, period, unit) and of every ancestor
    of the unit, deepest first (each from its own runs plus its children's rows)."""
    touched: dict[tuple[int, str], set[int]] = defaultdict(set)
    for requirement_id, period, unit_id in keys:
        touched[(requirement_id, period)].add(unit_id)
    if not touched:
        return
    _serialise(session, {r for r, _ in touched})
    units = {u for found in touched.values() for u in found}
    above: dict[int, list[tuple[int, int]]] = defaultdict(list)  # unit -> [(ancestor, depth)]
    for unit_id, ancestor_id, depth in session.execute(select(
            unit_ancestor_table.c.unit_id, unit_ancestor_table.c.ancestor_id,
            unit_ancestor_table.c.depth).where(unit_ancestor_table.c.unit_id.in_(units))):
        above[unit_id].append((ancestor_id, depth))
    for (requirement_id, period), found in sorted(touched.items()):
        levels: dict[int, set[int]] = defaultdict(set)
        for unit_id in found:
            for ancestor_id, depth in above[unit_id]:
                levels[depth].add(ancestor_id)
        for depth in sorted(levels, reverse=True):
            _recompute(session, requirement_id, period, sorted(levels[depth]))


def _recompute(session: Session, requirement_id: int, period: str, nodes: list[int]) -> None:
    """The rows of `nodes` (one depth) from their own runs and values and their children's
    rows."""
    session.execute(delete(rollup_count_table).where(
        _rc.requirement_id == requirement_id, _rc.period == period, _rc.unit_id.in_(nodes)))
    session.execute(delete(rollup_value_table).where(
        _rv.requirement_id == requirement_id, _rv.period == period, _rv.unit_id.in_(nodes)))
    inner = has_children()
    lands = or_(and_(_u.id.in_(nodes), or_(inner, _u.parent_id.is_(None))),
                and_(_u.parent_id.in_(nodes), ~inner))
    session.execute(rollup_count_table.insert().from_select(
        ["requirement_id", "period", "unit_id", "due_at", *COUNTS], own_counts(_node(True)).where(
            _a.requirement_id == requirement_id, _a.period == period, lands)))
    session.execute(rollup_value_table.insert().from_select(
        ["requirement_id", "period", "unit_id", "field", *VALUE_COLUMNS],
        own_values(_node(True)).where(
            _v.requirement_id == requirement_id, _v.period == period, lands)))
    for table, key, names in ((rollup_count_table, "due_at", list(COUNTS)),
                              (rollup_value_table, "field", VALUE_COLUMNS)):
        c = table.c
        _children_into_parents(session, table, key, names, [
            c.requirement_id == requirement_id, c.period == period, _u.parent_id.in_(nodes)])


def _serialise(session: Session, requirement_ids: set[int]) -> None:
    """On PostgreSQL, one transaction at a time refreshes a requirement's rows (a
    transaction-scoped advisory lock), so each reads its children's rows as committed by the
    one before; SQLite writes one transaction at a time anyway."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for requirement_id in sorted(requirement_ids):
        session.execute(select(func.pg_advisory_xact_lock(literal(0x726F6C6C), requirement_id)))

