"""Sweep: open runs whose `next_action_at` has come, the ladder stage each owes, written as
notification rows with the run's next `next_action_at`, in one transaction. Each row names one
recipient unit (a cc becomes a row of its own for the cc unit's digest); audiences climb the
chain no higher than the directive's issuer. While a run has a chủ trì (chidao.domain.people),
its reminders and due-today notice go to that person (to_user_id); the urging and the
escalations stay with the unit's mailbox (the head), and name the person; the head is also
told when the chủ trì's own deadline passes (chidao.notifications.late_leads)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from ..db.bulk import insert_rows, update_rows
from ..domain.assignments import assignment_table
from ..domain.calendar import WorkingCalendar
from ..domain.closures import closed_days
from ..domain.directives import directive_table, requirement_table
from ..domain.notifications import notification_table
from ..domain.people import HolderRole, task_holder_table
from ..domain.policy import (
    LADDER_KINDS,
    Audience,
    Decision,
    NotificationKind,
    PolicySpec,
    Stage,
    audience_unit,
    decide,
)
from ..domain.units import unit_table
from ..queries.closures import closures_over
from .late_leads import late_lead_notices

_a, _r, _d, _u = assignment_table.c, requirement_table.c, directive_table.c, unit_table.c
_parent = unit_table.alias("parent_unit")
_h = task_holder_table.c
NOTIFICATION_COLUMNS = ("assignment_id", "stage", "kind", "to_unit_id", "cc_unit_id",
                        "created_at", "note", "to_user_id")
# The stages a run's chủ trì receives in person (the rest stay with the unit's mailbox).
PERSONAL_KINDS = frozenset({NotificationKind.REMINDER, NotificationKind.DUE_TODAY})


@dataclass
class SweepReport:
    examined: int = 0
    notifications: list[tuple[Any, ...]] = field(default_factory=list)
    paused: int = 0  # runs of a unit closed today owing a ladder stage: looked at on reopening


def sweep(
    session: Session, *, now: datetime, calendar: WorkingCalendar, send_at: time,
    dry_run: bool = False,
) -> SweepReport:
    """Idempotent: a stage already written for a run is never written again. Each run's
    ladder is counted on its unit's own calendar (its closures' days are not working days).
    On a day its unit is closed a run sends no ladder stage (reminder, due today, urging,
    escalation): it is looked at again at `send_at` on the unit's first working day after
    the closure. A new task's notice still goes (the digest tells the closure)."""
    report = SweepReport()
    updates: list[tuple[datetime | None, datetime | None, str | None, int, datetime]] = []
    rows = list(_due_runs(session, now))
    calendars, today = UnitCalendars(session, calendar, rows), calendar.local_date(now)
    decisions = _Decisions(session, rows, send_at, now)
    for row in rows:
        report.examined += 1
        closures, cal = calendars.of(row.unit_id)
        decision = decisions.of(row, closures, cal)
        stage = decision.send
        if stage is not None and stage.kind in LADDER_KINDS and today in cal.closed:
            report.paused += 1
            updates.append((cal.at_local(cal.roll_forward(today), send_at), row.stage_cursor,
                            row.last_stage, row.id, row.next_action_at))
            continue
        if stage is not None:
            report.notifications.extend(_notifications(stage, row, now))
        updates.append((decision.next_action_at, decision.cursor,
                        stage.key if stage else row.last_stage, row.id, row.next_action_at))
    report.notifications.extend(late_lead_notices(session, now=now, calendar=calendar,
                                                  send_at=send_at))
    if not dry_run:
        insert_rows(session, notification_table, NOTIFICATION_COLUMNS, report.notifications,
                    unique=("assignment_id", "stage"))
        # Conditional on the old value: a run another sweeper moved on is left alone.
        update_rows(session, assignment_table, ("next_action_at", "stage_cursor", "last_stage"),
                    ("id", "next_action_at"), updates)
    return report


