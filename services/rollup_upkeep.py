"""The rollup tables follow every write in the writer's own transaction.

When a writing transaction begins, the newest assignment_event id and the newest run id are
noted; just before it commits, the runs it touched are found from what it added after them:
every status change, deadline move, recall, waiver and amendment writes an assignment_event
row, and issuing adds runs. Their (requirement, period, unit) are refreshed (chidao.services.
rollup_store.refresh); a requirement with more touched runs than BULK (issuing to a whole
country) is rebuilt set-based instead. Moving units rewrites their closure rows and
rebuilds every rollup (chidao.services.units_import). Read-only sessions note nothing."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import event, func, or_, select
from sqlalchemy.orm import Session

from ..domain.assignments import assignment_event_table, assignment_table
from .rollup_store import rebuild, refresh

_a, _e = assignment_table.c, assignment_event_table.c
BULK = 2000
_MARK = "rollup_marks"


def _noted(session: Session, _transaction: Any, connection: Any) -> None:
    if connection.get_execution_options().get("read_only") or _MARK in session.info:
        return
    session.info[_MARK] = connection.execute(select(
        select(func.max(_e.id)).scalar_subquery(),
        select(func.max(_a.id)).scalar_subquery())).one()


def _before_commit(session: Session) -> None:
    marks = session.info.pop(_MARK, None)
    if marks is None:
        return
    session.flush()
    last_event, last_run = (m or 0 for m in marks)
    changed = select(_e.assignment_id).where(_e.id > last_event)
    keys = set(session.execute(select(_a.requirement_id, _a.period, _a.unit_id).where(
        or_(_a.id > last_run, _a.id.in_(changed)))).tuples())
    per_requirement = Counter(requirement_id for requirement_id, _, _ in keys)
    bulk = {r for r, n in per_requirement.items() if n > BULK}
    if bulk:
        rebuild(session, bulk)
    refresh(session, [k for k in keys if k[0] not in bulk])


def _forget(session: Session, *_: Any) -> None:
    session.info.pop(_MARK, None)


def register() -> None:
    """Listen on every session (idempotent)."""
    if not event.contains(Session, "after_begin", _noted):
        event.listen(Session, "after_begin", _noted)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_rollback", _forget)
