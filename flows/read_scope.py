"""The read-side rule (domain.scope) applied to the database: the unit whose subtree a reader
may see on a directive, and the ids of the units in it."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlmodel import Session

from domain.assignments import assignment_table
from domain.directives import Directive
from domain.scope import in_subtree, visible_top
from domain.units import Unit, subtree_bounds, unit_table

_a, _u = assignment_table.c, unit_table.c


def figures_scope(session: Session, reader: Unit | None, directive: Directive) -> Unit:
    """The top of what `reader` may see of `directive`'s cascade (None: an operator at the
    command line, who sees the whole cascade, as the issuer does)."""
    issuer = session.get(Unit, directive.issuer_id)
    assert issuer is not None
    if reader is None or visible_top(reader.path, issuer.path) == issuer.path:
        return issuer
    return reader


def may_cite(session: Session, unit: Unit, directive: Directive) -> bool:
    """A unit cites only what it can read: a directive issued by itself, by a unit above it
    or below it, or addressed to a unit of its subtree (it has a run)."""
    issuer = session.get(Unit, directive.issuer_id)
    assert issuer is not None
    if in_subtree(unit.path, issuer.path) or in_subtree(issuer.path, unit.path):
        return True
    low, high = subtree_bounds(unit.path)
    return bool(session.execute(select(exists().where(
        _a.directive_id == directive.id, _a.unit_id == _u.id, _u.path >= low, _u.path < high))
    ).scalar())


def visible_unit_ids(session: Session, reader: Unit | None, directive: Directive) -> set[int]:
    """Every unit whose figures `reader` may see on `directive`'s cascade."""
    low, high = subtree_bounds(figures_scope(session, reader, directive).path)
    return set(session.execute(select(_u.id).where(_u.path >= low, _u.path < high)).scalars())
