"""What the amendments applied to a directive settled, read from their audit rows
(chidao.services.amend writes one per amendment, its detail the change list): the requirement
keys they dropped, the runs they kept; and which runs they closed (thu hồi)."""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, and_, exists
from sqlmodel import Session, select

from ..domain.amendment import AMEND_CANCEL_REASON
from ..domain.assignments import assignment_event_table, assignment_table
from ..domain.audit import AuditEvent
from ..domain.status import Status

_DROPPED = re.compile(r"requirements\[([\w.-]+)\]")
_e, _a = assignment_event_table.c, assignment_table.c


def earlier_amendments(session: Session, directive_id: int) -> tuple[set[str], set[int]]:
    """(the requirement keys the amendments dropped, and no later one brought back; the runs
    they kept, handed in when no longer targeted): a later amendment does not list them
    again, and the directive's text leaves the dropped ones out."""
    dropped: set[str] = set()
    kept: set[int] = set()
    for detail in session.exec(select(AuditEvent.detail).where(
            AuditEvent.action == "directive.amend", AuditEvent.subject_type == "directive",
            AuditEvent.subject_id == str(directive_id)).order_by(AuditEvent.id)):  # type: ignore[arg-type]
        for found in detail.get("fields", []):
            key = _DROPPED.fullmatch(found.get("field", ""))
            if key and not found.get("new"):
                dropped.add(key[1])
        dropped -= set(detail.get("requirement_keys", []))
        kept.update(change["assignment_id"] for unit in detail.get("units", [])
                    for change in unit.get("changes", []) if change.get("kind") == "kept")
    return dropped, kept


def closed_by_amendment() -> ColumnElement[bool]:
    """A run (of assignment_table) an amendment closed as thu hồi: a cancelled run (a final
    status) with the amendment's audit row. The status is tested first: a live run costs no
    lookup among the audit rows of every run ever closed (years of history)."""
    return and_(_a.status == Status.CANCELLED,
                exists().where(and_(_e.assignment_id == _a.id,
                                    _e.to_status == Status.CANCELLED,
                                    _e.reason == AMEND_CANCEL_REASON)))
