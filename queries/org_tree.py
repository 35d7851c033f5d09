"""A unit's page of the organisation tree: the units directly under it, by name; and the units
of a subtree found by words of their name or code (accent-insensitive)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from ..domain.text import folded
from ..domain.units import Unit, subtree_bounds, unit_table

_u = unit_table.c
_parent = unit_table.alias("parent")


@dataclass(frozen=True)
class UnitLine:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class FoundUnit:
    id: int
    name: str
    parent: str  # the name of the unit it belongs to ("" for the top of the subtree)


def child_units(session: Session, unit_id: int) -> list[UnitLine]:
    return [UnitLine(*row) for row in session.execute(
        select(_u.id, _u.code, _u.name).where(_u.parent_id == unit_id).order_by(_u.name))]


def find_units(session: Session, under: Unit, words: str, limit: int = 50
               ) -> tuple[list[FoundUnit], bool]:
    """(units of `under`'s subtree whose name or code holds every word, by name, at most
    `limit`; whether more matched). One statement; the subtree's names are folded here (a
    province has a few thousand units)."""
    terms = folded(words).split()
    if not terms:
        return [], False
    low, high = subtree_bounds(under.path)
    rows = session.execute(
        select(_u.id, _u.code, _u.name, _parent.c.name)
        .outerjoin(_parent, _parent.c.id == _u.parent_id)
        .where(_u.path >= low, _u.path < high).order_by(_u.name, _u.id))
    found = []
    for uid, code, name, parent in rows:
        text = folded(f"{name} {code}")
        if all(t in text for t in terms):
            found.append(FoundUnit(uid, name, parent if uid != under.id and parent else ""))
            if len(found) > limit:
                break
    return found[:limit], len(found) > limit
