"""A directive's run counts per child of a unit, read from the kept rollup rows (chidao.domain.
rollups): one row per child with children, requirement, period and deadline, a leaf child's
from its own runs; a level of the cascade tree costs O(its children) whatever lies below them.
Late and due soon are summed at read time over the rows whose deadline is passed (or falls in
the due-soon window)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, literal, select, union_all
from sqlmodel import Session

from ..domain.assignments import assignment_table
from ..domain.directives import requirement_table
from ..domain.rollups import has_children, rollup_count_table
from ..domain.status import AWAITING_UNIT, Status
from ..domain.units import unit_table

_rc, _r, _a, _u = rollup_count_table.c, requirement_table.c, assignment_table.c, unit_table.c
HANDED_IN = (Status.SUBMITTED, Status.ACCEPTED)


def child_counts(session: Session, directive_id: int, parent_id: int, now: datetime,
                 soon: datetime) -> list[tuple[int, str, int, int, int, int]]:
    """(child id, name, runs, handed in, late, due soon) for each child of `parent_id` whose
    subtree holds runs of the directive (every run: withdrawn and waived ones too)."""
    requirements = select(_r.id).where(_r.directive_id == directive_id).scalar_subquery()
    children = session.execute(select(_u.id, has_children()).where(
        _u.parent_id == parent_id)).all()
    kept = (select(_rc.unit_id.label("unit_id"), _rc.runs, _rc.handed_in, _rc.awaiting,
                   _rc.due_at)
            .where(_rc.requirement_id.in_(requirements),
                   _rc.unit_id.in_([uid for uid, inner in children if inner])))
    leaf = (select(_a.unit_id, literal(1), _one(_a.status.in_(list(HANDED_IN))),
                   _one(_a.status.in_(list(AWAITING_UNIT))), _a.due_at)
            .where(_a.requirement_id.in_(requirements),
                   _a.unit_id.in_([uid for uid, inner in children if not inner])))
    rows = union_all(kept, leaf).subquery()

    def awaiting(condition: Any) -> Any:
        return func.sum(case((condition, rows.c.awaiting), else_=0))

    found = session.execute(
        select(rows.c.unit_id, func.sum(rows.c.runs), func.sum(rows.c.handed_in),
               awaiting(rows.c.due_at <= now),
               awaiting(and_(rows.c.due_at > now, rows.c.due_at <= soon)))
        .group_by(rows.c.unit_id).having(func.sum(rows.c.runs) > 0)).all()
    names = dict(session.execute(select(_u.id, _u.name).where(
        _u.id.in_([row[0] for row in found]))).tuples().all())
    return [(uid, names[uid], int(total), int(done or 0), int(late or 0), int(due or 0))
            for uid, total, done, late, due in found]


def _one(condition: Any) -> Any:
    return case((condition, 1), else_=0)
