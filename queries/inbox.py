"""A unit's assignments across all directives, soonest deadline first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from chidao.domain.assignments import assignment_table
from chidao.domain.calendar import WorkingCalendar
from chidao.domain.directives import directive_table, format_number_symbol, requirement_table
from chidao.domain.status import CLOSED, Status
from chidao.domain.timeliness import TimelinessJudge, completion
from chidao.domain.units import Unit

_a, _r, _d = assignment_table.c, requirement_table.c, directive_table.c


def unit_assignments(
    session: Session, unit: Unit, *, now: datetime, calendar: WorkingCalendar,
    soon_working_days: int = 3, include_closed: bool = False,
) -> list[dict[str, Any]]:
    query = (
        select(_a.id, _a.period, _a.due_on, _a.due_at, _a.status, _a.submitted_at,
               _r.kind, _r.title, _d.key, _d.number, _d.symbol)
        .join(requirement_table, _r.id == _a.requirement_id)
        .join(directive_table, _d.id == _a.directive_id)
        .where(_a.unit_id == unit.id)
        .order_by(_a.due_on, _a.id)
    )
    if not include_closed:
        query = query.where(_a.status.not_in([s.value for s in CLOSED]))
    judge = TimelinessJudge(now, calendar, soon_working_days)
    result = []
    for row in session.execute(query).mappings():
        status = Status(row["status"])
        timeliness = judge.timeliness(status, row["due_on"], row["due_at"])
        done = completion(row["submitted_at"], row["due_at"])
        result.append({
            "id": row["id"], "directive": row["key"],
            "number_symbol": format_number_symbol(row["number"], row["symbol"]),
            "kind": row["kind"], "title": row["title"], "period": row["period"],
            "due_on": row["due_on"].isoformat(), "status": status.value,
            "timeliness": timeliness.value if timeliness else None,
            "completion": done.value if done else None,
        })
    return result
