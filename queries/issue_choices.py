"""What the issuing and gia hạn forms offer to pick from: the directives a unit may cite, the
units of its subtree, the report forms it may reuse, a directive's addressees."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session, col

from ..domain.assignments import assignment_table
from ..domain.directives import Directive, format_number_symbol
from ..domain.reports import ReportForm
from ..domain.unit_names import UnitChoice
from ..domain.units import Unit, subtree_bounds, unit_ancestor_table, unit_table

_a, _u = assignment_table.c, unit_table.c
CITE_LIMIT = 200  # the most recent ones; older ones are cited through the YAML page
SUBTREE_LIMIT = 400  # units offered by name; a larger subtree is targeted by kind


@dataclass(frozen=True)
class CiteChoice:
    id: int
    label: str  # "1039/KH-SGDĐT ngày 26/02/2026 — Triển khai ..."
    own: bool  # issued by the unit itself (not addressed to it)


@dataclass(frozen=True)
class FormChoice:
    ref: str  # "key@version", as a requirement's `form:` names it
    label: str
    issuer_id: int | None


def _label(d: Directive) -> str:
    return f"{format_number_symbol(d.number, d.symbol)} ngày {d.issued_on:%d/%m/%Y} — {d.title}"


def cite_choices(session: Session, unit: Unit) -> list[CiteChoice]:
    """Directives addressed to the unit (a run of its own), newest first, then its own."""
    addressed = select(_a.directive_id).where(_a.unit_id == unit.id).distinct()
    order = (Directive.issued_on.desc(), Directive.id.desc())  # type: ignore[attr-defined,union-attr]
    to_unit = session.execute(select(Directive).where(
        Directive.id.in_(addressed)).order_by(*order).limit(CITE_LIMIT)).scalars()  # type: ignore[union-attr]
    own = session.execute(select(Directive).where(col(Directive.issuer_id) == unit.id)
                          .order_by(*order).limit(CITE_LIMIT)).scalars()
    return [CiteChoice(d.id or 0, _label(d), False) for d in to_unit] + \
        [CiteChoice(d.id or 0, _label(d), True) for d in own]


def subtree_choices(session: Session, unit: Unit) -> list[UnitChoice]:
    """The units below `unit` (at most SUBTREE_LIMIT), in tree order (each under its parent)."""
    low, high = subtree_bounds(unit.path)
    rows = session.execute(select(_u.code, _u.name, _u.kind, _u.depth)
                           .where(_u.path > low, _u.path < high)
                           .order_by(_u.path).limit(SUBTREE_LIMIT)).all()
    return [UnitChoice(code, name, kind, depth) for code, name, kind, depth in rows]


def addressee_choices(session: Session, directive: Directive) -> list[UnitChoice]:
    """The units the directive gave a task to and the units between them and its issuer (a
    subtree to move a deadline for), level by level, by name."""
    issuer = session.get(Unit, directive.issuer_id)
    assert issuer is not None
    low, high = subtree_bounds(issuer.path)
    addressed = select(_a.unit_id).where(_a.directive_id == directive.id).distinct()
    above = select(unit_ancestor_table.c.ancestor_id).where(
        unit_ancestor_table.c.unit_id.in_(addressed)).distinct()
    rows = session.execute(
        select(_u.code, _u.name, _u.kind, _u.depth).where(
            _u.id.in_(above), _u.path > low, _u.path < high)
        .order_by(_u.depth, _u.name)).all()
    return [UnitChoice(code, name, kind, depth) for code, name, kind, depth in rows]


def form_choices(session: Session, unit: Unit) -> list[FormChoice]:
    """The latest version of each report form defined by the unit or a unit above it (a
    requirement reuses a form of its directive's lineage: chidao.services.forms_store)."""
    above = [int(part) for part in unit.path.strip("/").split("/") if part]
    latest = (select(ReportForm.issuer_id, ReportForm.key,  # type: ignore[call-overload]
                     func.max(ReportForm.version).label("version"))
              .where(ReportForm.issuer_id.in_(above))  # type: ignore[union-attr]
              .group_by(ReportForm.issuer_id, ReportForm.key).subquery())
    rows = session.execute(select(ReportForm, Unit.name).join(  # type: ignore[call-overload]
        latest, (ReportForm.issuer_id == latest.c.issuer_id) & (ReportForm.key == latest.c.key)
        & (ReportForm.version == latest.c.version)).join(
        Unit, Unit.id == ReportForm.issuer_id).order_by(ReportForm.title)).all()
    return [FormChoice(f"{form.key}@{form.version}", f"{form.title} ({name})", form.issuer_id)
            for form, name in rows]
