"""Closures as a list to read (the CLI's `closure list`, the closures page): those declared for
a unit's subtree or for a unit above it, lifted ones too, newest first, with the unit's name."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from ..domain.closures import Closure, closure_table
from ..domain.units import Unit, subtree_bounds, unit_ancestor_table, unit_table
from .closures import closures_over

_c, _u, _anc = closure_table.c, unit_table.c, unit_ancestor_table.c


@dataclass(frozen=True)
class ListedClosure:
    closure: Closure
    unit_code: str
    unit_name: str
    unit_path: str


def closures_listed(session: Session, under: Unit | None = None, *,
                    limit: int = 200) -> list[ListedClosure]:
    """Closures over `under`'s subtree (declared for a unit in it or above it); None: all."""
    query = (select(Closure, _u.code, _u.name, _u.path)
             .join(unit_table, _u.id == _c.unit_id)
             .order_by(_c.starts_on.desc(), _c.id.desc()).limit(limit))
    if under is not None:
        low, high = subtree_bounds(under.path)
        above = select(_anc.ancestor_id).where(_anc.unit_id == under.id)
        query = query.where(or_(and_(_u.path >= low, _u.path < high),
                                _c.unit_id.in_(above)))
    return [ListedClosure(closure, code, name, path)
            for closure, code, name, path in session.execute(query)]


def units_closed_on(session: Session, unit_ids: Collection[int], day: date) -> set[int]:
    """Those of `unit_ids` under a closure (not lifted) on `day`."""
    over = closures_over(session, unit_ids, ending_from=day)
    return {unit_id for unit_id, closures in over.items()
            if any(c.starts_on <= day <= c.ends_on for c in closures)}
