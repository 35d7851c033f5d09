"""What a directive's pages show besides its cascade tree: its "Căn cứ", its requirements (the
ones a deadline can be moved for; and as its text: who must do what by when), its own files,
and the plans a unit issued in response (a statement each)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, distinct, func, select
from sqlmodel import Session, SQLModel, col
from sqlmodel import select as model_select

from ..domain.assignments import assignment_table
from ..domain.citing import document_name
from ..domain.directives import (
    DirectiveFile,
    RequirementKind,
    directive_table,
    format_number_symbol,
    requirement_table,
)
from ..domain.reports import size_text
from ..domain.units import unit_table
from .amendments import closed_by_amendment, earlier_amendments

citation_table = SQLModel.metadata.tables["citation"]
_c = citation_table.c
_d, _r = directive_table.c, requirement_table.c
_a, _u = assignment_table.c, unit_table.c
_form_table = SQLModel.metadata.tables["report_form"]
_f = _form_table.c
NAMED_UNITS = 5  # a requirement names its units up to this many, then counts the rest


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
    """Each "Căn cứ": a directive in chidao as a document names it ("Kế hoạch số
    1039/KH-SGDĐT ngày 26/02/2026 của Sở …", never its key), an outside one by its text."""
    cited_d = directive_table.alias("cited_d")
    rows = session.execute(
        select(_c.cited_id, _c.ref_text, cited_d.c.doc_type, cited_d.c.number,
               cited_d.c.symbol, cited_d.c.issued_on, _u.name)
        .select_from(citation_table.outerjoin(cited_d, cited_d.c.id == _c.cited_id)
                     .outerjoin(unit_table, _u.id == cited_d.c.issuer_id))
        .where(_c.directive_id == directive_id).order_by(_c.id))
    return [CitedLine(cited_id, _cited_text(ref_text, doc_type, number, symbol, issued_on,
                                            issuer))
            for cited_id, ref_text, doc_type, number, symbol, issued_on, issuer in rows]


def _cited_text(ref_text: str, doc_type: str | None, number: str | None, symbol: str | None,
                issued_on: date | None, issuer: str | None) -> str:
    if symbol is None or issued_on is None:
        return ref_text
    return document_name(doc_type, number, symbol, issued_on, issuer)


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



@dataclass(frozen=True)
class RequirementText:
    """A requirement as the directive's text says it: what, of which kind, for whom, by when."""

    title: str
    kind: str  # in words: "xây dựng kế hoạch", "báo cáo", "thực hiện"
    form: str | None  # the report form's title
    units: int
    named: list[str]  # up to NAMED_UNITS unit names
    first_due: date | None
    last_due: date | None
    periods: int
    dropped: bool = False  # left out of the directive by an amendment (sửa đổi, bổ sung)


@dataclass(frozen=True)
class FileLine:
    id: int
    name: str
    size: str  # in words: "12 KB"
    text: str | None


def requirement_texts(session: Session, directive_id: int) -> list[RequirementText]:
    """Each requirement with the units it was given to and its deadlines (two statements),
    as amended: a run an amendment closed is no longer the unit's, a requirement it dropped
    says so."""
    rows = session.execute(
        select(_r.id, _r.title, _r.kind, _f.title, func.count(distinct(_a.unit_id)),
               func.min(_a.due_on), func.max(_a.due_on), func.count(distinct(_a.period)),
               _r.key)
        .outerjoin(_form_table, _f.id == _r.form_id)
        .outerjoin(assignment_table, and_(_a.requirement_id == _r.id, ~closed_by_amendment()))
        .where(_r.directive_id == directive_id)
        .group_by(_r.id, _r.title, _r.kind, _f.title, _r.key).order_by(_r.id)).all()
    dropped = earlier_amendments(session, directive_id)[0]
    few = [r[0] for r in rows if r[4] <= NAMED_UNITS]
    names: dict[int, list[str]] = {}
    for req_id, name in session.execute(
            select(_a.requirement_id, _u.name).join(unit_table, _u.id == _a.unit_id)
            .where(_a.requirement_id.in_(few), ~closed_by_amendment()).distinct()
            .order_by(_a.requirement_id, _u.name)):
        names.setdefault(req_id, []).append(name)
    return [RequirementText(title, RequirementKind(kind).label, form, units,
                            names.get(req_id, []), first, last, periods, key in dropped)
            for req_id, title, kind, form, units, first, last, periods, key in rows]


def files_of(session: Session, directive_id: int) -> list[FileLine]:
    return [FileLine(f.id or 0, f.name, size_text(f.size), f.text)
            for f in session.exec(model_select(DirectiveFile).where(
                DirectiveFile.directive_id == directive_id).order_by(col(DirectiveFile.id)))]
