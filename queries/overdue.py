"""The overdue board: late runs of a unit's subtree and of what its subtree issued, latest
deadline first, a page at a time (one statement)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlmodel import Session

from ..domain.assignments import assignment_table
from ..domain.calendar import WorkingCalendar
from ..domain.closures import closed_days
from ..domain.directives import directive_table, format_number_symbol, requirement_table
from ..domain.status import AWAITING_UNIT
from ..domain.units import Unit, subtree_bounds, unit_table
from .closures import closures_over

_a, _d, _r, _u = assignment_table.c, directive_table.c, requirement_table.c, unit_table.c
_issuer = unit_table.alias("issuer")


@dataclass(frozen=True)
class LateRun:
    id: int
    unit: str  # the name of the unit that must do it
    directive_id: int
    number_symbol: str
    title: str  # the requirement's
    due_on: date
    days: int  # working days late


def late_runs(session: Session, under: Unit, *, now: datetime, calendar: WorkingCalendar,
              page: int, per_page: int = 100) -> tuple[list[LateRun], bool]:
    """(the page's late runs, whether a next page has some)."""
    low, high = subtree_bounds(under.path)
    rows = session.execute(
        select(_a.id, _a.unit_id, _u.name, _d.id, _d.number, _d.symbol, _r.title, _a.due_on)
        .join(unit_table, _u.id == _a.unit_id).join(directive_table, _d.id == _a.directive_id)
        .join(requirement_table, _r.id == _a.requirement_id)
        .join(_issuer, _issuer.c.id == _d.issuer_id)
        .where(_a.status.in_(list(AWAITING_UNIT)), _a.due_at <= now,
               or_(_u.path.between(low, high), _issuer.c.path.between(low, high)))
        .order_by(_a.due_on.desc(), _u.name).limit(per_page + 1).offset(page * per_page)).all()
    today = calendar.local_date(now)
    shown = rows[:per_page]
    # A unit closed since its deadline (storm, flood) is not late on the days it was closed.
    closures = closures_over(session, {row[1] for row in shown})
    late = [LateRun(rid, name, did, format_number_symbol(number, symbol), title, due,
                    calendar.with_closed(closed_days(closures.get(unit_id, [])))
                    .working_days_between(due, today))
            for rid, unit_id, name, did, number, symbol, title, due in shown]
    return late, len(rows) > per_page
