"""What a directive's pages show besides its cascade tree: its "Căn cứ", the requirements a
deadline can be moved for, and the plans a unit issued in response (a statement each)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session, SQLModel

from ..domain.directives import directive_table, format_number_symbol, requirement_table

citation_table = SQLModel.metadata.tables["citation"]
_c = citation_table.c
_d, _r = directive_table.c, requirement_table.c


@dataclass(frozen=True)
class CitedLine:
    id: int | None  # the cited directive (None: a document outside chidao, by its text)
    text: str


@dataclass(frozen=True)
class RequirementLine:
    key: str
    title: str


@dataclass(frozen=True)
class PlanLine:
    id: int
    number_symbol: str
    issued_on: date
    title: str


def cited(session: Session, directive_id: int) -> list[CitedLine]:
    return [CitedLine(*row) for row in session.execute(
        select(_c.cited_id, _c.ref_text).where(_c.directive_id == directive_id)
        .order_by(_c.id))]


def requirements(session: Session, directive_id: int) -> list[RequirementLine]:
    return [RequirementLine(*row) for row in session.execute(
        select(_r.key, _r.title).where(_r.directive_id == directive_id).order_by(_r.id))]


def plans_in_response(session: Session, directive_id: int, unit_id: int) -> list[PlanLine]:
    """The directives `unit_id` issued citing `directive_id`."""
    return [PlanLine(did, format_number_symbol(number, symbol), issued_on, title)
            for did, number, symbol, issued_on, title in session.execute(
                select(_d.id, _d.number, _d.symbol, _d.issued_on, _d.title)
                .join(citation_table, _c.directive_id == _d.id)
                .where(_c.cited_id == directive_id, _d.issuer_id == unit_id)
                .order_by(_d.id))]

