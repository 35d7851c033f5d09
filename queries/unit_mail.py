"""The mail sent to a unit (as addressee or in copy), newest first, as its page lists it, each
with the tasks it speaks of."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select
from sqlmodel import Session, SQLModel

from ..domain.assignments import assignment_table
from ..domain.directives import requirement_table
from ..domain.notifications import MessageStatus, OutboundMessage, notification_table
from ..domain.policy import NotificationKind
from ..domain.units import unit_table

_m = SQLModel.metadata.tables[str(OutboundMessage.__tablename__)].c
_n, _a, _r, _u = notification_table.c, assignment_table.c, requirement_table.c, unit_table.c


@dataclass(frozen=True)
class MailTask:
    assignment_id: int
    kind: NotificationKind
    title: str  # the requirement's
    unit_name: str  # the unit that owes it


@dataclass(frozen=True)
class MailLine:
    id: int
    subject: str
    status: MessageStatus
    sent_at: datetime | None
    last_error: str
    created_at: datetime
    recipients: list[str]
    tasks: list[MailTask] = field(default_factory=list)


def unit_mail(session: Session, unit_id: int, limit: int = 200) -> list[MailLine]:
    """Two statements, however many messages and tasks."""
    lines = [MailLine(mid, subject, MessageStatus(status), sent_at, error, created_at,
                      list(recipients or []))
             for mid, subject, status, sent_at, error, created_at, recipients in session.execute(
        select(_m.id, _m.subject, _m.status, _m.sent_at, _m.last_error, _m.created_at,
               _m.recipients)
        .where(or_(_m.to_unit_id == unit_id, _m.cc_unit_id == unit_id))
        .order_by(_m.id.desc()).limit(limit))]
    by_id = {line.id: line for line in lines}
    for message_id, run_id, kind, title, name in session.execute(
            select(_n.message_id, _n.assignment_id, _n.kind, _r.title, _u.name)
            .join(assignment_table, _a.id == _n.assignment_id)
            .join(requirement_table, _r.id == _a.requirement_id)
            .join(unit_table, _u.id == _a.unit_id)
            .where(_n.message_id.in_(list(by_id))).order_by(_n.id)):
        by_id[message_id].tasks.append(MailTask(run_id, NotificationKind(kind), title, name))
    return lines
