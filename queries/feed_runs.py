"""What a calendar feed lists, read in a fixed number of statements whatever the number of
runs: the open runs a unit owes, or those a person holds, each with its current deadline,
when it last changed and how often its deadline moved; and each run's unit calendar.

Open = awaiting the unit (chưa tiếp nhận, đã tiếp nhận, trả lại). A handed-in run (đã nộp)
is left out: the unit owes nothing until a return (which brings it back, same UID), and the
reminder ladder stops for it too (chidao.domain.policy.is_stale), so the phone and the mail
agree."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, and_, case, func, select
from sqlmodel import Session

from ..domain.assignments import assignment_event_table, assignment_table
from ..domain.calendar import WorkingCalendar
from ..domain.closures import closed_days
from ..domain.directives import directive_table, format_number_symbol, requirement_table
from ..domain.feed_events import FeedRun
from ..domain.people import HolderRole, task_holder_table
from ..domain.policy import PolicySpec
from ..domain.status import AWAITING_UNIT, Status
from ..domain.units import unit_table
from .closures import closures_over

_a, _r, _d, _u = assignment_table.c, requirement_table.c, directive_table.c, unit_table.c
_e, _h = assignment_event_table.c, task_holder_table.c
_issuer = unit_table.alias("issuer")
_ROLE_ORDER = {HolderRole.LEAD: 0, HolderRole.COOPERATE: 1, HolderRole.WATCH: 2}


def _runs_query(*extra: Any) -> Select[Any]:
    """The open runs with what the feed shows; the run's events summed in the same statement
    (correlated subqueries on the indexed assignment_id)."""
    changed = (select(func.max(_e.at)).where(_e.assignment_id == _a.id)
               .correlate(assignment_table).scalar_subquery())
    moves = (select(func.count()).where(_e.assignment_id == _a.id,
                                        _e.from_status == _e.to_status)
             .correlate(assignment_table).scalar_subquery())
    return (
        select(_a.id, _a.unit_id, _u.name, _r.title, _d.number, _d.symbol, _d.title,
               _issuer.c.name, _a.status, _a.due_on, _a.period, _r.policy, _a.created_at,
               changed.label("changed_at"), moves.label("moves"), *extra)
        .join(unit_table, _u.id == _a.unit_id)
        .join(requirement_table, _r.id == _a.requirement_id)
        .join(directive_table, _d.id == _a.directive_id)
        .join(_issuer, _issuer.c.id == _d.issuer_id)
        .where(_a.status.in_(sorted(AWAITING_UNIT)))
        .order_by(_a.due_on, _a.id)
    )


def _feed_run(row: Any, policies: dict[str, PolicySpec], **holder: Any) -> FeedRun:
    key = repr(sorted(row.policy.items()))
    if key not in policies:
        policies[key] = PolicySpec.model_validate(row.policy)
    return FeedRun(
        assignment_id=row.id, unit_id=row.unit_id, unit_name=row[2],
        requirement_title=row[3], directive_number_symbol=format_number_symbol(row.number,
                                                                               row.symbol),
        directive_title=row[6], issuer_name=row[7], status=Status(row.status),
        due_on=row.due_on, period=row.period, policy=policies[key],
        created_at=row.created_at, changed_at=row.changed_at or row.created_at,
        deadline_moves=int(row.moves or 0), **holder)


def unit_feed_runs(session: Session, unit_id: int) -> list[FeedRun]:
    """The runs unit `unit_id` owes, soonest deadline first (one statement)."""
    policies: dict[str, PolicySpec] = {}
    return [_feed_run(row, policies)
            for row in session.execute(_runs_query().where(_a.unit_id == unit_id))]


def person_feed_runs(session: Session, user_id: int) -> list[FeedRun]:
    """The open runs user `user_id` holds (live rows), with their role and own deadline; a
    person on a run twice (two live rows) is listed once, in the stronger role (one
    statement)."""
    rows_on_run = (select(func.count()).where(_h.assignment_id == _a.id, _h.user_id == user_id)
                   .correlate(assignment_table).scalar_subquery())
    query = _runs_query(_h.role, _h.due_on.label("holder_due_on"), _h.assigned_at,
                        rows_on_run.label("holder_rows"))
    query = query.join(task_holder_table, and_(_h.assignment_id == _a.id,
                                               _h.user_id == user_id, _h.removed_at.is_(None)))
    query = query.order_by(case(*((_h.role == r.value, n) for r, n in _ROLE_ORDER.items()),
                                else_=3))
    policies: dict[str, PolicySpec] = {}
    found: dict[int, FeedRun] = {}
    for row in session.execute(query):
        if row.id not in found:
            found[row.id] = _feed_run(
                row, policies, holder_role=HolderRole(row.role), holder_due_on=row.holder_due_on,
                holder_since=row.assigned_at, holder_rows=int(row.holder_rows))
    return sorted(found.values(), key=lambda r: (r.due, r.assignment_id))


def unit_calendars(session: Session, calendar: WorkingCalendar, unit_ids: set[int],
                   today: date) -> dict[int, WorkingCalendar]:
    """Each unit's working calendar: `calendar` with the days of the closures over it (or a
    unit above it) that end today or later closed (one statement)."""
    over = closures_over(session, unit_ids, ending_from=today)
    return {uid: calendar.with_closed(closed_days(over.get(uid, []))) for uid in unit_ids}
