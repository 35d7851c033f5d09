"""Lists the JSON API pages through that no page shows: the units and the users of a subtree
(a page of rows and the total, in two statements)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, SQLModel

from ..domain.units import Unit, subtree_bounds, unit_table

_u = unit_table.c
_parent = unit_table.alias("parent")
_user_table = SQLModel.metadata.tables["app_user"]
_users = _user_table.c


def subtree_units(session: Session, top: Unit, *, offset: int, limit: int
                  ) -> tuple[list[dict[str, Any]], int]:
    """`top` and every unit below it, in tree order (path), with the parent's code."""
    low, high = subtree_bounds(top.path)
    where = (_u.path >= low, _u.path < high)
    total = session.execute(select(func.count()).select_from(unit_table).where(*where))
    rows = session.execute(
        select(_u.id, _u.code, _u.name, _u.kind, _u.depth, _parent.c.code.label("parent"))
        .outerjoin(_parent, _parent.c.id == _u.parent_id).where(*where)
        .order_by(_u.path).offset(offset).limit(limit))
    return [dict(row._mapping) for row in rows], int(total.scalar_one())


def subtree_users(session: Session, top: Unit, *, offset: int, limit: int
                  ) -> tuple[list[dict[str, Any]], int]:
    """The users of `top` and of every unit below it, by unit (tree order) then user name."""
    low, high = subtree_bounds(top.path)
    where = (_u.path >= low, _u.path < high)
    joined = _user_table.join(unit_table, _u.id == _users.unit_id)
    total = session.execute(select(func.count()).select_from(joined).where(*where))
    rows = session.execute(
        select(_users.username, _users.full_name, _users.role, _users.email,
               _u.code.label("unit"), _u.name.label("unit_name"))
        .select_from(joined).where(*where)
        .order_by(_u.path, _users.username).offset(offset).limit(limit))
    return [dict(row._mapping) for row in rows], int(total.scalar_one())
