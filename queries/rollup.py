"""Rollup: per node of the tree (a unit and each of its direct children), the aggregate of its
subtree's latest submissions under some requirements, with coverage and provenance.

Each child's subtree figures are read from the kept rollup tables (chidao.domain.rollups: one
row per child with children, field and requirement, kept by chidao.services.rollup_upkeep), a
leaf child's from its own runs and values; the node itself is the merge of its children and its
own runs and values, read as they are. Choice counts and
collected text (and the provenance lists) are read from the values below the node: they name
every unit that answered."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from ..domain.assignments import assignment_table
from ..domain.forms import Aggregate, FieldType, FormField, FormSpec
from ..domain.reports import report_value_table
from ..domain.rollups import has_children, rollup_count_table, rollup_value_table
from ..domain.status import Status
from ..domain.units import Unit, unit_ancestor_table, unit_table

_v, _ua, _a, _u = report_value_table.c, unit_ancestor_table.c, assignment_table.c, unit_table.c
_rc, _rv = rollup_count_table.c, rollup_value_table.c
_who = unit_table.alias("who")
_top = unit_ancestor_table.alias("top")  # "the unit is below the node": one key probe a row
_PARTS = ("count", "sum", "min", "max", "weighted", "weights", "latest")


@dataclass(frozen=True)
class NodeTotals:
    """One node's figures: `values` per form field, in the form's own value representation
    (what a submission stores: numbers, có/không, ISO date text, {choice: count}, lines),
    so they compare with handed-in values as they are."""

    unit_id: int
    code: str
    name: str
    expected: int
    reported: int
    values: dict[str, Any]
    reporters: list[str]  # provenance: unit codes counted
    missing: list[str]  # expected but not counted


@dataclass
class _Group:
    """A node's partial aggregates while the queries are read (see `_merge`, `_finish`)."""

    unit_id: int
    code: str
    name: str
    expected: int = 0
    reported: int = 0
    reporters: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    parts: dict[str, dict[str, Any]] = field(default_factory=dict)


def rollup(
    session: Session, *, requirement_ids: list[int], period: str, node: Unit, form: FormSpec,
    accepted_only: bool = True, provenance: bool = False,
) -> list[NodeTotals]:
    """[node, child 1, child 2, ...] (children whose subtree has runs), each with totals."""
    assert node.id is not None
    rows = session.execute(select(_u.id, _u.code, _u.name, has_children()).where(
        _u.parent_id == node.id)).all()
    children = {uid: _Group(uid, code, name) for uid, code, name, _ in rows}
    leaves = [uid for uid, _, _, inner in rows if not inner]
    inner = [uid for uid, _, _, has in rows if has]
    own = _Group(node.id, node.code, node.name)
    groups = {**children, node.id: own}

    def grouped(query: Select[Any], unit_column: Any) -> list[Select[Any]]:
        """Two queries: rows of the children's subtrees keyed by the child (one closure row
        per unit at the child's depth), and the node's own rows keyed by the node."""
        below = (query.add_columns(_ua.ancestor_id.label("node"))
                 .join(_top, and_(_top.c.unit_id == unit_column, _top.c.ancestor_id == node.id))
                 .join(unit_ancestor_table, and_(_ua.unit_id == unit_column,
                                                 _ua.depth == node.depth + 1)))
        itself = query.add_columns(unit_column.label("node")).where(unit_column == node.id)
        return [below, itself]

    runs = and_(_a.requirement_id.in_(requirement_ids), _a.period == period,
                _a.status.not_in([Status.CANCELLED, Status.WAIVED]))
    own.expected = session.execute(select(func.count()).where(
        runs, _a.unit_id == node.id)).scalar_one()
    kept = and_(_rc.unit_id.in_(inner), _rc.requirement_id.in_(requirement_ids),
                _rc.period == period)
    for query in (select(_rc.unit_id, func.sum(_rc.live)).where(kept).group_by(_rc.unit_id),
                  select(_a.unit_id, func.count()).where(runs, _a.unit_id.in_(leaves))
                  .group_by(_a.unit_id)):
        for unit_id, expected in session.execute(query):
            children[unit_id].expected = int(expected)
    values = [_v.requirement_id.in_(requirement_ids), _v.period == period]
    if accepted_only:
        values.append(_v.accepted.is_(True))
    _own_numbers(session, own, [*values, _v.unit_id == node.id])
    # By the leaves' own index (their ids), not by the requirement's: `+ 0` hides it.
    _leaf_numbers(session, children, [*values[1:], (_v.requirement_id + 0).in_(
        requirement_ids), _v.unit_id.in_(leaves)])
    _children_numbers(session, children, inner, requirement_ids, period, accepted_only)
    _texts(session, groups, grouped, values, form)
    if provenance:
        _provenance(session, groups, grouped, runs, values)
    total = _merge(own, [c for c in children.values() if c.expected])
    return [_finish(n, form) for n in (total, *sorted(
        (c for c in children.values() if c.expected), key=lambda c: c.name))]


def _own_numbers(session: Session, own: _Group, where: list[ColumnElement[bool]]) -> None:
    for key, *parts in session.execute(select(
            _v.field, func.count(), func.sum(_v.number), func.min(_v.number),
            func.max(_v.number), func.sum(_v.number * _v.weight), func.sum(_v.weight),
            func.max(_v.text)).where(*where).group_by(_v.field)):
        _add_parts(own, key, parts)


