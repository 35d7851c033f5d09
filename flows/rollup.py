"""Rollup in SQL: per node of the tree (a unit and each of its direct children), the aggregate
of its subtree's latest submissions under some requirements, with coverage and provenance.
The subtree join goes through the closure table `unit_ancestor`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, distinct, func, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from domain.assignments import assignment_table
from domain.forms import Aggregate, FieldType, FormSpec
from domain.reports import report_value_table
from domain.status import Status
from domain.units import Unit, unit_ancestor_table, unit_table

_v, _ua, _a = report_value_table.c, unit_ancestor_table.c, assignment_table.c
_anc = unit_table.alias("anc")
_who = unit_table.alias("who")


@dataclass
class NodeTotals:
    unit_id: int
    code: str
    name: str
    expected: int = 0
    reported: int = 0
    values: dict[str, Any] = field(default_factory=dict)
    reporters: list[str] = field(default_factory=list)  # provenance: unit codes counted
    missing: list[str] = field(default_factory=list)  # expected but not counted


def rollup(
    session: Session, *, requirement_ids: list[int], period: str, node: Unit, form: FormSpec,
    accepted_only: bool = True, provenance: bool = False,
) -> list[NodeTotals]:
    """[node, child 1, child 2, ...] (children that have runs), each with its totals."""
    in_scope = or_(_anc.c.id == node.id, _anc.c.parent_id == node.id)
    nodes: dict[int, NodeTotals] = {}
    runs = and_(_a.requirement_id.in_(requirement_ids), _a.period == period,
                _a.status.not_in([Status.CANCELLED.value, Status.WAIVED.value]))
    for anc_id, code, name, expected in session.execute(
            select(_anc.c.id, _anc.c.code, _anc.c.name, func.count())
            .select_from(assignment_table)
            .join(unit_ancestor_table, _ua.unit_id == _a.unit_id)
            .join(_anc, _anc.c.id == _ua.ancestor_id)
            .where(runs, in_scope).group_by(_anc.c.id, _anc.c.code, _anc.c.name)):
        nodes[anc_id] = NodeTotals(anc_id, code, name, expected=expected)
    values = [_v.requirement_id.in_(requirement_ids), _v.period == period]
    if accepted_only:
        values.append(_v.accepted.is_(True))
    _numbers(session, nodes, values, in_scope, form)
    _texts(session, nodes, values, in_scope, form)
    if provenance:
        _provenance(session, nodes, runs, values, in_scope)
    ordered = sorted(nodes.values(), key=lambda n: (n.unit_id != node.id, n.name))
    return ordered


def _numbers(session: Session, nodes: dict[int, NodeTotals], where: list[ColumnElement[bool]],
             in_scope: ColumnElement[bool], form: FormSpec) -> None:
    query = (
        select(_ua.ancestor_id, _v.field, func.count(distinct(_v.assignment_id)),
               func.sum(_v.number), func.min(_v.number), func.max(_v.number),
               func.sum(_v.number * _v.weight), func.sum(_v.weight), func.max(_v.text))
        .join(unit_ancestor_table, _ua.unit_id == _v.unit_id)
        .join(_anc, _anc.c.id == _ua.ancestor_id)
        .where(*where, in_scope).group_by(_ua.ancestor_id, _v.field))
    reported: dict[int, int] = defaultdict(int)
    for anc, key, count, total, low, high, weighted, weights, latest in session.execute(query):
        f = next((f for f in form.fields if f.key == key), None)
        if f is None or anc not in nodes:
            continue
        reported[anc] = max(reported[anc], count)
        how = f.how
        if how in (Aggregate.SUM, Aggregate.COUNT_TRUE):
            nodes[anc].values[key] = int(total) if f.type is not FieldType.DECIMAL else total
        elif how is Aggregate.MEAN:
            nodes[anc].values[key] = round(weighted / weights, 4) if weights else None
        elif how is Aggregate.MIN:
            nodes[anc].values[key] = low
        elif how is Aggregate.MAX:
            nodes[anc].values[key] = latest if f.type is FieldType.DATE else high
    for anc, count in reported.items():
        nodes[anc].reported = count


def _texts(session: Session, nodes: dict[int, NodeTotals], where: list[ColumnElement[bool]],
           in_scope: ColumnElement[bool], form: FormSpec) -> None:
    texts = [f.key for f in form.fields if f.how in (Aggregate.COUNT_PER_CHOICE, Aggregate.CONCAT)]
    if not texts:
        return
    query = (
        select(_ua.ancestor_id, _v.field, _who.c.name, _v.text)
        .join(unit_ancestor_table, _ua.unit_id == _v.unit_id)
        .join(_anc, _anc.c.id == _ua.ancestor_id)
        .join(_who, _who.c.id == _v.unit_id)
        .where(*where, in_scope, _v.field.in_(texts)).order_by(_who.c.path))
    for anc, key, who, text in session.execute(query):
        if anc not in nodes:
            continue
        if form.field(key).how is Aggregate.COUNT_PER_CHOICE:
            counts = nodes[anc].values.setdefault(key, dict.fromkeys(form.field(key).choices, 0))
            counts[text] = counts.get(text, 0) + 1
        else:
            nodes[anc].values.setdefault(key, []).append(f"{who}: {text}")


def _provenance(session: Session, nodes: dict[int, NodeTotals],
                runs: ColumnElement[bool], where: list[ColumnElement[bool]],
                in_scope: ColumnElement[bool]) -> None:
    counted = select(_v.assignment_id).where(*where).distinct().scalar_subquery()
    query = (
        select(_ua.ancestor_id, _who.c.code, _a.id.in_(counted))
        .select_from(assignment_table)
        .join(unit_ancestor_table, _ua.unit_id == _a.unit_id)
        .join(_anc, _anc.c.id == _ua.ancestor_id)
        .join(_who, _who.c.id == _a.unit_id)
        .where(runs, in_scope).order_by(_who.c.code))
    for anc, code, is_counted in session.execute(query):
        (nodes[anc].reporters if is_counted else nodes[anc].missing).append(code)
