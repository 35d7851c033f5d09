"""`chidao status` at any size: a directive's family (the directive and every plan citing it,
chidao.queries.cascade_counts.family) counted per level of the unit tree below a focus, per
node down to a depth, the late units, or the whole tree as a stream of rows. Each is one
set-based statement (GROUP BY over the runs joined to unit / the closure table
unit_ancestor) with the cascade view's column definitions (count_columns: withdrawn and
waived runs do not count), so the figures agree with the cascade page's; nothing is built
per unit in Python, and the row streams are read as they are printed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Text, and_, cast, exists, func, literal, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from ..db.lookup import unit_by_code
from ..domain.assignments import assignment_table
from ..domain.calendar import WorkingCalendar
from ..domain.directives import (
    Directive,
    RequirementKind,
    directive_table,
    format_number_symbol,
    requirement_table,
)
from ..domain.errors import InvalidInput
from ..domain.scope import in_subtree
from ..domain.status import Status
from ..domain.timeliness import TimelinessJudge
from ..domain.units import Unit, UnitKind, subtree_bounds, unit_ancestor_table, unit_table
from .cascade_counts import ACTIVE, RunCounts, count_columns, family, late_condition, run_counts

_a, _d, _r, _u = assignment_table.c, directive_table.c, requirement_table.c, unit_table.c
_node = unit_ancestor_table.alias("node")
STREAM = {"stream_results": True, "yield_per": 1000}  # server-side cursor where there is one
_SORTS_FIRST = "\x01"  # below every character a unit code holds


def soon_until(now: datetime, calendar: WorkingCalendar, soon_working_days: int) -> datetime:
    """The end of the last day that counts as due soon: the pages' window
    (chidao.queries.listings.due_window), without loading the pages' read models."""
    return calendar.end_of_day(TimelinessJudge(now, calendar, soon_working_days).soon_until)


@dataclass(frozen=True)
class StatusFocus:
    """Where `chidao status` looks: the family's directives and the unit whose subtree is
    counted (the root's issuer unless --unit names one of its tree)."""

    directive_ids: tuple[int, ...]
    unit_id: int
    code: str
    name: str
    kind: str  # its label: "Sở", "Trường"…
    path: str
    depth: int

    def runs(self) -> ColumnElement[bool]:
        """The live runs of the family in the focus's subtree (the caller joins `unit`)."""
        low, high = subtree_bounds(self.path)
        return and_(_a.directive_id.in_(self.directive_ids), ACTIVE, _u.path >= low,
                    _u.path < high)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "kind": self.kind}


def status_focus(session: Session, root: Directive, unit_code: str | None = None) -> StatusFocus:
    """The focus: the root's issuer, or `unit_code` when it lies in the directive's tree (it
    or a unit below it has a live run of the family); InvalidInput("unit") otherwise."""
    members = tuple(m.id for m in family(session, root.id or 0))
    issuer = session.get(Unit, root.issuer_id)
    assert issuer is not None
    unit = issuer if unit_code is None else unit_by_code(session, unit_code.strip())
    focus = StatusFocus(members, unit.id or 0, unit.code, unit.name, UnitKind(unit.kind).label,
                        unit.path, unit.depth)
    if unit_code is None:
        return focus
    if not in_subtree(unit.path, issuer.path):
        raise InvalidInput("unit", f"'{unit.code}' ({unit.name}) is not in the tree of"
                                   f" {root.number_symbol}: not {issuer.code} nor below it")
    has_runs = session.execute(select(exists(
        select(_a.id).join(unit_table, _u.id == _a.unit_id).where(focus.runs())))).scalar()
    if not has_runs:
        raise InvalidInput("unit", f"'{unit.code}' ({unit.name}) has no run of"
                                   f" {root.number_symbol} or its plans, nor has any unit"
                                   " below it")
    return focus


