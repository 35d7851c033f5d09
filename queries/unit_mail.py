"""The mail sent to a unit (as addressee or in copy), newest first, as its page lists it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlmodel import Session, SQLModel

from ..domain.notifications import MessageStatus, OutboundMessage

_m = SQLModel.metadata.tables[str(OutboundMessage.__tablename__)].c


@dataclass(frozen=True)
class MailLine:
    id: int
    subject: str
    status: MessageStatus
    sent_at: datetime | None
    last_error: str
    created_at: datetime
    recipients: list[str]


def unit_mail(session: Session, unit_id: int, limit: int = 200) -> list[MailLine]:
    return [MailLine(mid, subject, MessageStatus(status), sent_at, error, created_at,
                     list(recipients or []))
            for mid, subject, status, sent_at, error, created_at, recipients in session.execute(
        select(_m.id, _m.subject, _m.status, _m.sent_at, _m.last_error, _m.created_at,
               _m.recipients)
        .where(or_(_m.to_unit_id == unit_id, _m.cc_unit_id == unit_id))
        .order_by(_m.id.desc()).limit(limit))]
