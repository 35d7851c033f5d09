"""The cascade view of a directive's family (chidao.queries.cascade_counts): at the top, per level
of the organisation tree, how many units issued their plan, reported, finished and are late,
and the on-time rate at each past deadline; below, one focused unit's subtree, the children
of the focus each rolled up over its own subtree. A fixed number of grouped statements
whatever the size of the tree; nothing below the focus's children is fetched row by row."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, case, func, select
from sqlmodel import Session

from ..domain.assignments import assignment_table
from ..domain.directives import Directive, RequirementKind, requirement_table
from ..domain.scope import in_subtree
from ..domain.status import AWAITING_UNIT
from ..domain.units import Unit, UnitKind, subtree_bounds, unit_ancestor_table, unit_table
from .cascade_counts import (
    ACTIVE,
    HANDED_IN,
    FamilyDirective,
    RunCounts,
    count_columns,
    family,
    late_condition,
    run_counts,
)

_a, _r, _u = assignment_table.c, requirement_table.c, unit_table.c
_level, _under = unit_ancestor_table.alias("level"), unit_ancestor_table.alias("under")
_KINDS = list(UnitKind)  # the order kinds are named in within a level: Phòng before Trường


@dataclass(frozen=True)
class UnitRef:
    id: int
    name: str
    kind: str  # its label: "Trường", "UBND xã/phường/đặc khu"…


@dataclass(frozen=True)
class ChildRow:
    """A child of the focus with its subtree's counts; `own`: runs of the child itself."""

    unit: UnitRef
    counts: RunCounts
    own: int
    plans: tuple[FamilyDirective, ...]  # what it issued in the family

    @property
    def has_below(self) -> bool:
        return self.counts.assigned > self.own

    @property
    def state(self) -> str:
        return "overdue" if self.counts.late else "due_soon" if self.counts.due_soon else (
            "on_track")


@dataclass(frozen=True)
class LevelSummary:
    """One depth of the tree under the top (0: the top itself): its units with runs."""

    depth: int
    kinds: tuple[str, ...]
    units: int
    plan_units: int  # units that owe a plan…
    plans_done: int  # …and have issued (handed in) every one
    report_units: int
    reports_done: int
    done_units: int  # every run handed in
    late_units: int  # at least one run late
    soon_units: int  # none late, at least one due soon

    @property
    def on_track_units(self) -> int:
        return self.units - self.late_units - self.soon_units


@dataclass(frozen=True)
class SeriesPoint:
    """At a past deadline: the runs due by then, and how many were handed in on time."""

    due_on: date
    due: int
    on_time: int

    @property
    def percent(self) -> float:
        return 100 * self.on_time / self.due


@dataclass(frozen=True)
class CascadeView:
    directive_id: int
    as_of: datetime
    top: UnitRef
    focus: UnitRef
    trail: tuple[UnitRef, ...]  # the top down to the focus
    total: RunCounts  # the focus's subtree
    own: RunCounts  # the focus's own runs
    children: tuple[ChildRow, ...]
    late_only: bool
    levels: tuple[LevelSummary, ...]
    series: tuple[SeriesPoint, ...]
    family: tuple[FamilyDirective, ...]
    # The first deadline after `as_of` in the family: the counts stay as they are until then
    # (or until the day changes: the due-soon window moves) unless a run changes.
    next_deadline: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "directive_id": self.directive_id, "as_of": self.as_of.isoformat(),
            "top": self.top.__dict__, "focus": self.focus.__dict__,
            "trail": [u.__dict__ for u in self.trail], "total": self.total.as_json(),
            "own": self.own.as_json(), "late_only": self.late_only,
            "children": [{"unit": c.unit.__dict__, "counts": c.counts.as_json(), "own": c.own,
                          "plans": [p.__dict__ for p in c.plans]} for c in self.children],
            "levels": [lv.__dict__ | {"kinds": list(lv.kinds)} for lv in self.levels],
            "series": [{"due_on": p.due_on.isoformat(), "due": p.due, "on_time": p.on_time}
                       for p in self.series],
            "family": [f.__dict__ for f in self.family]}


def cascade_view(session: Session, root: Directive, *, top: Unit, focus: Unit, now: datetime,
                 soon: datetime, late_only: bool = False) -> CascadeView:
    """`top`: the top of what the reader may see (chidao.queries.read_scope.figures_scope);
    `focus`: a unit of its subtree; `soon`: the end of the due-soon window. The focus's
    total is its own runs plus its children's (each child's counted over its subtree)."""
    if not in_subtree(focus.path, top.path):
        raise ValueError("the focus lies outside the reader's subtree")
    members = family(session, root.id or 0)
    issuer = root.issuer_id
    runs = and_(_a.directive_id.in_([m.id for m in members]), ACTIVE)
    own = run_counts(session.execute(
        select(*count_columns(now, soon)).where(runs, _a.unit_id == focus.id)).one())
    children = _children(session, runs, focus, issuer, members, now, soon)
    total = sum((c.counts for c in children), own)
    shown = [m for m in members if m.id == root.id or in_subtree(m.issuer_path, top.path)]
    view = CascadeView(
        directive_id=root.id or 0, as_of=now, top=_ref(top), focus=_ref(focus),
        trail=_trail(session, top, focus), total=total, own=own, children=children,
        late_only=False, levels=_levels(session, runs, top, issuer, now, soon),
        series=_series(session, runs, top, issuer, now), family=tuple(shown),
        next_deadline=session.execute(select(func.min(_a.due_at)).where(
            runs, _a.due_at > now)).scalar())
    return only_late(view) if late_only else view


