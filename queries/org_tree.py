"""A unit's page of the organisation tree: the units directly under it, by name; and the units
of a subtree found by words of their name or code (accent-insensitive)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select
from sqlmodel import Session

from ..domain.text import folded
from ..domain.units import Unit, subtree_bounds, unit_table

_u = unit_table.c


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
    `limit`; whether more matched). Two statements: the subtree's names and codes, folded and
    matched here (remembered: see _folded_unit), then the matches' parents."""
    terms = folded(words).split()
    if not terms:
        return [], False
    low, high = subtree_bounds(under.path)
    matched = [(name, uid, parent_id) for uid, code, name, parent_id in session.execute(
        select(_u.id, _u.code, _u.name, _u.parent_id).where(_u.path >= low, _u.path < high))
        if all(t in _folded_unit(name, code) for t in terms)]
    matched.sort()
    shown = matched[:limit]
    rows = session.execute(select(_u.id, _u.name).where(_u.id.in_({p for _, _, p in shown if p})))
    parents: dict[int, str] = {int(row[0]): str(row[1]) for row in rows}
    return ([FoundUnit(uid, name, parents.get(parent_id, "") if uid != under.id else "")
             for name, uid, parent_id in shown], len(matched) > limit)


@lru_cache(maxsize=200_000)
def _folded_unit(name: str, code: str) -> str:
    """A unit's folded name and code, remembered: the national tree's 36,000 names are folded
    once per process, not on every search (about 0.5 s)."""
    return folded(f"{name} {code}")
