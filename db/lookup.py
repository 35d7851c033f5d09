"""Find units, directives and assignments by the references people type."""

from __future__ import annotations

from sqlalchemy import case
from sqlmodel import Session, col, select

from ..domain.assignments import Assignment
from ..domain.directives import Directive
from ..domain.errors import InvalidInput
from ..domain.specs import parse_number_symbol
from ..domain.units import Unit


def unit_by_code(session: Session, code: str, *, field: str = "unit") -> Unit:
    unit = session.exec(select(Unit).where(Unit.code == code)).first()
    if unit is None:
        raise InvalidInput(field, f"'{code}' is not a known unit code")
    return unit


def find_directive(session: Session, ref: str) -> Directive | None:
    """By key, by id (#12 or 12), or by number/symbol (the latest one if several years).

    "8/KH-UBND" finds "08/KH-UBND": the same number of the same issuer (NĐ 30 numbers are
    unique per issuer and year whatever their spelling); a match as typed comes first."""
    ref = ref.strip()
    found = session.exec(select(Directive).where(Directive.key == ref)).first()
    if found is not None:
        return found
    if ref.lstrip("#").isdigit():
        return session.get(Directive, int(ref.lstrip("#")))
    try:
        number, symbol = parse_number_symbol(ref.split(" ngày")[0])
    except ValueError:
        return None
    if number is None:
        return None
    return session.exec(
        select(Directive)
        .where(Directive.number_value == int(number), Directive.symbol == symbol)
        .order_by(case((col(Directive.number) == number, 0), else_=1),
                  col(Directive.issued_on).desc())
    ).first()


def directive_by_ref(session: Session, ref: str, *, field: str = "ref") -> Directive:
    directive = find_directive(session, ref)
    if directive is None:
        raise InvalidInput(field, f"no directive matches '{ref}' (key, id or number/symbol)")
    return directive


def assignment_by_id(session: Session, assignment_id: int) -> Assignment:
    assignment = session.get(Assignment, assignment_id)
    if assignment is None:
        raise InvalidInput("assignment", f"there is no assignment {assignment_id}")
    return assignment