def only_late(view: CascadeView) -> CascadeView:
    """The same view listing only the children with a late run in their subtree."""
    return replace(view, late_only=True,
                   children=tuple(c for c in view.children if c.counts.late))


def _ref(unit: Unit) -> UnitRef:
    return UnitRef(unit.id or 0, unit.name, UnitKind(unit.kind).label)


def _within(query: Select[Any], unit: Unit, issuer_id: int) -> Select[Any]:
    """Only the runs in `unit`'s subtree (the whole family's runs lie below the root's
    issuer: nothing to filter there)."""
    if unit.id == issuer_id:
        return query
    low, high = subtree_bounds(unit.path)
    return query.join(unit_table, _u.id == _a.unit_id).where(_u.path >= low, _u.path < high)


def _trail(session: Session, top: Unit, focus: Unit) -> tuple[UnitRef, ...]:
    ids = [int(part) for part in focus.path.strip("/").split("/") if part]
    rows = session.execute(select(_u.id, _u.name, _u.kind).where(
        _u.id.in_(ids), _u.depth >= top.depth).order_by(_u.depth))
    return tuple(UnitRef(uid, name, UnitKind(kind).label) for uid, name, kind in rows)


def _children(session: Session, runs: Any, focus: Unit, issuer_id: int,
              members: list[FamilyDirective], now: datetime, soon: datetime
              ) -> tuple[ChildRow, ...]:
    """The focus's children whose subtree has runs: one grouped statement over the closure
    table (each run's ancestor at the children's depth), then their names and plans."""
    columns = count_columns(now, soon)
    query = (select(_level.c.ancestor_id, *columns,
                    func.sum(case((_a.unit_id == _level.c.ancestor_id, 1), else_=0)))
             .select_from(assignment_table)
             .join(_level, and_(_level.c.unit_id == _a.unit_id,
                                _level.c.depth == focus.depth + 1)).where(runs))
    if focus.id != issuer_id:
        query = query.join(_under, and_(_under.c.unit_id == _a.unit_id,
                                        _under.c.ancestor_id == focus.id))
    found = {row[0]: (run_counts(row[1:-1]), int(row[-1] or 0))
             for row in session.execute(query.group_by(_level.c.ancestor_id))}
    units = session.execute(select(_u.id, _u.name, _u.kind).where(_u.id.in_(list(found))))
    plans: dict[int, list[FamilyDirective]] = {}
    for member in members:
        plans.setdefault(member.issuer_id, []).append(member)
    rows = [ChildRow(UnitRef(uid, name, UnitKind(kind).label), *found[uid],
                     tuple(plans.get(uid, ()))) for uid, name, kind in units]
    return tuple(sorted(rows, key=lambda r: r.unit.name))


def _levels(session: Session, runs: Any, top: Unit, issuer_id: int, now: datetime,
            soon: datetime) -> tuple[LevelSummary, ...]:
    """Per depth below the top: one statement grouping the runs by unit, then the units by
    depth and kind."""
    def flag(condition: Any) -> Any:
        return func.max(case((condition, 1), else_=0))

    plan, report = (_r.kind == RequirementKind.PLAN.value,
                    _r.kind == RequirementKind.REPORT.value)
    open_run = _a.status.not_in(HANDED_IN)
    per_unit = _within(
        select(_a.unit_id, flag(plan).label("plan"), flag(and_(plan, open_run)).label("plan_open"),
               flag(report).label("report"),
               flag(and_(report, open_run)).label("report_open"),
               flag(open_run).label("open"), flag(late_condition(now)).label("late"),
               flag(and_(_a.status.in_(list(AWAITING_UNIT)), _a.due_at > now,
                         _a.due_at <= soon)).label("soon"))
        .select_from(assignment_table).join(requirement_table, _r.id == _a.requirement_id)
        .where(runs), top, issuer_id).group_by(_a.unit_id).subquery()
    rows = session.execute(
        select(_u.depth, _u.kind, func.count(), func.sum(per_unit.c.plan),
               func.sum(per_unit.c.plan - per_unit.c.plan_open), func.sum(per_unit.c.report),
               func.sum(per_unit.c.report - per_unit.c.report_open),
               func.sum(1 - per_unit.c.open), func.sum(per_unit.c.late),
               func.sum(per_unit.c.soon * (1 - per_unit.c.late)))
        .join(unit_table, _u.id == per_unit.c.unit_id)
        .group_by(_u.depth, _u.kind))
    levels: dict[int, list[Any]] = {}
    for depth, kind, *numbers in sorted(rows, key=lambda r: (r[0], _KINDS.index(r[1]))):
        levels.setdefault(depth - top.depth, []).append((kind, [int(n or 0) for n in numbers]))
    return tuple(
        LevelSummary(depth, tuple(UnitKind(kind).label for kind, _ in parts),
                     *(sum(values[i] for _, values in parts) for i in range(8)))
        for depth, parts in sorted(levels.items()))


def _series(session: Session, runs: Any, top: Unit, issuer_id: int, now: datetime
            ) -> tuple[SeriesPoint, ...]:
    """At each past deadline of the top's subtree, the runs due by then (all deadlines up to
    it) and how many of them were handed in before their own deadline."""
    on_time = and_(_a.submitted_at.is_not(None), _a.submitted_at < _a.due_at)
    rows = session.execute(_within(
        select(_a.due_on, func.count(), func.sum(case((on_time, 1), else_=0)))
        .select_from(assignment_table).where(runs, _a.due_at <= now), top, issuer_id)
        .group_by(_a.due_on).order_by(_a.due_on))
    points, due, done = [], 0, 0
    for due_on, count, on_time_count in rows:
        due, done = due + int(count), done + int(on_time_count or 0)
        points.append(SeriesPoint(due_on, due, done))
    return tuple(points)
