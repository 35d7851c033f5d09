"""Recompute open runs' deadlines when what they come from moves — a calendar decision, a
closure, an extension of the deadline they are derived from — and let their reminder ladders
follow: each moved run gets its new deadline, an audit event saying why, and is handed back to
the sweep at once (which works out its ladder from the new deadline)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlmodel import Session

from ..db.bulk import insert_rows, update_rows
from ..domain.assignments import assignment_event_table, assignment_table, next_action_at
from ..domain.calendar import WorkingCalendar
from ..domain.closures import Closure, closed_days, shift_for_closures
from ..domain.directives import Citation, directive_table, requirement_table
from ..domain.rules import Rules
from ..domain.status import CLOSED, Status
from ..domain.units import unit_table
from ..queries.closures import IN_LIST_MAX, closures_over
from .deadline_bases import DeadlineBases, RunBasis

_a, _r, _d, _u = assignment_table.c, requirement_table.c, directive_table.c, unit_table.c


@dataclass(frozen=True, kw_only=True)
class _Open(RunBasis):
    status: Status
    due_on: date
    hand_at: datetime | None
    since: date  # the local day the unit received the task


def refresh_deadlines(
    session: Session, *, calendar: WorkingCalendar, rules: Rules, now: datetime, reason: str,
    actor: str = "chidao", requirement_ids: Collection[int] | None = None,
    unit_ids: Collection[int] | None = None, verb: str = "Đổi hạn", by_person: str = "",
    on_behalf_of: str = "",
) -> int:
    """Recompute the open runs (all, or those of `requirement_ids` and/or of `unit_ids`), then
    the runs derived from them in directives that cite theirs, and so on down. Returns how
    many runs moved. Each moved run's audit says "<verb> dd/mm/yyyy → dd/mm/yyyy: <reason>"
    (a derived one says it follows the deadline it was given). In the caller's transaction;
    one requirement's runs at a time, so memory stays that of the largest requirement."""
    refresher = _Refresher(session, DeadlineBases(session, calendar, rules), calendar, now,
                           actor, unit_ids)
    refresher.person = (by_person, on_behalf_of)
    sources = refresher.run(requirement_ids, f"{verb} {{old}} → {{new}}: {reason}")
    seen = set(requirement_ids or ())
    while sources:
        derived = _derived_requirements(session, sources) - seen
        if not derived:
            break
        seen |= derived
        refresher.units = None  # a derived deadline moves wherever its unit is
        sources = refresher.run(derived, f"Đổi hạn {{old}} → {{new}}: theo hạn của đơn vị giao"
                                         f" ({reason})") | derived
    return refresher.moved


class _Refresher:
    def __init__(self, session: Session, bases: DeadlineBases, calendar: WorkingCalendar,
                 now: datetime, actor: str, unit_ids: Collection[int] | None) -> None:
        self.session, self.bases, self.calendar = session, bases, calendar
        self.now, self.actor, self.moved = now, actor, 0
        self.person = ("", "")  # (by_person, on_behalf_of) of the events written
        self.units = set(unit_ids) if unit_ids is not None else None
        # Closures are few: all of those in force, once (an IN list of 36,000 units is not).
        self.closures = closures_over(session)

    def run(self, requirement_ids: Collection[int] | None, template: str) -> set[int]:
        """Refresh those requirements' open runs (None: every requirement with an open run
        here); the ids of the requirements that had a run moved."""
        ids = (sorted(requirement_ids) if requirement_ids is not None
               else _open_requirements(self.session, self.units))
        touched = set()
        for requirement_id in ids:
            if self._requirement(requirement_id, template):
                touched.add(requirement_id)
        return touched

    def _requirement(self, requirement_id: int, template: str) -> int:
        moved: list[tuple[_Open, date]] = []
        for run in _open_runs(self.session, self.calendar, requirement_id, self.units):
            if self.units is not None and run.unit_id not in self.units:
                continue
            base = self.bases.of(run)
            if base is None:
                continue
            new_due = _with_closures(base, run, self.closures.get(run.unit_id, []),
                                     self.calendar)
            if new_due != run.due_on:
                moved.append((run, new_due))
        now, ends, words = self.now, {}, {}  # per distinct day, not per run
        for _run, new in moved:
            if new not in ends:
                ends[new] = self.calendar.end_of_day(new)
        update_rows(self.session, assignment_table, ("due_on", "due_at", "next_action_at"),
                    ("id",), [(new, ends[new], next_action_at(run.status, now), run.id)
                              for run, new in moved])
        for run, new in moved:
            if (run.due_on, new) not in words:
                words[run.due_on, new] = template.format(old=f"{run.due_on:%d/%m/%Y}",
                                                         new=f"{new:%d/%m/%Y}")
        insert_rows(self.session, assignment_event_table,
                    ("assignment_id", "at", "actor", "from_status", "to_status", "reason",
                     "by_person", "on_behalf_of"),
                    [(run.id, now, self.actor, run.status, run.status, words[run.due_on, new],
                      *self.person) for run, new in moved], unique=("id",))
        self.moved += len(moved)
        return len(moved)


