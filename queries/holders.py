"""Who holds what inside a unit (read only): a run's holders, the runs a person holds (their
personal inbox, "Việc của tôi"), and a unit's people with what each holds and who is late
(a personal deadline passed while the unit still owes the run)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from ..domain.accounts import User
from ..domain.assignments import assignment_table
from ..domain.calendar import WorkingCalendar
from ..domain.deadline_words import deadline_words
from ..domain.directives import directive_table, format_number_symbol, requirement_table
from ..domain.holding import late_in_person, name_key, personal_due
from ..domain.people import HolderRole, task_holder_table
from ..domain.status import CLOSED, Status
from ..domain.units import unit_table

_a, _r, _d, _h, _u = (assignment_table.c, requirement_table.c, directive_table.c,
                      task_holder_table.c, unit_table.c)
_user = User.__table__.c  # type: ignore[attr-defined]
_ROLE_ORDER = {role: i for i, role in enumerate(HolderRole)}


@dataclass(frozen=True)
class RunHolder:
    """One live holder of a run."""

    id: int
    user_id: int
    full_name: str
    username: str
    role: HolderRole
    due_on: date | None  # None = the unit's deadline
    note: str
    assigned_by: str
    assigned_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "user_id": self.user_id, "full_name": self.full_name,
                "username": self.username, "role": self.role.value,
                "role_label": self.role.label,
                "due_on": self.due_on.isoformat() if self.due_on else None,
                "note": self.note, "assigned_by": self.assigned_by,
                "assigned_at": self.assigned_at.isoformat()}


def run_holders(session: Session, assignment_id: int) -> list[RunHolder]:
    """The run's live holders: the chủ trì first, then phối hợp, then để biết."""
    rows = session.execute(
        select(_h.id, _h.user_id, _user.full_name, _user.username, _h.role, _h.due_on, _h.note,
               _h.assigned_by, _h.assigned_at)
        .join(User.__table__, _user.id == _h.user_id)  # type: ignore[attr-defined]
        .where(_h.assignment_id == assignment_id, _h.removed_at.is_(None))
        .order_by(_h.id))
    holders = [RunHolder(r[0], r[1], r[2], r[3], HolderRole(r[4]), *r[5:]) for r in rows]
    return sorted(holders, key=lambda h: (_ROLE_ORDER[h.role], name_key(h.full_name)))


@dataclass(frozen=True)
class HeldRun:
    """A run someone holds, with both deadlines; `late` when their own has passed while the
    unit still owes it."""

    assignment_id: int
    user_id: int
    role: HolderRole
    number_symbol: str
    directive_title: str
    title: str
    period: str
    unit_due_on: date
    due_on: date  # the person's own (the unit's when none was set)
    status: Status
    late: bool
    deadline: str = ""  # the person's deadline in words while the unit owes the run

    def as_json(self) -> dict[str, Any]:
        return {"assignment_id": self.assignment_id, "role": self.role.value,
                "role_label": self.role.label, "number_symbol": self.number_symbol,
                "directive_title": self.directive_title, "title": self.title,
                "period": self.period, "unit_due_on": self.unit_due_on.isoformat(),
                "due_on": self.due_on.isoformat(), "status": self.status.value,
                "status_label": self.status.label, "late": self.late,
                "deadline": self.deadline}


def held_runs(session: Session, user_ids: Iterable[int], *, now: datetime,
              calendar: WorkingCalendar, closed_too: bool = False) -> list[HeldRun]:
    """The runs the users hold now (live holders), soonest personal deadline first; closed
    runs (accepted, cancelled, waived) only with `closed_too`."""
    ids = sorted(set(user_ids))
    if not ids:
        return []
    query = (
        select(_a.id, _h.user_id, _h.role, _d.number, _d.symbol, _d.title, _r.title,
               _a.period, _a.due_on, _h.due_on, _a.status, _a.due_at)
        .join(assignment_table, _a.id == _h.assignment_id)
        .join(requirement_table, _r.id == _a.requirement_id)
        .join(directive_table, _d.id == _a.directive_id)
        .where(_h.user_id.in_(ids), _h.removed_at.is_(None)))
    if not closed_too:
        query = query.where(_a.status.not_in(sorted(CLOSED)))
    today = calendar.local_date(now)
    found = []
    for (run_id, user_id, role, number, symbol, d_title, title, period, unit_due, own_due,
         status, due_at) in session.execute(query):
        status = Status(status)
        due = personal_due(own_due, unit_due)
        words = (deadline_words(now, due, calendar, due_at if due == unit_due else None)
                 if status.awaits_unit else "")
        found.append(HeldRun(run_id, user_id, HolderRole(role),
                             format_number_symbol(number, symbol), d_title, title, period,
                             unit_due, due, status,
                             late_in_person(own_due, unit_due, today, status.awaits_unit),
                             words))
    return sorted(found, key=lambda h: (h.due_on, _ROLE_ORDER[h.role], h.assignment_id))


@dataclass
class PersonLoad:
    """One user of a unit and what they hold (open runs), for the head's view."""

    user_id: int
    full_name: str
    username: str
    role: str
    runs: list[HeldRun] = field(default_factory=list)

    @property
    def leads(self) -> int:
        return sum(r.role is HolderRole.LEAD for r in self.runs)

    @property
    def late(self) -> list[HeldRun]:
        return [r for r in self.runs if r.late]


def unit_people(session: Session, unit_id: int, *, now: datetime,
                calendar: WorkingCalendar) -> list[PersonLoad]:
    """Every user of the unit, each with the open runs they hold: those with late runs first,
    then those holding any, then the others, by name within each."""
    people = {uid: PersonLoad(uid, name, username, role) for uid, name, username, role in
              session.execute(select(_user.id, _user.full_name, _user.username, _user.role)
                              .where(_user.unit_id == unit_id))}
    for run in held_runs(session, people, now=now, calendar=calendar):
        people[run.user_id].runs.append(run)
    return sorted(people.values(),
                  key=lambda p: (not p.late, not p.runs, name_key(p.full_name)))


def unassigned_open_runs(session: Session, unit_id: int) -> int:
    """How many of the unit's open runs have no live chủ trì."""
    lead = select(_h.assignment_id).where(_h.role == HolderRole.LEAD.value,
                                          _h.removed_at.is_(None))
    return len(session.execute(
        select(_a.id).where(_a.unit_id == unit_id, _a.status.not_in(sorted(CLOSED)),
                            _a.id.not_in(lead))).all())