def _leaf_numbers(session: Session, children: dict[int, _Group],
                  where: list[ColumnElement[bool]]) -> None:
    """The parts of the children without children of their own: their own values."""
    for unit_id, key, *parts in session.execute(select(
            _v.unit_id, _v.field, func.count(), func.sum(_v.number), func.min(_v.number),
            func.max(_v.number), func.sum(_v.number * _v.weight), func.sum(_v.weight),
            func.max(_v.text)).where(*where).group_by(_v.unit_id, _v.field)):
        _add_parts(children[unit_id], key, parts)


def _children_numbers(session: Session, children: dict[int, _Group], inner: list[int],
                      requirement_ids: list[int], period: str, accepted_only: bool) -> None:
    """The subtree parts of each child with children, from its kept rows (one per requirement
    and field)."""
    p = "a_" if accepted_only else ""
    count = func.sum(_rv[f"{p}n"])
    query = (select(_rv.unit_id, _rv.field, count, func.sum(_rv[f"{p}total"]),
                    func.min(_rv[f"{p}low"]), func.max(_rv[f"{p}high"]),
                    func.sum(_rv[f"{p}weighted"]), func.sum(_rv[f"{p}weights"]),
                    func.max(_rv[f"{p}latest"]))
             .where(_rv.unit_id.in_(inner), _rv.requirement_id.in_(requirement_ids),
                    _rv.period == period)
             .group_by(_rv.unit_id, _rv.field).having(count > 0))
    for unit_id, key, *parts in session.execute(query):
        _add_parts(children[unit_id], key, parts)


def _add_parts(group: _Group, key: str, parts: list[Any]) -> None:
    group.parts[key] = dict(zip(_PARTS, parts, strict=True))
    group.reported = max(group.reported, parts[0])


def _texts(session: Session, groups: dict[int, _Group], grouped: Any,
           where: list[ColumnElement[bool]], form: FormSpec) -> None:
    keys = [f.key for f in form.fields if f.how in (Aggregate.COUNT_PER_CHOICE, Aggregate.CONCAT)]
    if not keys:
        return
    for query in grouped(select(_v.field, _who.c.name, _v.text, _v.number)
                         .select_from(report_value_table).join(_who, _who.c.id == _v.unit_id)
                         .where(*where, _v.field.in_(keys)), _v.unit_id):
        for key, who, text, number, node in session.execute(query.order_by(_who.c.path)):
            entry = (who, text, number)
            groups[node].parts.setdefault(key, {}).setdefault("texts", []).append(entry)


def _provenance(session: Session, groups: dict[int, _Group], grouped: Any,
                runs: ColumnElement[bool], where: list[ColumnElement[bool]]) -> None:
    counted = select(_v.assignment_id).where(*where).distinct().scalar_subquery()
    for query in grouped(select(_who.c.code, _a.id.in_(counted)).select_from(assignment_table)
                         .join(_who, _who.c.id == _a.unit_id).where(runs), _a.unit_id):
        for code, is_counted, node in session.execute(query.order_by(_who.c.code)):
            (groups[node].reporters if is_counted else groups[node].missing).append(code)


def _merge(own: _Group, children: list[_Group]) -> _Group:
    """The node's totals from its children's partial aggregates and its own runs."""
    total = _Group(own.unit_id, own.code, own.name, own.expected, own.reported,
                       reporters=list(own.reporters), missing=list(own.missing),
                       parts={k: dict(v) for k, v in own.parts.items()})
    for child in children:
        total.expected += child.expected
        total.reported += child.reported
        total.reporters += child.reporters
        total.missing += child.missing
        for key, part in child.parts.items():
            into = total.parts.setdefault(key, {})
            for name, value in part.items():
                into[name] = _combine(name, into.get(name), value)
    total.reporters.sort()
    total.missing.sort()
    return total


def _combine(name: str, a: Any, b: Any) -> Any:
    if a is None or b is None:
        return b if a is None else a
    if name == "min":
        return min(a, b)
    if name in ("max", "latest"):
        return max(a, b)
    return a + b  # count, sum, weighted, weights, texts


def _finish(group: _Group, form: FormSpec) -> NodeTotals:
    values = {f.key: _value(f, group.parts[f.key]) for f in form.fields
              if group.parts.get(f.key)}
    return NodeTotals(group.unit_id, group.code, group.name, group.expected, group.reported,
                      values, group.reporters, group.missing)


def _value(f: FormField, part: dict[str, Any]) -> Any:
    how = f.how
    if how in (Aggregate.SUM, Aggregate.COUNT_TRUE):
        return part["sum"] if f.type is FieldType.DECIMAL else int(part["sum"])
    if how is Aggregate.MEAN:
        weights = part.get("weights")
        return round(part["weighted"] / weights, 4) if weights else None
    if how is Aggregate.MIN:
        return part["min"]
    if how is Aggregate.MAX:
        return part["latest"] if f.type is FieldType.DATE else part["max"]
    if how is Aggregate.COUNT_PER_CHOICE:
        return _choice_counts(f.choices, part.get("texts", []))
    return [f"{who}: {text}" for who, text, _ in part.get("texts", [])]


def _choice_counts(choices: list[str], texts: list[tuple[str, str, Any]]) -> dict[str, int]:
    """One per unit that chose; a consolidated report's counts (number set: their total)
    add up as they are."""
    counts = dict.fromkeys(choices, 0)
    for _, text, number in texts:
        for choice, count in (json.loads(text).items() if number is not None
                              else [(text, 1)]):
            counts[choice] = counts.get(choice, 0) + int(count)
    return counts
