"""The closures in force over units: a closure declared for a unit covers it and every unit
below it (chidao.domain.closures)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from ..domain.calendar import WorkingCalendar
from ..domain.closures import Closure, closed_days, closure_table
from ..domain.units import unit_ancestor_table

_anc, _c = unit_ancestor_table.c, closure_table.c
# More units than this are not sent as an IN list (slow, and past SQLite's limit of bound
# parameters): every closure in force is read (they are few) and the units picked here.
IN_LIST_MAX = 2000


def closures_over(
    session: Session, unit_ids: Collection[int] | None = None, *, ending_from: date | None = None,
) -> dict[int, list[Closure]]:
    """unit id -> the closures (not lifted) declared for it or for a unit above it, oldest
    declaration first; `unit_ids` None = every unit under a closure; `ending_from`: only the
    closures whose last day is on or after that day. Units under no closure are absent."""
    wanted = set(unit_ids) if unit_ids is not None else None
    if wanted is not None and not wanted:
        return {}
    query = (select(_anc.unit_id, Closure)
             .join(unit_ancestor_table, _anc.ancestor_id == _c.unit_id)
             .where(_c.lifted_at.is_(None))
             .order_by(_c.declared_at, _c.id))
    if ending_from is not None:
        query = query.where(_c.ends_on >= ending_from)
    if wanted is not None and len(wanted) <= IN_LIST_MAX:
        query = query.where(_anc.unit_id.in_(sorted(wanted)))
    found: dict[int, list[Closure]] = {}
    for unit_id, closure in session.execute(query):
        if wanted is None or unit_id in wanted:
            found.setdefault(unit_id, []).append(closure)
    return found


def unit_calendar(session: Session, calendar: WorkingCalendar, unit_id: int) -> WorkingCalendar:
    """`calendar` as one unit keeps it: the days it (or a unit above it) is closed are not
    working days for it."""
    return calendar.with_closed(closed_days(closures_over(session, [unit_id]).get(unit_id, [])))
