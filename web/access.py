"""Server-side scoping: every object a route touches is fetched through these, which answer
404 for what the user may not read (existence is not revealed) and 403 for what it may read
but not do."""

from __future__ import annotations

from fastapi import HTTPException
from sqlalchemy import exists, select
from sqlmodel import Session

from ..domain.accounts import User, may_read_run, may_read_unit
from ..domain.assignments import Assignment, assignment_table
from ..domain.directives import Directive
from ..domain.units import Unit, subtree_bounds, unit_ancestor_table, unit_table
from ..queries.read_scope import user_unit as user_unit  # (the pages take it from here)


def readable_unit(session: Session, user: User, unit_id: int) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None or not may_read_unit(user_unit(session, user).path, unit.path):
        raise HTTPException(404, "Không tìm thấy đơn vị")
    return unit


def readable_directive(session: Session, user: User, directive_id: int) -> Directive:
    """Issued within the user's subtree, or addressed to a unit within it or above it."""
    directive = session.get(Directive, directive_id)
    if directive is None or not directive_visible(session, user, directive):
        raise HTTPException(404, "Không tìm thấy văn bản")
    return directive


def directive_visible(session: Session, user: User, directive: Directive) -> bool:
    mine = user_unit(session, user)
    issuer = session.get(Unit, directive.issuer_id)
    if issuer is not None and may_read_unit(mine.path, issuer.path):
        return True
    low, high = subtree_bounds(mine.path)
    a, u, up = assignment_table.c, unit_table.c, unit_ancestor_table.c
    below = exists().where(
        a.directive_id == directive.id, a.unit_id == u.id, u.path >= low, u.path < high)
    # Addressed to a unit above: the plans that reached the unit from above, which its own
    # task's directive cites as "Căn cứ" (figures stay scoped to the reader's subtree).
    above = exists().where(a.directive_id == directive.id, a.unit_id == up.ancestor_id,
                           up.unit_id == mine.id)
    return bool(session.execute(select(below | above)).scalar())


def readable_run(session: Session, user: User, assignment_id: int) -> Assignment:
    run = session.get(Assignment, assignment_id)
    if run is None:
        raise HTTPException(404, "Không tìm thấy nhiệm vụ")
    unit = session.get(Unit, run.unit_id)
    directive = session.get(Directive, run.directive_id)
    issuer = session.get(Unit, directive.issuer_id) if directive else None
    assert unit is not None and issuer is not None
    if not may_read_run(user_unit(session, user).path, unit.path, issuer.path):
        raise HTTPException(404, "Không tìm thấy nhiệm vụ")
    return run


def own_run(session: Session, user: User, assignment_id: int) -> Assignment:
    """A run the user's own unit must do (receive, submit)."""
    run = readable_run(session, user, assignment_id)
    if run.unit_id != user.unit_id:
        raise HTTPException(403, "Chỉ đơn vị được giao mới được nộp")
    return run


def issued_run(session: Session, user: User, assignment_id: int) -> Assignment:
    """A run the user's unit issued (accept, return)."""
    run = readable_run(session, user, assignment_id)
    directive = session.get(Directive, run.directive_id)
    if directive is None or directive.issuer_id != user.unit_id:
        raise HTTPException(403, "Chỉ đơn vị giao nhiệm vụ mới được duyệt")
    return run


def viewable_in_directive(session: Session, user: User, directive: Directive, unit_id: int) -> Unit:
    """A unit of the directive's tree the user may look at: in its own subtree, or anywhere
    below the issuer when the issuer is in the user's subtree."""
    unit, issuer = session.get(Unit, unit_id), session.get(Unit, directive.issuer_id)
    mine = user_unit(session, user).path
    if unit is None or issuer is None or not (
            unit.path.startswith(mine)
            or (issuer.path.startswith(mine) and unit.path.startswith(issuer.path))):
        raise HTTPException(404, "Không tìm thấy đơn vị")
    return unit
