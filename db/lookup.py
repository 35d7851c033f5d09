"""Find units, directives and assignments by the references people type."""

from __future__ import annotations

from sqlalchemy import case
from sqlmodel import Session, col, select

from ..domain.assignments import Assignment
from ..domain.directives import Directive
from ..domain.errors import InvalidInput
from ..domain.units import Unit


def unit_by_code(session: Session, code: str, *, field: str = "unit") -> Unit:
    unit = session.exec(select(Unit).where(Unit.code == code)).first()
    if unit is None:
        raise InvalidInput(field, f"'{code}' is not a known unit code")
    return unit


def find_directive(session: Session, ref: str) -> Directive | None:
    """By key, by id (#12 or 12), or by number/symbol (the latest one if several years).

    "8/KH-UBND" finds "08/KH-UBND": the same number of the same issuer (NĐ 30 numbers are
    unique per issuer and year whatever their spelling); a match as typed comes first. The
    sentence officials write, "Kế hoạch số 215/KH-SGDĐT ngày 18/01/2027 của Sở …", is read as
    the importer reads it (its date decides when several years used the number)."""
    ref = ref.strip()
    found = session.exec(select(Directive).where(Directive.key == ref)).first()
    if found is not None:
        return found
    if ref.lstrip("#").isdigit():
        return session.get(Directive, int(ref.lstrip("#")))
    # (the directive-file rules load only for a number typed: a command naming a unit or a
    # key does not pay for their pydantic models)
    from ..domain.doc_refs import citations_in, date_in
    from ..domain.specs import parse_number_symbol

    try:
        number, symbol = parse_number_symbol(ref.split(" ngày")[0])
    except ValueError:
        cited = citations_in(ref)
        if len(cited) != 1 or len(cited[0]["number"]) > 9:
            return None  # no citation, or several in one sentence: nothing to link
        return cited_directive(session, cited[0]["number"], cited[0]["symbol"], cited[0]["date"])
    if number is None:
        return None
    written = ref.split(" ngày", 1)
    return cited_directive(session, number, symbol, date_in(written[1]) if len(written) > 1
                           else None)


def cited_directive(session: Session, number: str, symbol: str,
                    issued_on: str | None) -> Directive | None:
    """The directive numbered `number`/`symbol`; when several years used it, the one issued
    on `issued_on` (ISO date), else of that year, else none (not a guess); without a date,
    the latest."""
    found = session.exec(
        select(Directive)
        .where(Directive.number_value == int(number), Directive.symbol == symbol)
        .order_by(case((col(Directive.number) == number, 0), else_=1),
                  col(Directive.issued_on).desc())
    ).all()
    if len(found) < 2 or issued_on is None:
        return found[0] if found else None
    return next((d for d in found if d.issued_on.isoformat() == issued_on),
                next((d for d in found if d.issue_year == int(issued_on[:4])), None))


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