@dataclass(frozen=True)
class LevelCounts:
    """The runs of one level below the focus (0: the focus itself), over its units."""

    level: int
    kinds: tuple[str, ...]
    counts: RunCounts

    def as_json(self) -> dict[str, Any]:
        return {"level": self.level, "kinds": list(self.kinds)} | self.counts.as_json()


def level_summary(session: Session, focus: StatusFocus, *, now: datetime, soon: datetime
                  ) -> list[LevelCounts]:
    """Per level below the focus: one statement grouping the runs by their unit's depth and
    kind (a unit has one kind, so its level's unit counts add up over kinds)."""
    rows = session.execute(
        select(_u.depth, _u.kind, *count_columns(now, soon)).select_from(assignment_table)
        .join(unit_table, _u.id == _a.unit_id).where(focus.runs())
        .group_by(_u.depth, _u.kind))
    levels: dict[int, list[tuple[UnitKind, RunCounts]]] = {}
    for depth, kind, *values in rows:
        levels.setdefault(depth - focus.depth, []).append((UnitKind(kind), run_counts(values)))
    order = list(UnitKind)
    return [LevelCounts(level, tuple(k.label for k, _ in sorted(parts, key=lambda p:
                                                                   order.index(p[0]))),
                        sum((c for _, c in parts), RunCounts()))
            for level, parts in sorted(levels.items())]


@dataclass(frozen=True)
class NodeRow:
    """A unit of the tree with its subtree's counts; `level` below the focus."""

    level: int
    code: str
    name: str
    kind: str
    counts: RunCounts
    unit_id: int

    def as_json(self) -> dict[str, Any]:
        return {"type": "unit", "level": self.level, "code": self.code, "name": self.name,
                "kind": self.kind, "counts": self.counts.as_json()}


def node_rows(session: Session, focus: StatusFocus, *, now: datetime, soon: datetime,
              depth: int | None = None) -> Iterator[NodeRow]:
    """The units down to `depth` levels below the focus (None: all) whose subtree has runs,
    each with its subtree's counts, depth first, siblings by code: one statement grouping
    each run under every ancestor of its unit (unit_ancestor), in the outline's order."""
    bottom = [] if depth is None else [_node.c.depth <= focus.depth + depth]
    counted = (select(_node.c.ancestor_id, *count_columns(now, soon))
               .select_from(assignment_table).join(unit_table, _u.id == _a.unit_id)
               .join(_node, and_(_node.c.unit_id == _a.unit_id,
                                 _node.c.depth >= focus.depth, *bottom))
               .where(focus.runs()).group_by(_node.c.ancestor_id).subquery())
    values = [c for c in counted.c if c.name != "ancestor_id"]
    outline = _outline(focus, depth)
    query = (select(_u.id, _u.code, _u.name, _u.kind, _u.depth, *values)
             .join(counted, counted.c.ancestor_id == _u.id)
             .join(outline, outline.c.id == _u.id).order_by(_in_order(session, outline)))
    for unit_id, code, name, kind, unit_depth, *numbers in session.execute(
            query.execution_options(**STREAM)):
        yield NodeRow(unit_depth - focus.depth, code, name, UnitKind(kind).label,
                      run_counts(numbers), unit_id)


def _outline(focus: StatusFocus, depth: int | None) -> Any:
    """The focus's subtree (to `depth` levels) with a key that sorts it depth first, siblings
    by code: the codes from the focus down, joined by a character below any code's."""
    top = (select(_u.id.label("id"), cast(_u.code, Text).label("key"))
           .where(_u.id == focus.unit_id).cte("outline", recursive=True))
    child = unit_table.alias("child")
    step = (select(child.c.id, cast(top.c.key + literal(_SORTS_FIRST, Text) + child.c.code,
                                    Text))
            .join(top, child.c.parent_id == top.c.id))
    if depth is not None:
        step = step.where(child.c.depth <= focus.depth + depth)
    return top.union_all(step)


