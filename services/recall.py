"""Recall (thu hồi) a whole directive: its open runs close as cancelled with the reason, each
unit is told, the directive is marked recalled; nothing is deleted (runs handed in or done
keep their record, and the directive stays readable with its history)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from ..db.bulk import insert_rows, update_rows
from ..domain.acting import Actor
from ..domain.assignments import assignment_event_table, assignment_table
from ..domain.directives import Directive
from ..domain.errors import InvalidInput
from ..domain.notifications import notification_table
from ..domain.permissions import Action, require
from ..domain.policy import NotificationKind
from ..domain.status import CLOSED, Status, can_transition
from ..domain.text import free_text
from ..domain.units import Unit
from .audit import record_audit

_a = assignment_table.c


def recall_directive(session: Session, directive_id: int, *, by: Actor, reason: str,
                     now: datetime) -> int:
    """Only the issuing unit, with the right to issue (Action.ISSUE). Returns how many runs
    were closed. In the caller's transaction (one for the whole directive)."""
    require(by.role, Action.ISSUE)
    directive = session.get(Directive, directive_id)
    if directive is None:
        raise InvalidInput("directive", f"không có văn bản số {directive_id}")
    issuer = session.get(Unit, directive.issuer_id)
    assert issuer is not None
    if by.unit_code != issuer.code:
        raise InvalidInput("unit", f"chỉ {issuer.name} (đơn vị ban hành) được thu hồi"
                                   f" {directive.number_symbol}")
    if directive.recalled_at is not None:
        raise InvalidInput("directive", f"{directive.number_symbol} đã bị thu hồi ngày"
                                        f" {directive.recalled_at:%d/%m/%Y}")
    why = free_text(reason, "reason").strip()
    if not why:
        raise InvalidInput("reason", "cần nêu lý do thu hồi")
    runs = session.execute(
        select(_a.id, _a.unit_id, _a.status).where(
            _a.directive_id == directive_id, _a.status.not_in(sorted(CLOSED))).order_by(_a.id)
    ).all()  # every open status may go to cancelled (chidao.domain.status.TRANSITIONS)
    assert all(can_transition(Status(s), Status.CANCELLED) for _i, _u, s in runs)
    update_rows(session, assignment_table, ("status", "status_changed_at", "next_action_at"),
                ("id",), [(Status.CANCELLED, now, None, run_id) for run_id, _u, _s in runs])
    insert_rows(session, assignment_event_table,
                ("assignment_id", "at", "actor", "from_status", "to_status", "reason",
                 "by_person", "on_behalf_of"),
                [(run_id, now, by.unit_code, status, Status.CANCELLED,
                  f"Thu hồi văn bản: {why}", by.person, by.behalf)
                 for run_id, _u, status in runs], unique=("id",))
    insert_rows(session, notification_table,
                ("assignment_id", "stage", "kind", "to_unit_id", "note", "created_at"),
                [(run_id, f"recalled@{now.isoformat()}", NotificationKind.RECALLED.value,
                  unit_id, why, now) for run_id, unit_id, _s in runs],
                unique=("assignment_id", "stage"))
    units = runs
    directive.recalled_at, directive.recall_reason = now, why
    session.add(directive)
    record_audit(session, by, "directive.recall", subject_type="directive",
                 subject_id=directive_id, now=now,
                 summary=f"Thu hồi {directive.number_symbol}: {why} ({len(units)} nhiệm vụ"
                         " đang mở được đóng)",
                 detail={"runs_closed": len(units), "reason": why})
    session.flush()
    session.expire_all()  # the runs were written around the ORM: read them afresh
    return len(units)
