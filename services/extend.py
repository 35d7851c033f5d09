"""Move a requirement's deadline for a subtree of units; the reminder ladder moves with it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session
from sqlmodel import select as model_select

from ..db.bulk import update_rows
from ..db.lookup import directive_by_ref, unit_by_code
from ..domain.accounts import Role
from ..domain.acting import Actor
from ..domain.assignments import assignment_table
from ..domain.calendar import WorkingCalendar
from ..domain.directives import Requirement
from ..domain.errors import InvalidInput
from ..domain.permissions import OPERATOR, Action, require
from ..domain.rules import Rules
from ..domain.specs import check_day_range
from ..domain.status import CLOSED
from ..domain.text import free_text
from ..domain.units import subtree_bounds, unit_table
from .audit import record_audit
from .deadline_refresh import refresh_deadlines

_a, _u = assignment_table.c, unit_table.c


def extend_deadline(
    session: Session, *, directive_ref: str, requirement_key: str, subtree: str,
    new_due: date, actor: str, reason: str, now: datetime, calendar: WorkingCalendar,
    rules: Rules, role: Role | str = OPERATOR, by: Actor | None = None,
) -> int:
    """Set the deadline of the open runs of one requirement under `subtree` (that unit and
    everything below it) to `new_due` (rolled to a working day; a unit closed that day gets
    its first working day after), by hand: it stays when the calendar moves. The deadlines
    derived from those runs' (before_parent, in directives citing this one) follow. Returns
    how many runs were set.
    `role` is the acting user's (the CLI acts as OPERATOR); `by`, when given, is who acts
    (over actor/role): its person is named in each run's audit."""
    by = by or Actor(unit_code=actor, role=Role(role))
    actor, role = by.unit_code, by.role
    require(role, Action.EXTEND)
    reason = free_text(reason, "reason")
    check_day_range(new_due, "new_due")
    directive = directive_by_ref(session, directive_ref)
    if directive.recalled_at is not None:
        raise InvalidInput("directive", f"{directive.number_symbol} đã bị thu hồi: không gia"
                                        " hạn được")
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
        select(_a.id, _a.unit_id).join(unit_table, _u.id == _a.unit_id)
        .where(_a.requirement_id == requirement.id, _u.path >= low, _u.path < high,
               _a.status.not_in(sorted(CLOSED)))).all()
    # Set by hand: the day stays when the calendar or a deadline it was derived from moves.
    update_rows(session, assignment_table, ("due_hand_on", "due_hand_at"), ("id",),
                [(new_due, now, rid) for rid, _unit in runs])
    assert requirement.id is not None
    refresh_deadlines(session, calendar=calendar, rules=rules, now=now, reason=reason,
                      actor=actor, requirement_ids=[requirement.id],
                      unit_ids={unit for _rid, unit in runs}, verb="Gia hạn",
                      by_person=by.person, on_behalf_of=by.behalf)
    record_audit(session, by, "deadline.extend", subject_type="directive",
                 subject_id=directive.id or 0, now=now,
                 summary=f"Gia hạn {requirement.title} ({directive.number_symbol}) đến"
                         f" {new_due:%d/%m/%Y} cho {len(runs)} đơn vị: {reason}",
                 detail={"requirement": requirement.key, "subtree": subtree,
                         "new_due": new_due.isoformat(), "runs": len(runs)})
    return len(runs)
