"""Move a requirement's deadline for a subtree of units; the reminder ladder moves with it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session
from sqlmodel import select as model_select

from ..db.bulk import insert_rows, update_rows
from ..db.lookup import directive_by_ref, unit_by_code
from ..domain.accounts import Role
from ..domain.assignments import assignment_event_table, assignment_table, next_action_at
from ..domain.calendar import WorkingCalendar
from ..domain.directives import Requirement
from ..domain.errors import InvalidInput
from ..domain.permissions import OPERATOR, Action, require
from ..domain.specs import check_day_range
from ..domain.status import CLOSED
from ..domain.text import free_text
from ..domain.units import subtree_bounds, unit_table

_a, _u = assignment_table.c, unit_table.c


def extend_deadline(
    session: Session, *, directive_ref: str, requirement_key: str, subtree: str,
    new_due: date, actor: str, reason: str, now: datetime, calendar: WorkingCalendar,
    role: Role | str = OPERATOR,
) -> int:
    """Set the deadline of the open runs of one requirement under `subtree` (that unit and
    everything below it) to `new_due` (rolled to a working day). Returns how many moved.
    `role` is the acting user's (the CLI acts as OPERATOR)."""
    require(role, Action.EXTEND)
    reason = free_text(reason, "reason")
    check_day_range(new_due, "new_due")
    directive = directive_by_ref(session, directive_ref)
    acting = unit_by_code(session, actor)
    if acting.id != directive.issuer_id:
        raise InvalidInput("unit", f"only the issuer of {directive.number_symbol} may move its"
                                   f" deadlines, not '{actor}'")
    if not reason.strip():
        raise InvalidInput("reason", "say why the deadline moves")
    requirement = session.exec(model_select(Requirement).where(
        Requirement.directive_id == directive.id, Requirement.key == requirement_key)).first()
    if requirement is None:
        raise InvalidInput("requirement", f"'{requirement_key}' is not a requirement of"
                                          f" {directive.key}")
    if new_due < directive.issued_on:
        raise InvalidInput("to", f"{new_due:%d/%m/%Y} is before the issue date"
                                 f" {directive.issued_on:%d/%m/%Y}")
    low, high = subtree_bounds(unit_by_code(session, subtree, field="subtree").path)
    runs = session.execute(
        select(_a.id, _a.status, _a.due_on).join(unit_table, _u.id == _a.unit_id)
        .where(_a.requirement_id == requirement.id, _u.path >= low, _u.path < high,
               _a.status.not_in(sorted(CLOSED)))).all()
    due_on = calendar.roll_forward(new_due)
    due_at = calendar.end_of_day(due_on)
    update_rows(session, assignment_table, ("due_on", "due_at", "next_action_at"), ("id",),
                [(due_on, due_at, next_action_at(status, now), rid)
                 for rid, status, _old in runs])
    insert_rows(session, assignment_event_table, ("assignment_id", "at", "actor",
                "from_status", "to_status", "reason"),
                [(rid, now, actor, status, status,
                  f"Gia hạn {old:%d/%m/%Y} → {due_on:%d/%m/%Y}: {reason}")
                 for rid, status, old in runs], unique=("id",))
    return len(runs)