def _with_closures(
    base: date, run: _Open, closures: Iterable[Closure], calendar: WorkingCalendar
) -> date:
    """The base deadline moved by the unit's closures: it gets back the working days they took
    after it received the task (a day set by hand already accounts for the closures declared
    before it was set), and never falls on a closed day."""
    closures = list(closures)
    if not closures:
        return base
    counted = [c for c in closures if run.hand_at is None or c.declared_at > run.hand_at]
    shifted = shift_for_closures(base, run.since, calendar,
                                 calendar.with_closed(closed_days(counted)))
    return calendar.with_closed(closed_days(closures)).roll_forward(shifted)


def _in_units(query: Select[Any], units: set[int] | None) -> Select[Any]:
    if units is not None and len(units) <= IN_LIST_MAX:  # else filtered in Python
        return query.where(_a.unit_id.in_(sorted(units)))
    return query


def _open_requirements(session: Session, units: set[int] | None) -> list[int]:
    query = select(_a.requirement_id).distinct().where(_a.status.not_in(sorted(CLOSED)))
    return list(session.execute(_in_units(query, units).order_by(_a.requirement_id)).scalars())


def _open_runs(session: Session, calendar: WorkingCalendar, requirement_id: int,
               units: set[int] | None) -> list[_Open]:
    query = _in_units(select(
        _a.id, _a.requirement_id, _a.unit_id, _a.period, _a.due_hand_on, _u.kind, _a.status,
        _a.due_on, _a.due_hand_at, _a.created_at).join(unit_table, _u.id == _a.unit_id).where(
        _a.requirement_id == requirement_id, _a.status.not_in(sorted(CLOSED))), units)
    query = query.order_by(_a.id)
    return [_Open(rid, req, unit, period, hand_on, kind, status=status, due_on=due_on,
                  hand_at=hand_at, since=calendar.local_date(created))
            for rid, req, unit, period, hand_on, kind, status, due_on, hand_at, created
            in session.execute(query)]


def _derived_requirements(session: Session, sources: Collection[int]) -> set[int]:
    """Requirements whose deadline is derived (before_parent) from one of `sources`: in a
    directive citing the source's directive, naming the source's key."""
    source_rows = session.execute(
        select(_r.id, _r.directive_id, _r.key).where(_r.id.in_(sorted(sources)))).all()
    keys = {(directive_id, key) for _id, directive_id, key in source_rows}
    candidates = session.execute(
        select(_r.id, _r.due, Citation.cited_id)  # type: ignore[call-overload]
        .join(Citation, Citation.directive_id == _r.directive_id)
        .where(Citation.cited_id.in_(sorted({d for d, _k in keys})))).all()  # type: ignore[union-attr]
    return {rid for rid, due, cited_id in candidates
            if (cited_id, (due or {}).get("before_parent")) in keys}
