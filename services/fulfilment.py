"""A unit issuing its own plan that cites a parent directive fulfils its `plan` runs there."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from ..domain.assignments import Assignment
from ..domain.directives import Directive, Requirement, RequirementKind
from ..domain.status import AWAITING_UNIT, Status
from ..domain.units import Unit
from .status_changes import change_status


def fulfil_plans(
    session: Session, issuer: Unit, directive: Directive, cited: list[Directive], *,
    now: datetime,
) -> list[int]:
    """Submit the issuer's open plan assignments under the cited directives; link them to
    `directive` (lineage). Returns the ids of the assignments it submitted."""
    if not cited:
        return []
    open_plans = session.exec(
        select(Assignment)
        .join(Requirement, col(Requirement.id) == col(Assignment.requirement_id))
        .where(
            Assignment.unit_id == issuer.id,
            col(Assignment.directive_id).in_([d.id for d in cited]),
            Requirement.kind == RequirementKind.PLAN.value,
            col(Assignment.status).in_(sorted(AWAITING_UNIT)),
        )
    ).all()
    for assignment in open_plans:
        assignment.fulfilled_by_id = directive.id
        change_status(
            session, assignment, Status.SUBMITTED, actor=issuer.code,
            reason=f"Ban hành văn bản {directive.number_symbol}"
                   f" ngày {directive.issued_on:%d/%m/%Y}",
            now=now,
        )
    return [a.id for a in open_plans if a.id is not None]
