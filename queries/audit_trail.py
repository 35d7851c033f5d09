"""The audit trail as one list to read (the audit page, `chidao audit`): what people did
(audit_event: issuing, extending, closures, imports, accounts, delegations) and every status
change of a run (assignment_event), newest first, each naming the person, whom they stood in
for, and the unit that acted. A reader sees what the units of its own subtree did, nothing of
a sibling's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from ..domain.assignments import assignment_event_table, assignment_table
from ..domain.audit import audit_event_table
from ..domain.calendar import LOCAL_TZ
from ..domain.directives import directive_table, format_number_symbol, requirement_table
from ..domain.status import Status
from ..domain.units import Unit, subtree_bounds, unit_table

_ev, _au, _a, _r, _d = (assignment_event_table.c, audit_event_table.c, assignment_table.c,
                        requirement_table.c, directive_table.c)
_actor, _owner = aliased(unit_table), aliased(unit_table)
LIMIT = 500


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    unit_code: str  # the unit that acted
    unit_name: str
    person: str  # "" = the command line or chidao itself
    on_behalf_of: str  # "KT. Lê Thị Ngọc Hân" when a delegate acted
    action: str  # "directive.issue", "status.accepted"
    summary: str  # in Vietnamese

    @property
    def who(self) -> str:
        """"Trương Văn Phúc (KT. Lê Thị Ngọc Hân)"; "" when no person is named."""
        return f"{self.person} ({self.on_behalf_of})" if self.on_behalf_of else self.person

    def as_json(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "unit": self.unit_code, "unit_name": self.unit_name,
                "person": self.person, "on_behalf_of": self.on_behalf_of,
                "action": self.action, "summary": self.summary}


@dataclass(frozen=True)
class AuditFilter:
    under: Unit | None  # the subtree whose units' actions are listed (None: all)
    since: date | None = None  # Vietnam days, inclusive
    until: date | None = None
    limit: int = LIMIT


def _start(day: date) -> datetime:
    return datetime.combine(day, time(0), LOCAL_TZ)


def _bounds(rows: Any, unit_path: Any, at: Any, where: AuditFilter) -> Any:
    if where.under is not None:
        low, high = subtree_bounds(where.under.path)
        rows = rows.where(unit_path >= low, unit_path < high)
    if where.since is not None:
        rows = rows.where(at >= _start(where.since))
    if where.until is not None:
        rows = rows.where(at < _start(where.until + timedelta(days=1)))
    return rows.order_by(at.desc()).limit(where.limit)


def _audit_rows(session: Session, where: AuditFilter) -> list[AuditLine]:
    rows = select(_au.at, _au.unit_code, _actor.c.name, _au.person, _au.on_behalf_of,
                  _au.action, _au.summary).join(_actor, _actor.c.code == _au.unit_code)
    return [AuditLine(*row) for row in session.execute(
        _bounds(rows, _actor.c.path, _au.at, where))]


def _status_rows(session: Session, where: AuditFilter) -> list[AuditLine]:
    rows = (select(_ev.at, _ev.actor, _actor.c.name, _ev.by_person, _ev.on_behalf_of,
                   _ev.from_status, _ev.to_status, _ev.reason, _r.title, _d.number, _d.symbol,
                   _owner.c.name.label("owner"))
            .join(_actor, _actor.c.code == _ev.actor)
            .join(assignment_table, _a.id == _ev.assignment_id)
            .join(requirement_table, _r.id == _a.requirement_id)
            .join(directive_table, _d.id == _a.directive_id)
            .join(_owner, _owner.c.id == _a.unit_id))
    lines = []
    for row in session.execute(_bounds(rows, _actor.c.path, _ev.at, where)):
        was, now = Status(row.from_status), Status(row.to_status)
        number = format_number_symbol(row.number, row.symbol)
        summary = (f"{was.label.capitalize()} → {now.label}: {row.title} ({number}) của"
                   f" {row.owner}"
                   + (f"; {row.reason}" if row.reason else ""))
        lines.append(AuditLine(row.at, row.actor, row.name, row.by_person, row.on_behalf_of,
                               f"status.{now.value}", summary))
    return lines


def audit_trail(session: Session, where: AuditFilter) -> list[AuditLine]:
    """Both kinds of rows, newest first, at most `where.limit`."""
    both = _audit_rows(session, where) + _status_rows(session, where)
    both.sort(key=lambda line: line.at, reverse=True)
    return both[:where.limit]
