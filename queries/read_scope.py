"""The read-side rule (chidao.domain.scope) applied to the database: the unit whose subtree a reader
may see on a directive, and which directives a unit may cite."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlmodel import Session

from ..domain.accounts import User
from ..domain.assignments import assignment_table
from ..domain.directives import Directive
from ..domain.scope import in_subtree, visible_top
from ..domain.units import Unit, subtree_bounds, unit_table

_a, _u = assignment_table.c, unit_table.c


def user_unit(session: Session, user: User) -> Unit:
    """The unit a signed-in user belongs to (and reads from)."""
    unit = session.get(Unit, user.unit_id)
    assert unit is not None
    return unit


def figures_scope(session: Session, reader: Unit | None, directive: Directive) -> Unit:
    """The top of what `reader` may see of `directive`'s cascade (None: an operator at the
    command line, who sees the whole cascade, as the issuer does)."""
    issuer = session.get(Unit, directive.issuer_id)
    assert issuer is not None
    if reader is None or visible_top(reader.path, issuer.path) == issuer.path:
        return issuer
    return reader


def may_cite(session: Session, unit: Unit, directive: Directive) -> bool:
    """A unit cites only what it can read as a basis: a directive issued by itself or by a
    unit above it, or addressed to it or to a unit below it (a run in its subtree)."""
    issuer = session.get(Unit, directive.issuer_id)
    assert issuer is not None
    if in_subtree(unit.path, issuer.path):
        return True
    low, high = subtree_bounds(unit.path)
    return bool(session.execute(select(exists().where(
        _a.directive_id == directive.id, _a.unit_id == _u.id, _u.path >= low, _u.path < high))
    ).scalar())