class _Decisions:
    """`decide` once per (requirement, deadline, creation, cursor, closures over the unit):
    the runs sharing them share the answer."""

    def __init__(self, session: Session, rows: list[_DueRun], send_at: time,
                 now: datetime) -> None:
        self.send_at, self.now = send_at, now
        self._found: dict[tuple[Any, ...], Decision] = {}
        # Each requirement's policy read and validated once (not its JSON once per run).
        self._policies = {rid: PolicySpec.model_validate(policy) for rid, policy in
                          session.execute(select(_r.id, _r.policy).where(
                              _r.id.in_({r.requirement_id for r in rows})))}

    def of(self, row: _DueRun, closures: tuple[int, ...], cal: WorkingCalendar) -> Decision:
        key = (row.requirement_id, row.due_on, row.created_at, row.stage_cursor, closures)
        if key not in self._found:
            self._found[key] = decide(row.due_on, row.created_at, row.stage_cursor,
                                      self._policies[row.requirement_id], cal, self.send_at,
                                      self.now)
        return self._found[key]


class UnitCalendars:
    """Each due run's unit's own calendar: `calendar` with the days of the closures over it
    closed, loaded once per sweep for the due runs' units; one calendar per set of closures."""

    def __init__(self, session: Session, calendar: WorkingCalendar,
                 rows: list[_DueRun]) -> None:
        self._calendar = calendar
        since = min((calendar.local_date(r.created_at) for r in rows), default=None)
        self._over = closures_over(session, {r.unit_id for r in rows}, ending_from=since)
        self._built: dict[tuple[int, ...], WorkingCalendar] = {(): calendar}

    def of(self, unit_id: int) -> tuple[tuple[int, ...], WorkingCalendar]:
        """(the ids of the closures over the unit, its calendar)."""
        closures = self._over.get(unit_id, [])
        key = tuple(sorted(c.id or 0 for c in closures))
        if key not in self._built:
            self._built[key] = self._calendar.with_closed(closed_days(closures))
        return key, self._built[key]


def _notifications(stage: Stage, run: _DueRun, now: datetime) -> list[tuple[Any, ...]]:
    """The stage's notification to its audience and, when it names a cc, a copy to the cc
    unit: a line of that unit's own digest, not a copy of this email."""
    rows = []
    to = _resolve(stage.to, run)
    person = run.lead_id if stage.kind in PERSONAL_KINDS and stage.to is Audience.UNIT else None
    if to is not None:
        rows.append((run.id, stage.key, stage.kind.value, to, None, now, "", person))
    cc = _resolve(stage.cc, run) if stage.cc else None
    if cc is not None and cc != to:
        rows.append((run.id, f"{stage.key}/cc", NotificationKind.OVERDUE_COPY.value, cc, None,
                     now, "", None))
    return rows


@dataclass(frozen=True)
class _DueRun:
    id: int
    requirement_id: int
    unit_id: int
    parent_id: int | None
    grandparent_id: int | None
    issuer_id: int
    due_on: date
    created_at: datetime
    stage_cursor: datetime | None
    last_stage: str | None
    next_action_at: datetime
    lead_id: int | None  # the run's live chủ trì, if any


def _due_runs(session: Session, now: datetime) -> Iterator[_DueRun]:
    """The due runs with all the sweep needs of them but their requirement's policy, their
    chủ trì included, in one statement (the lead: a correlated lookup on task_holder's
    assignment index)."""
    lead = (select(_h.user_id).where(_h.assignment_id == _a.id, _h.role == HolderRole.LEAD.value,
                                     _h.removed_at.is_(None))
            .order_by(_h.id.desc()).limit(1).scalar_subquery())
    query = (
        select(_a.id, _a.requirement_id, _a.unit_id, _u.parent_id,
               _parent.c.parent_id.label("grandparent_id"), _d.issuer_id, _a.due_on,
               _a.created_at, _a.stage_cursor, _a.last_stage, _a.next_action_at,
               lead.label("lead_id"))
        .join(unit_table, _u.id == _a.unit_id)
        .join(directive_table, _d.id == _a.directive_id)
        .outerjoin(_parent, _parent.c.id == _u.parent_id)
        .where(_a.next_action_at <= now)
        .with_for_update(of=assignment_table, skip_locked=True)  # PostgreSQL: one sweeper a run
    )
    for row in session.execute(query):
        yield _DueRun(*row)


def _resolve(audience: Audience, run: _DueRun) -> int | None:
    """The unit an audience names for this run: up the chain, never above the issuer."""
    return audience_unit(audience, run.unit_id, run.parent_id, run.grandparent_id,
                         run.issuer_id)
