"""Read models for the pages and the API, always within the user's scope (paginated)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select
from sqlmodel import Session, col
from sqlmodel import select as model_select

from ..domain.accounts import User, may_read_unit
from ..domain.assignments import assignment_table
from ..domain.calendar import LOCAL_TZ, WorkingCalendar
from ..domain.directives import Citation, Directive, directive_table, format_number_symbol
from ..domain.status import AWAITING_UNIT, Status
from ..domain.timeliness import TimelinessJudge
from ..domain.units import Unit, subtree_bounds, unit_table
from .directive_search import DirectiveFilter, filter_choices, filter_clauses
from .read_scope import user_unit
from .rollup_counts import child_counts

_a, _d, _u = assignment_table.c, directive_table.c, unit_table.c
_issuer = unit_table.alias("issuer")
PAGE = 50


def due_window(now: datetime, cal: WorkingCalendar, soon_working_days: int
               ) -> tuple[datetime, datetime]:
    """(now, the end of the last day that counts as "sắp đến hạn"), as TimelinessJudge rules."""
    return now, cal.end_of_day(TimelinessJudge(now, cal, soon_working_days).soon_until)


def _counts(now: datetime, soon: datetime) -> list[Any]:
    awaiting = _a.status.in_(list(AWAITING_UNIT))
    done = _a.status.in_([Status.SUBMITTED, Status.ACCEPTED])
    return [func.count().label("total"),
            func.sum(case((done, 1), else_=0)).label("done"),
            func.sum(case((and_(awaiting, _a.due_at <= now), 1), else_=0)).label("overdue"),
            func.sum(case((and_(awaiting, _a.due_at > now, _a.due_at <= soon), 1),
                          else_=0)).label("soon")]


def visible_directives(session: Session, user: User, *, now: datetime, soon: datetime,
                       page: int, search: DirectiveFilter | None = None,
                       per_page: int = PAGE) -> list[dict[str, Any]]:
    """A page (from 0; `per_page` rows and one more, which tells a next page exists) of the
    directives issued in the user's subtree or addressed to a unit in it, narrowed by
    `search` (chidao.queries.directive_search), with their runs counted (all of them for a
    directive issued in the subtree, else those in the subtree): two statements whatever the
    number of rows."""
    reader = user_unit(session, user)
    mine, issued_here, visible = _visibility(reader)
    wheres = filter_clauses(search, reader, issued_here, now) if search else []
    rows = session.execute(
        select(_d.id, _d.number, _d.symbol, _d.issued_on, _d.title, _issuer.c.name, issued_here,
               _d.recalled_at)
        .join(_issuer, _issuer.c.id == _d.issuer_id)
        .where(visible, *wheres)
        .order_by(_d.issued_on.desc(), _d.id.desc()).limit(per_page + 1)
        .offset(page * per_page)).all()
    counts = _run_counts(session, [r[0] for r in rows if r[6]], [r[0] for r in rows if not r[6]],
                         mine, now, soon)
    result = []
    for did, number, symbol, issued_on, title, issuer, _, recalled_at in rows:
        total, done, overdue = counts.get(did, (0, 0, 0))
        result.append({"id": did, "number_symbol": format_number_symbol(number, symbol),
                       "issued_on": f"{issued_on:%d/%m/%Y}", "title": title, "issuer": issuer,
                       "total": total, "done": done, "overdue": overdue,
                       "percent": round(100 * done / total) if total else 0,
                       "recalled": f"{recalled_at.astimezone(LOCAL_TZ):%d/%m/%Y}"
                       if recalled_at else ""})
    return result


def visible_directive_count(session: Session, user: User) -> int:
    """How many directives visible_directives lists in all (no search)."""
    _, _, visible = _visibility(user_unit(session, user))
    return int(session.execute(select(func.count()).select_from(directive_table)
                               .join(_issuer, _issuer.c.id == _d.issuer_id)
                               .where(visible)).scalar_one())


def list_choices(session: Session, user: User) -> tuple[list[tuple[int, str]], list[int]]:
    """The issuers and years the user's directive list can be narrowed to."""
    _, _, visible = _visibility(user_unit(session, user))
    return filter_choices(session, visible, _issuer)


def _visibility(reader: Unit) -> tuple[Any, Any, Any]:
    """(a unit row is in the reader's subtree, the directive was issued there, the directive
    is visible: issued there or addressed to a unit there)."""
    low, high = subtree_bounds(reader.path)
    mine = and_(_u.path >= low, _u.path < high)
    issued_here = and_(_issuer.c.path >= low, _issuer.c.path < high)
    addressed_here = exists().where(_a.directive_id == _d.id, _a.unit_id == _u.id, mine)
    return mine, issued_here, or_(issued_here, addressed_here)


def _run_counts(session: Session, whole: list[int], scoped: list[int], mine: Any,
                now: datetime, soon: datetime) -> dict[int, tuple[int, int, int]]:
    """directive id -> (runs, done, overdue): every run of the `whole` directives, the runs
    within `mine` of the `scoped` ones (one grouped query)."""
    if not whole and not scoped:
        return {}
    total, done, overdue, _ = _counts(now, soon)
    found = session.execute(
        select(_a.directive_id, total, done, overdue).select_from(assignment_table)
        .join(unit_table, _u.id == _a.unit_id)
        .where(or_(_a.directive_id.in_(whole), and_(_a.directive_id.in_(scoped), mine)))
        .group_by(_a.directive_id))
    return {did: (runs, done or 0, late or 0) for did, runs, done, late in found}


def directive_units(session: Session, user: User, directive: Directive, *, now: datetime,
                    soon: datetime, page: int, under: Unit | None = None,
                    per_page: int = PAGE) -> tuple[list[dict[str, Any]], int]:
    """One level of the cascade tree: the children of `under` (default: the issuer, or the
    user's own unit when it sits below the issuer) that have runs in their subtree, with
    counts rolled up over that subtree and the plans each issued in response."""
    mine = user_unit(session, user)
    issuer = session.get(Unit, directive.issuer_id)
    assert issuer is not None
    view = under or (issuer if may_read_unit(mine.path, issuer.path) else mine)
    # One level holds tens to a few thousand nodes: sorted and paged here, counted once.
    every = sorted(child_counts(session, directive.id or 0, view.id or 0, now, soon),
                   key=lambda r: r[1])
    total_units, rows = len(every), every[page * per_page:(page + 1) * per_page + 1]
    ids = [r[0] for r in rows]
    # By the shown units' index, not the directive's (all its runs): `+ 0` hides the latter.
    assignees = set(session.execute(select(_a.unit_id).where(
        _a.directive_id + 0 == directive.id, _a.unit_id.in_(ids))).scalars())
    children: dict[int, list[Directive]] = {}
    for child in session.exec(model_select(Directive).join(
            Citation, col(Citation.directive_id) == col(Directive.id)).where(
            col(Citation.cited_id) == directive.id, col(Directive.issuer_id).in_(ids))):
        children.setdefault(child.issuer_id, []).append(child)
    units = [{"unit_id": uid, "name": name, "total": total, "done": done or 0,
              "overdue": overdue or 0, "soon": soon_count or 0, "assignee": uid in assignees,
              "state": "overdue" if overdue else ("due_soon" if soon_count else "on_track"),
              "children": children.get(uid, [])}
             for uid, name, total, done, overdue, soon_count in rows]
    return units, total_units
