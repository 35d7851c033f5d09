"""The closures in force over units: a closure declared for a unit covers it and every unit
below it (chidao.domain.closures)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from ..domain.closures import Closure, closure_table
from ..domain.units import unit_ancestor_table

_anc, _c = unit_ancestor_table.c, closure_table.c


def closures_over(
    session: Session, unit_ids: Collection[int] | None = None, *, ending_from: date | None = None,
) -> dict[int, list[Closure]]:
    """unit id -> the closures (not lifted) declared for it or for a unit above it, oldest
    declaration first; `unit_ids` None = every unit under a closure; `ending_from`: only the
    closures whose last day is on or after that day. Units under no closure are absent."""
    query = (select(_anc.unit_id, Closure)
             .join(unit_ancestor_table, _anc.ancestor_id == _c.unit_id)
             .where(_c.lifted_at.is_(None))
             .order_by(_c.declared_at, _c.id))
    if ending_from is not None:
        query = query.where(_c.ends_on >= ending_from)
    if unit_ids is not None:
        ids = sorted(set(unit_ids))
        if not ids:
            return {}
        query = query.where(_anc.unit_id.in_(ids))
    found: dict[int, list[Closure]] = {}
    for unit_id, closure in session.execute(query):
        found.setdefault(unit_id, []).append(closure)
    return found
