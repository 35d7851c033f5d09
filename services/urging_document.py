"""A công văn đôn đốc: from a unit to its sub-units late under a directive — the directive
itself, or the unit's own plans answering it.

The plan is cited from where the unit stands: its issuer writes "Ngày 26/02/2026, Sở … ban
hành Kế hoạch số 1039/KH-SGDĐT về …" about its own plan; a unit below writes "Thực hiện Kế
hoạch số … ngày … của <issuer> về …"."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session, col

from ..db.lookup import unit_by_code
from ..domain.assignments import assignment_table
from ..domain.citing import document_name, subject
from ..domain.directives import Directive, requirement_table
from ..domain.official_document import DocumentKind, OfficialDocument, Paragraph
from ..domain.official_document import ParagraphStyle as Style
from ..domain.signing import Signer
from ..domain.status import AWAITING_UNIT
from ..domain.units import Unit, unit_table
from .document_parts import (
    SignerChoice,
    archive_line,
    citation_table,
    cite,
    date_words,
    letterhead,
    sign,
)

_a, _r, _u = assignment_table.c, requirement_table.c, unit_table.c


def _own_answers(session: Session, directive: Directive, unit: Unit) -> list[Directive]:
    """The unit's own directives that cite `directive` (its implementation plans)."""
    return list(session.execute(
        select(Directive)
        .join(citation_table, citation_table.c.directive_id == col(Directive.id))
        .where(citation_table.c.cited_id == directive.id, col(Directive.issuer_id) == unit.id)
        .order_by(col(Directive.id))).scalars())


def _opening(session: Session, directive: Directive, unit: Unit,
             answers: list[Directive]) -> str:
    if directive.issuer_id == unit.id:
        named = document_name(directive.doc_type, directive.number, directive.symbol,
                              directive.issued_on).split(" ngày ")[0]
        return (f"Ngày {directive.issued_on:%d/%m/%Y}, {unit.name} ban hành {named} về "
                f"{subject(directive.title)}.")
    text = f"Thực hiện {cite(session, directive)}"
    if answers:
        own = "; ".join(cite(session, a, with_subject=False).removesuffix(f" của {unit.name}")
                        for a in answers)
        text += f", {unit.name} đã ban hành {own} để triển khai thực hiện"
    return text + "."


def _subject_line(directive: Directive) -> str:
    """"đôn đốc triển khai thực hiện Kế hoạch số 1039/KH-SGDĐT" (no number: its date)."""
    named = document_name(directive.doc_type, directive.number, directive.symbol,
                          directive.issued_on)
    return f"đôn đốc triển khai thực hiện {named.split(' ngày ')[0] if directive.number else named}"


def urging_letter(session: Session, *, directive: Directive, unit_code: str, now: datetime,
                  today: date, signer: Signer | str = Signer.HEAD, signer_name: str = "",
                  signer_title: str | None = None) -> OfficialDocument:
    """A công văn đôn đốc from `unit_code` to its sub-units late under `directive` (or under
    the unit's own plans citing it)."""
    unit = unit_by_code(session, unit_code)
    head = letterhead(session, unit)
    answers = _own_answers(session, directive, unit)
    late = session.execute(
        select(_u.name, _r.title, _a.due_on).join(unit_table, _u.id == _a.unit_id)
        .join(requirement_table, _r.id == _a.requirement_id)
        .where(_a.directive_id.in_([directive.id, *[a.id for a in answers]]),
               _u.parent_id == unit.id, _a.due_on < today,
               _a.status.in_(sorted(AWAITING_UNIT)))
        .order_by(_u.name, _a.due_on)).all()
    names = sorted({name for name, _, _ in late})
    body = [Paragraph(_opening(session, directive, unit, answers)),
            Paragraph(f"Đến ngày {today:%d/%m/%Y}, các đơn vị sau chưa hoàn thành nhiệm vụ "
                      "được giao:")]
    body += [Paragraph(f"{name}: {title} (hạn {due:%d/%m/%Y});", Style.BULLET)
             for name, title, due in late]
    body.append(Paragraph(f"{unit.name} đề nghị các đơn vị khẩn trương hoàn thành các nhiệm "
                          f"vụ nêu trên và báo cáo kết quả về {unit.name}./."))
    issuer = session.get(Unit, directive.issuer_id)
    report_to = [f"{issuer.name} (để b/c);"] if issuer and issuer.id != unit.id else []
    warnings = [*head.warnings] + ([] if late else [
        f"Đến ngày {today:%d/%m/%Y} không có đơn vị cấp dưới nào chậm: không cần đôn đốc."])
    return OfficialDocument(
        kind=DocumentKind.LETTER, governing_body=head.governing_body, issuer=head.issuer,
        number="", symbol=unit.symbol or "……", place=head.place, date_words=date_words(now),
        title=_subject_line(directive),
        signature=sign(head, SignerChoice(Signer(signer), signer_name, signer_title)),
        addressees=tuple(names), body=tuple(body),
        recipients=("Như trên;", *report_to, archive_line(session, unit)),
        warnings=tuple(warnings))
