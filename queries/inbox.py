"""A unit's assignments across all directives, soonest deadline first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, literal_column, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from ..domain.assignments import assignment_table
from ..domain.calendar import WorkingCalendar
from ..domain.deadline_words import deadline_words
from ..domain.directives import (
    RequirementKind,
    directive_table,
    format_number_symbol,
    requirement_table,
)
from ..domain.status import AWAITING_UNIT, CLOSED, Status
from ..domain.timeliness import Completion, Timeliness, TimelinessJudge, completion
from ..domain.units import Unit, unit_table
from .closures import unit_calendar

_a, _r, _d = assignment_table.c, requirement_table.c, directive_table.c
_issuer = aliased(unit_table)


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
    directive_id: int = 0
    directive_title: str = ""
    issuer_name: str = ""  # the unit that gave the task
    deadline: str = ""  # in words while the unit owes it ("còn 2 ngày làm việc")

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
    """The unit's open runs (with `include_closed`, all its runs), soonest deadline first.
    The open ones are read through the partial index of open runs (migration 0017): the
    WHERE repeats its predicate, constants and all, so history costs them nothing."""
    query = _runs_of(unit).order_by(_a.due_on, _a.id)
    if not include_closed:
        query = query.where(open_run())
    return _judged(session, unit, query, now, calendar, soon_working_days)


def recent_closed(
    session: Session, unit: Unit, *, now: datetime, calendar: WorkingCalendar, limit: int,
    soon_working_days: int = 3,
) -> list[InboxRun]:
    """The unit's `limit` closed runs (accepted, cancelled, waived) due last, latest first
    (same deadline: in the order given): what the inbox page shows of its history."""
    query = (_runs_of(unit).where(_a.status.in_(sorted(CLOSED)))
             .order_by(_a.due_on.desc(), _a.id).limit(limit))
    return _judged(session, unit, query, now, calendar, soon_working_days)


def open_run() -> ColumnElement[bool]:
    """`status NOT IN ('accepted', 'cancelled', 'waived')` with the values as SQL constants,
    as the partial index of open runs says it (OPEN_RUN_PREDICATE): a planner uses that index
    only for a WHERE that implies its predicate, which bound parameters do not."""
    return _a.status.not_in([literal_column(f"'{s.value}'") for s in sorted(CLOSED)])


def _runs_of(unit: Unit) -> Select[Any]:
    return (
        select(_a.id, _a.period, _a.due_on, _a.due_at, _a.status, _a.submitted_at,
               _r.kind, _r.title, _d.id.label("directive_id"), _d.key, _d.number, _d.symbol,
               _d.title.label("directive_title"), _issuer.c.name.label("issuer_name"))
        .join(requirement_table, _r.id == _a.requirement_id)
        .join(directive_table, _d.id == _a.directive_id)
        .join(_issuer, _issuer.c.id == _d.issuer_id)
        .where(_a.unit_id == unit.id)
    )


def _judged(session: Session, unit: Unit, query: Select[Any], now: datetime,
            calendar: WorkingCalendar, soon_working_days: int) -> list[InboxRun]:
    # Days the unit is closed (storm, flood) are not working days for it: "còn N ngày".
    assert unit.id is not None
    calendar = unit_calendar(session, calendar, unit.id)
    judge = TimelinessJudge(now, calendar, soon_working_days)
    return [
        InboxRun(
            id=row.id, directive=row.key,
            number_symbol=format_number_symbol(row.number, row.symbol),
            kind=RequirementKind(row.kind), title=row.title, period=row.period,
            due_on=row.due_on, status=row.status,
            timeliness=judge.timeliness(row.status, row.due_on, row.due_at),
            completion=completion(row.submitted_at, row.due_at),
            directive_id=row.directive_id, directive_title=row.directive_title,
            issuer_name=row.issuer_name,
            deadline=deadline_words(now, row.due_on, calendar, row.due_at)
            if Status(row.status).awaits_unit else "",
        )
        for row in session.execute(query)
    ]


@dataclass(frozen=True)
class ReviewRun:
    """A run handed in to the unit (it issued the directive) that awaits its review."""

    id: int
    unit_name: str
    title: str
    number_symbol: str
    submitted_at: datetime | None


def awaiting_review(session: Session, unit: Unit, limit: int = 100) -> list[ReviewRun]:
    """Runs of the directives `unit` issued that were handed in, oldest hand-in first."""
    owner = aliased(unit_table)
    return [ReviewRun(row.id, row.name, row.title, format_number_symbol(row.number, row.symbol),
                      row.submitted_at)
            for row in session.execute(
                select(_a.id, owner.c.name, _r.title, _d.number, _d.symbol, _a.submitted_at)
                .join(requirement_table, _r.id == _a.requirement_id)
                .join(directive_table, _d.id == _a.directive_id)
                .join(owner, owner.c.id == _a.unit_id)
                .where(_d.issuer_id == unit.id, _a.status == Status.SUBMITTED.value)
                .order_by(_a.status_changed_at, _a.id).limit(limit))]


def lands_on_inbox(session: Session, unit: Unit) -> bool:
    """A principal's home is the unit's tasks: a unit with no sub-units, or one that owes
    something (not yet received, received, or returned)."""
    owes = session.execute(select(_a.id).where(
        _a.unit_id == unit.id, _a.status.in_(sorted(AWAITING_UNIT))).limit(1)).first()
    if owes is not None:
        return True
    return session.execute(select(unit_table.c.id).where(
        unit_table.c.parent_id == unit.id).limit(1)).first() is None
