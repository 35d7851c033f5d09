"""A unit's assignments across all directives, soonest deadline first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from ..domain.assignments import assignment_table
from ..domain.calendar import WorkingCalendar
from ..domain.directives import (
    RequirementKind,
    directive_table,
    format_number_symbol,
    requirement_table,
)
from ..domain.status import CLOSED, Status
from ..domain.timeliness import Completion, Timeliness, TimelinessJudge, completion
from ..domain.units import Unit

_a, _r, _d = assignment_table.c, requirement_table.c, directive_table.c


@dataclass(frozen=True)
class InboxRun:
    """One of the unit's runs, judged at `now`: `timeliness` while the unit owes it,
    `completion` once handed in."""

    id: int
    directive: str  # the directive's key
    number_symbol: str
    kind: RequirementKind
    title: str
    period: str
    due_on: date
    status: Status
    timeliness: Timeliness | None
    completion: Completion | None

    @property
    def progress(self) -> Timeliness | Completion | None:
        return self.timeliness or self.completion

    def as_json(self) -> dict[str, Any]:
        """The row in the JSON API and `chidao assignments --json` (ISO date, enum values)."""
        return {
            "id": self.id, "directive": self.directive, "number_symbol": self.number_symbol,
            "kind": self.kind.value, "title": self.title, "period": self.period,
            "due_on": self.due_on.isoformat(), "status": self.status.value,
            "timeliness": self.timeliness.value if self.timeliness else None,
            "completion": self.completion.value if self.completion else None,
        }


def unit_assignments(
    session: Session, unit: Unit, *, now: datetime, calendar: WorkingCalendar,
    soon_working_days: int = 3, include_closed: bool = False,
) -> list[InboxRun]:
    query = (
        select(_a.id, _a.period, _a.due_on, _a.due_at, _a.status, _a.submitted_at,
               _r.kind, _r.title, _d.key, _d.number, _d.symbol)
        .join(requirement_table, _r.id == _a.requirement_id)
        .join(directive_table, _d.id == _a.directive_id)
        .where(_a.unit_id == unit.id)
        .order_by(_a.due_on, _a.id)
    )
    if not include_closed:
        query = query.where(_a.status.not_in(sorted(CLOSED)))
    judge = TimelinessJudge(now, calendar, soon_working_days)
    return [
        InboxRun(
            id=row.id, directive=row.key,
            number_symbol=format_number_symbol(row.number, row.symbol),
            kind=RequirementKind(row.kind), title=row.title, period=row.period,
            due_on=row.due_on, status=row.status,
            timeliness=judge.timeliness(row.status, row.due_on, row.due_at),
            completion=completion(row.submitted_at, row.due_at),
        )
        for row in session.execute(query)
    ]
