"""Who a requirement targets, as one SQL statement over the issuer's subtree (path range)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.sql.elements import ColumnElement

from .specs import KindFilter, TargetSpec
from .units import Unit, subtree_bounds, unit_table


def target_statement(target: TargetSpec, issuer: Unit) -> Select[Any]:
    """SELECT id, code of the units `target` names below `issuer` (in no particular order)."""
    uid, ucode, upath = unit_table.c.id, unit_table.c.code, unit_table.c.path
    low, high = subtree_bounds(issuer.path)
    below_issuer = and_(upath > low, upath < high)
    conditions: list[ColumnElement[bool]] = [below_issuer]
    if target.units is not None:
        conditions.append(ucode.in_(target.units))
    elif target.children is not None:
        conditions.append(unit_table.c.parent_id == issuer.id)
        conditions.extend(_kinds(target.children))
    elif target.descendants is not None:
        conditions.extend(_kinds(target.descendants))
    if target.exclude:
        conditions.append(ucode.not_in(target.exclude))
    return select(uid, ucode).where(*conditions)


def _kinds(kind_filter: KindFilter) -> list[ColumnElement[bool]]:
    if not kind_filter.kind:
        return []
    return [unit_table.c.kind.in_([k.value for k in kind_filter.kind])]
