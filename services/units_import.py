"""Import (or re-import, updating in place) an organisation tree in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select, update
from sqlmodel import Session

from ..db.bulk import insert_rows
from ..domain.acting import Actor, command_line
from ..domain.errors import InvalidInput
from ..domain.permissions import Action, require
from ..domain.unit_tree import UnitRow, compute_paths, validate_rows
from ..domain.units import unit_ancestor_table, unit_table
from .audit import record_audit
from .rollup_store import rebuild as rebuild_rollups

_table = unit_table
_unit = _table.c


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    total: int


def import_units(session: Session, rows: list[UnitRow], *, now: datetime,
                 by: Actor | None = None) -> ImportResult:
    """Validate everything first (nothing is written on error), then upsert by code. `by`,
    when a person (a unit's admin, Action.MANAGE_UNITS), may only add or change units below
    its own unit; the import is audited."""
    parent = unit_table.alias("parent")
    existing: dict[str, str | None] = dict(
        session.execute(
            select(_unit.code, parent.c.code).outerjoin(parent, _unit.parent_id == parent.c.id)
        ).tuples().all()
    )
    validate_rows(rows, existing)
    if by is not None and by.user_id is not None:
        require(by.role, Action.MANAGE_UNITS)
        _check_below(session, rows, by.unit_code)
    new_rows = [r for r in rows if r.code not in existing]
    if new_rows:
        session.execute(insert(_table), [_fields(r, now) for r in new_rows])
    ids = dict(session.execute(select(_unit.code, _unit.id)).tuples().all())
    for same_keys in _by_document_keys(rows):  # an executemany needs the same keys in each
        session.execute(
            update(_table).where(_unit.id == bindparam("uid")),
            [{"uid": ids[r.code], "parent_id": ids[r.parent] if r.parent else None,
              **_fields(r, now), **r.document} for r in same_keys],
        )
    _refresh_paths(session)
    result = ImportResult(created=len(new_rows), updated=len(rows) - len(new_rows),
                          total=len(ids))
    # The operator's import is recorded at the top of what it touched (a unit of the file
    # without a parent, else the parent of its first row): the audit page of that unit and
    # those above it shows it.
    top = next((r.code for r in rows if not r.parent), rows[0].parent or rows[0].code) \
        if rows else ""
    by = by or command_line(top)
    record_audit(session, by, "units.import", subject_type="unit", subject_id=by.unit_code,
                 now=now,
                 summary=f"Nhập danh sách đơn vị: {result.created} đơn vị mới,"
                         f" {result.updated} cập nhật",
                 detail={"created": result.created, "updated": result.updated,
                         "codes": [r.code for r in rows][:200]})
    return result


def _check_below(session: Session, rows: list[UnitRow], top_code: str) -> None:
    """Every row is a unit strictly below `top_code`: one already stored there (it stays
    there), or a new one whose parent, by this file or as stored, is below it. An admin
    manages its subtree, not its own unit or anyone else's."""
    paths = dict(session.execute(select(_unit.code, _unit.path)).tuples().all())
    top = paths[top_code]
    parents = {r.code: r.parent for r in rows}
    for index, row in enumerate(rows):
        stored = paths.get(row.code)
        if row.code == top_code or (stored is not None and not stored.startswith(top)) \
                or not _reaches(row.parent, top_code, top, parents, paths):
            raise InvalidInput(f"units[{index}].code",
                               f"'{row.code}' không thuộc đơn vị {top_code}: chỉ được cập nhật"
                               " các đơn vị trực thuộc đơn vị mình")


def _reaches(code: str | None, top_code: str, top: str, parents: dict[str, str | None],
             paths: dict[str, str]) -> bool:
    seen: set[str] = set()
    while code is not None and code not in seen:
        if code == top_code:
            return True
        if code not in parents:  # stored, not in this file
            return code in paths and paths[code].startswith(top)
        seen.add(code)
        code = parents[code]
    return False


def _fields(row: UnitRow, now: datetime) -> dict[str, object]:
    return {
        "code": row.code, "name": row.name, "kind": row.kind, "emails": row.emails,
        "symbol": row.symbol, "path": "", "depth": 0, "updated_at": now,
    }


def _by_document_keys(rows: list[UnitRow]) -> list[list[UnitRow]]:
    """The rows grouped by which document fields they give (a field left out is kept)."""
    groups: dict[tuple[str, ...], list[UnitRow]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row.document)), []).append(row)
    return list(groups.values())


def _refresh_paths(session: Session) -> None:
    current = session.execute(select(_unit.id, _unit.parent_id, _unit.path, _unit.depth)).all()
    paths = compute_paths({uid: parent for uid, parent, _, _ in current})
    changed = [
        {"uid": uid, "path": paths[uid][0], "depth": paths[uid][1]}
        for uid, _, path, depth in current
        if (path, depth) != paths[uid]
    ]
    if changed:
        session.execute(
            update(_table).where(_unit.id == bindparam("uid")), changed)
        _refresh_ancestors(session, {row["uid"]: str(row["path"]) for row in changed})
        rebuild_rollups(session)  # subtrees changed: every node's rollup may have


def _refresh_ancestors(session: Session, paths: dict[int, str]) -> None:
    """Rewrite the closure rows of the units whose path changed."""
    ids = list(paths)
    for start in range(0, len(ids), 900):
        session.execute(delete(unit_ancestor_table).where(
            unit_ancestor_table.c.unit_id.in_(ids[start:start + 900])))
    insert_rows(session, unit_ancestor_table, ("unit_id", "ancestor_id", "depth"), [
        (uid, int(ancestor), depth)
        for uid, path in paths.items()
        for depth, ancestor in enumerate(path.strip("/").split("/"))
    ], unique=("unit_id", "ancestor_id"))
