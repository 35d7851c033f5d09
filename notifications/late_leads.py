"""The head is told when a run's chủ trì lets their own deadline pass while the unit still owes
the run: one notice per holder row (a new deadline or a new lead is a new row, so a new
notice), to the unit's mailbox, on a working day from the send hour. Read in one statement
per sweep (the live leads past their own deadline with no such notice yet)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import String, and_, cast, exists, literal, select
from sqlmodel import Session

from ..domain.accounts import User
from ..domain.assignments import assignment_table
from ..domain.calendar import WorkingCalendar
from ..domain.notifications import notification_table
from ..domain.people import HolderRole, task_holder_table
from ..domain.policy import NotificationKind
from ..domain.status import AWAITING_UNIT

_a, _h, _n = assignment_table.c, task_holder_table.c, notification_table.c
_user = User.__table__.c  # type: ignore[attr-defined]


def late_stage(holder_id: int) -> str:
    """The notice's key: one per holder row."""
    return f"holder/{holder_id}/late"


def late_lead_notices(session: Session, *, now: datetime, calendar: WorkingCalendar,
                      send_at: time) -> list[tuple[Any, ...]]:
    """Notification rows (sweep.NOTIFICATION_COLUMNS order) for the leads whose own deadline
    passed before today; none before the send hour or on a day off."""
    local = now.astimezone(calendar.tz)
    today = local.date()
    if local.time() < send_at or not calendar.is_working_day(today):
        return []
    stage = literal("holder/") + cast(_h.id, String) + literal("/late")
    told = exists().where(and_(_n.assignment_id == _h.assignment_id, _n.stage == stage))
    rows = session.execute(
        select(_h.id, _h.assignment_id, _a.unit_id, _h.due_on, _user.full_name)
        .join(assignment_table, _a.id == _h.assignment_id)
        .join(User.__table__, _user.id == _h.user_id)  # type: ignore[attr-defined]
        .where(_h.role == HolderRole.LEAD.value, _h.removed_at.is_(None),
               _h.due_on.is_not(None), _h.due_on < today,
               _a.status.in_(sorted(AWAITING_UNIT)), ~told)
        .order_by(_h.id))
    return [(run_id, late_stage(holder_id), NotificationKind.LEAD_LATE.value, unit_id, None,
             now, f"{name} (chủ trì) chưa xong việc, hạn của cá nhân {due:%d/%m/%Y}", None)
            for holder_id, run_id, unit_id, due, name in rows]
