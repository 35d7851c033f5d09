"""The cascade tree of one directive: its runs per unit, the plans units issued in response
(and their runs, to any depth), with counts rolled up at every node."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col
from sqlmodel import select as model_select

from ..domain.assignments import assignment_table
from ..domain.calendar import WorkingCalendar
from ..domain.directives import (
    Citation,
    Directive,
    DocType,
    RequirementKind,
    requirement_table,
)
from ..domain.status import Status
from ..domain.timeliness import Completion, Timeliness, TimelinessJudge, completion
from ..domain.units import Unit, unit_table

_a, _r, _u = assignment_table.c, requirement_table.c, unit_table.c


@dataclass(frozen=True)
class TreeRun:
    """One run in the tree, judged at `now`."""

    id: int
    requirement: str  # the requirement's key
    kind: RequirementKind
    title: str
    period: str
    due_on: date
    status: Status
    timeliness: Timeliness | None
    completion: Completion | None
    fulfilled_by: int | None  # the plan directive that fulfilled a `plan` run

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "requirement": self.requirement, "kind": self.kind.value,
            "title": self.title, "period": self.period, "due_on": self.due_on.isoformat(),
            "status": self.status.value, "status_label": self.status.label,
            "timeliness": self.timeliness.value if self.timeliness else None,
            "completion": self.completion.value if self.completion else None,
            "fulfilled_by": self.fulfilled_by,
        }


@dataclass(frozen=True)
class UnitNode:
    """A unit with runs under a directive, and the plans it issued in response."""

    id: int
    code: str
    name: str
    kind: str
    assignments: tuple[TreeRun, ...]
    directives: tuple[DirectiveNode, ...]
    counts: dict[str, int]  # "total", and per status, timeliness and completion value

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "code": self.code, "name": self.name, "kind": self.kind,
                "assignments": [r.as_json() for r in self.assignments],
                "directives": [d.as_json() for d in self.directives], "counts": self.counts}


@dataclass(frozen=True)
class DirectiveNode:
    """A directive, its units' runs, and the plans cited from it that no unit of it issued."""

    id: int
    key: str
    number_symbol: str
    doc_type: DocType
    title: str
    issued_on: date
    school_year: str
    issuer_code: str
    issuer_name: str
    units: tuple[UnitNode, ...]
    directives: tuple[DirectiveNode, ...]
    counts: dict[str, int]

    def as_json(self) -> dict[str, Any]:
        """The tree in `chidao status --json` and `chidao demo --json` (ISO dates)."""
        return {
            "id": self.id, "key": self.key, "number_symbol": self.number_symbol,
            "doc_type": self.doc_type.value, "title": self.title,
            "issued_on": self.issued_on.isoformat(), "school_year": self.school_year,
            "issuer": {"code": self.issuer_code, "name": self.issuer_name},
            "units": [u.as_json() for u in self.units],
            "directives": [d.as_json() for d in self.directives], "counts": self.counts,
        }


@dataclass(frozen=True)
class _UnitRef:
    id: int
    code: str
    name: str
    kind: str


def status_tree(
    session: Session, root: Directive, *, now: datetime, calendar: WorkingCalendar,
    soon_working_days: int = 3,
) -> DirectiveNode:
    directives, children = _directive_tree(session, root)
    judge = TimelinessJudge(now, calendar, soon_working_days)
    runs = _runs_by_directive(session, list(directives), judge)
    units = {u.id: u for u in session.exec(model_select(Unit).where(
        col(Unit.id).in_({d.issuer_id for d in directives.values()})))}
    return _directive_node(root, children, runs, units)


def _directive_tree(
    session: Session, root: Directive
) -> tuple[dict[int, Directive], dict[int, list[Directive]]]:
    assert root.id is not None
    directives = {root.id: root}
    children: dict[int, list[Directive]] = {}
    frontier = [root.id]
    while frontier:
        rows = session.exec(
            model_select(Citation.cited_id, Directive)
            .join(Directive, col(Directive.id) == col(Citation.directive_id))
            .where(col(Citation.cited_id).in_(frontier))
            .order_by(col(Directive.issued_on), col(Directive.id))
        ).all()
        frontier = []
        for cited_id, child in rows:
            if child.id is None or child.id in directives or cited_id is None:
                continue
            directives[child.id] = child
            children.setdefault(cited_id, []).append(child)
            frontier.append(child.id)
    return directives, children


def _runs_by_directive(
    session: Session, directive_ids: list[int], judge: TimelinessJudge
) -> dict[int, list[tuple[_UnitRef, TreeRun]]]:
    rows = session.execute(
        select(_a.id, _a.directive_id, _a.period, _a.due_on, _a.due_at, _a.status,
               _a.submitted_at, _a.fulfilled_by_id, _r.key, _r.kind, _r.title,
               _u.id.label("unit_id"), _u.code, _u.name, _u.kind.label("unit_kind"))
        .join(requirement_table, _r.id == _a.requirement_id)
        .join(unit_table, _u.id == _a.unit_id)
        .where(_a.directive_id.in_(directive_ids))
        .order_by(_u.id, _r.id, _a.period)
    )
    result: dict[int, list[tuple[_UnitRef, TreeRun]]] = {}
    for row in rows:
        run = TreeRun(
            id=row.id, requirement=row.key, kind=RequirementKind(row.kind), title=row.title,
            period=row.period, due_on=row.due_on, status=row.status,
            timeliness=judge.timeliness(row.status, row.due_on, row.due_at),
            completion=completion(row.submitted_at, row.due_at),
            fulfilled_by=row.fulfilled_by_id)
        unit = _UnitRef(row.unit_id, row.code, row.name, row.unit_kind)
        result.setdefault(row.directive_id, []).append((unit, run))
    return result


def _directive_node(
    directive: Directive, children: dict[int, list[Directive]],
    runs: dict[int, list[tuple[_UnitRef, TreeRun]]], units: dict[int | None, Unit],
) -> DirectiveNode:
    assert directive.id is not None
    unit_runs: dict[_UnitRef, list[TreeRun]] = {}
    for unit, run in runs.get(directive.id, []):
        unit_runs.setdefault(unit, []).append(run)
    plans: dict[int, list[DirectiveNode]] = {}
    loose: list[DirectiveNode] = []
    having_runs = {unit.id for unit in unit_runs}
    for child in children.get(directive.id, []):
        child_node = _directive_node(child, children, runs, units)
        if child.issuer_id in having_runs:
            plans.setdefault(child.issuer_id, []).append(child_node)
        else:
            loose.append(child_node)
    unit_nodes = tuple(
        UnitNode(unit.id, unit.code, unit.name, unit.kind, tuple(own),
                 tuple(plans.get(unit.id, [])), _counts(own, plans.get(unit.id, [])))
        for unit, own in unit_runs.items())
    issuer = units[directive.issuer_id]
    return DirectiveNode(
        id=directive.id, key=directive.key, number_symbol=directive.number_symbol,
        doc_type=DocType(directive.doc_type), title=directive.title,
        issued_on=directive.issued_on, school_year=directive.school_year,
        issuer_code=issuer.code, issuer_name=issuer.name, units=unit_nodes,
        directives=tuple(loose), counts=_counts([], [*unit_nodes, *loose]))


def _counts(runs: Sequence[TreeRun], nodes: Sequence[UnitNode | DirectiveNode]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for run in runs:
        counts["total"] += 1
        counts[run.status.value] += 1
        for judged in (run.timeliness, run.completion):
            if judged:
                counts[judged.value] += 1
    for node in nodes:
        counts.update(node.counts)
    return dict(counts)
