"""Write one audit row (chidao.domain.audit) in the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from ..domain.acting import Actor
from ..domain.audit import AuditEvent


def record_audit(session: Session, actor: Actor, action: str, *, subject_type: str,
                 subject_id: str | int, summary: str, now: datetime,
                 detail: dict[str, Any] | None = None) -> AuditEvent:
    """`action` is "<subject>.<verb>" ("directive.issue", "user.role", "units.import");
    `summary` says it in Vietnamese as the audit page shows it."""
    event = AuditEvent(at=now, unit_code=actor.unit_code, person=actor.person,
                       on_behalf_of=actor.behalf, action=action,
                       subject_type=subject_type, subject_id=str(subject_id),
                       summary=summary, detail=detail or {})
    session.add(event)
    return event
