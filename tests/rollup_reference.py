"""The rollup as computed before the rollup tables, from the values themselves: the reference
the kept tables are tested against (chidao.queries.rollup now reads them).

Each child's subtree is found through the closure table `unit_ancestor` (every unit has one
ancestor row at the child's depth); the node itself is the merge of its children and its own
runs, so each value row is read once."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from chidao.domain.assignments import assignment_table
from chidao.domain.forms import Aggregate, FieldType, FormField, FormSpec
from chidao.domain.reports import report_value_table
from chidao.domain.status import Status
from chidao.domain.units import Unit, unit_ancestor_table, unit_table

_v, _ua, _a, _u = report_value_table.c, unit_ancestor_table.c, assignment_table.c, unit_table.c
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
    children = {uid: _Group(uid, code, name) for uid, code, name in session.execute(
        select(_u.id, _u.code, _u.name).where(_u.parent_id == node.id))}
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
    for query in grouped(select(func.count()).select_from(assignment_table).where(runs),
                         _a.unit_id):
        for expected, key in session.execute(query.group_by("node")):
            groups[key].expected = expected
    values = [_v.requirement_id.in_(requirement_ids), _v.period == period]
    if accepted_only:
        values.append(_v.accepted.is_(True))
    _numbers(session, groups, grouped, values)
    _texts(session, groups, grouped, values, form)
    if provenance:
        _provenance(session, groups, grouped, runs, values)
    total = _merge(own, [c for c in children.values() if c.expected])
    return [_finish(n, form) for n in (total, *sorted(
        (c for c in children.values() if c.expected), key=lambda c: c.name))]


def _numbers(session: Session, groups: dict[int, _Group], grouped: Any,
             where: list[ColumnElement[bool]]) -> None:
    for query in grouped(select(
            _v.field, func.count(), func.sum(_v.number), func.min(_v.number),
            func.max(_v.number), func.sum(_v.number * _v.weight), func.sum(_v.weight),
            func.max(_v.text)).select_from(report_value_table).where(*where), _v.unit_id):
        for key, *parts, node in session.execute(query.group_by("node", _v.field)):
            groups[node].parts[key] = dict(zip(_PARTS, parts, strict=True))
            groups[node].reported = max(groups[node].reported, parts[0])


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
