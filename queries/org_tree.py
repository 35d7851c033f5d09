"""A unit's page of the organisation tree: the units directly under it, by name."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from ..domain.units import unit_table

_u = unit_table.c


@dataclass(frozen=True)
class UnitLine:
    id: int
    code: str
    name: str


def child_units(session: Session, unit_id: int) -> list[UnitLine]:
    return [UnitLine(*row) for row in session.execute(
        select(_u.id, _u.code, _u.name).where(_u.parent_id == unit_id).order_by(_u.name))]