def _in_order(session: Session, outline: Any) -> Any:
    """The outline's key compared byte by byte (PostgreSQL's collations skip control
    characters; SQLite compares bytes already)."""
    bind = session.get_bind()
    return outline.c.key.collate("C") if bind.dialect.name == "postgresql" else outline.c.key


@dataclass(frozen=True)
class RunRow:
    """A live run in the tree, under its unit's row."""

    level: int
    id: int
    number_symbol: str
    requirement: str
    kind: RequirementKind
    period: str
    due_on: date
    status: Status
    late: bool

    def as_json(self) -> dict[str, Any]:
        return {"type": "run", "level": self.level, "id": self.id,
                "directive": self.number_symbol, "requirement": self.requirement,
                "kind": self.kind.value, "period": self.period,
                "due_on": self.due_on.isoformat(), "status": self.status.value,
                "late": self.late}


def tree_rows(session: Session, focus: StatusFocus, *, now: datetime, soon: datetime,
              depth: int | None = None) -> Iterator[NodeRow | RunRow]:
    """The whole tree as a stream: each unit's row, then its own runs. Two statements read
    side by side, both in the outline's order, merged as they are read (nothing is kept)."""
    outline = _outline(focus, depth)
    runs = iter(session.execute(
        select(_u.id.label("unit_id"), _u.depth, _a.id, _d.number, _d.symbol, _r.title,
               _r.kind, _a.period, _a.due_on, _a.status, late_condition(now))
        .select_from(assignment_table).join(unit_table, _u.id == _a.unit_id)
        .join(outline, outline.c.id == _u.id)
        .join(requirement_table, _r.id == _a.requirement_id)
        .join(directive_table, _d.id == _a.directive_id)
        .where(focus.runs()).order_by(_in_order(session, outline), _a.due_on, _a.id)
        .execution_options(**STREAM)))
    pending = next(runs, None)
    for node in node_rows(session, focus, now=now, soon=soon, depth=depth):
        yield node
        while pending is not None and pending.unit_id == node.unit_id:
            yield RunRow(pending.depth - focus.depth, pending.id,
                         format_number_symbol(pending.number, pending.symbol), pending.title,
                         RequirementKind(pending.kind), pending.period, pending.due_on,
                         Status(pending.status), bool(pending[-1]))
            pending = next(runs, None)


@dataclass(frozen=True)
class LateUnit:
    """A unit owing runs past their deadline: the oldest such deadline, how long ago."""

    level: int
    code: str
    name: str
    kind: str
    deadline: date
    days_late: int
    working_days_late: int
    late_runs: int

    def as_json(self) -> dict[str, Any]:
        return self.__dict__ | {"deadline": self.deadline.isoformat()}


def late_units(session: Session, focus: StatusFocus, *, now: datetime,
               calendar: WorkingCalendar, depth: int | None = None) -> Iterator[LateUnit]:
    """The units with a late run (awaiting them, deadline passed: the cascade view's `late`),
    the longest late first: one grouped statement, read as printed."""
    bottom = [] if depth is None else [_u.depth <= focus.depth + depth]
    today = calendar.local_date(now)
    working: dict[date, int] = {}
    oldest = func.min(_a.due_on)
    rows = session.execute(
        select(_u.code, _u.name, _u.kind, _u.depth, oldest, func.count())
        .select_from(assignment_table).join(unit_table, _u.id == _a.unit_id)
        .where(focus.runs(), late_condition(now), *bottom)
        .group_by(_u.id, _u.code, _u.name, _u.kind, _u.depth, _u.path)
        .order_by(oldest, _u.code).execution_options(**STREAM))
    for code, name, kind, unit_depth, deadline, count in rows:
        if deadline not in working:
            working[deadline] = max(calendar.working_days_between(deadline, today), 0)
        yield LateUnit(unit_depth - focus.depth, code, name, UnitKind(kind).label, deadline,
                       max((today - deadline).days, 0), working[deadline], int(count))
