"""What a unit may draft (read side, never writes): the implementation plan a run asks of it
(a kế hoạch requirement), the directives under which its direct subordinates are late (an
urging letter), and a directive to preview the unit's header and signature with."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, or_, select
from sqlmodel import Session

from ..domain.assignments import Assignment, assignment_table
from ..domain.directives import Directive, RequirementKind, directive_table, requirement_table
from ..domain.status import AWAITING_UNIT
from ..domain.units import unit_table

_a, _d, _r, _u = assignment_table.c, directive_table.c, requirement_table.c, unit_table.c


def asks_for_plan(session: Session, run: Assignment) -> bool:
    """The run's requirement is a kế hoạch: the unit answers it with its own plan."""
    kind = session.execute(select(_r.kind).where(_r.id == run.requirement_id)).scalar()
    return kind == RequirementKind.PLAN.value


def late_children(session: Session, unit_id: int, directive_ids: Iterable[int],
                  today: date) -> dict[int, int]:
    """Per directive (of `directive_ids`), how many runs of the unit's direct subordinates
    are past their deadline and not handed in (what an urging letter lists); directives
    without any are left out."""
    ids = list(directive_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(_a.directive_id, func.count()).join(unit_table, _u.id == _a.unit_id)
        .where(_a.directive_id.in_(ids), _u.parent_id == unit_id, _a.due_on < today,
               _a.status.in_(sorted(AWAITING_UNIT)))
        .group_by(_a.directive_id)).all()
    return {int(directive_id): int(count) for directive_id, count in rows}


def preview_directive(session: Session, unit_id: int) -> tuple[Directive, bool] | None:
    """A directive to draft a sample document of the unit with: the latest one asking it for
    a plan (True: draft the plan), else the latest it issued or received (False: draft a
    letter under it); None when the unit has none."""
    planned = session.execute(
        select(_a.directive_id).join(requirement_table, _r.id == _a.requirement_id)
        .join(directive_table, _d.id == _a.directive_id)
        .where(_a.unit_id == unit_id, _r.kind == RequirementKind.PLAN.value)
        .order_by(_d.issued_on.desc(), _d.id.desc()).limit(1)).scalar()
    found = session.get(Directive, planned) if planned is not None else None
    if found is not None:
        return found, True
    received = select(_a.directive_id).where(_a.unit_id == unit_id)
    other = session.execute(
        select(_d.id).where(or_(_d.issuer_id == unit_id, _d.id.in_(received)))
        .order_by(_d.issued_on.desc(), _d.id.desc()).limit(1)).scalar()
    found = session.get(Directive, other) if other is not None else None
    return (found, False) if found is not None else None
