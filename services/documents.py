"""Documents a unit must produce, laid out as Nghị định 30/2020 asks: its implementation plan
answering a directive, and a letter urging its late subordinates (công văn đôn đốc).
A document is a list of blocks that the .docx and HTML writers render alike."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session

from ..db.lookup import unit_by_code
from ..domain.assignments import assignment_table
from ..domain.calendar import WorkingCalendar
from ..domain.directives import DOC_TYPE_LABELS, Directive, DocType, requirement_table
from ..domain.official_document import (
    DocumentKind,
    OfficialDocument,
    Paragraph,
    ParagraphStyle,
    Signature,
)
from ..domain.status import AWAITING_UNIT
from ..domain.units import Unit, UnitKind, unit_table

_a, _r, _u = assignment_table.c, requirement_table.c, unit_table.c
HEAD_TITLES = {UnitKind.PEOPLE_COMMITTEE: "CHỦ TỊCH", UnitKind.SCHOOL: "HIỆU TRƯỞNG",
               UnitKind.OFFICE: "TRƯỞNG PHÒNG", UnitKind.DEPARTMENT: "GIÁM ĐỐC",
               UnitKind.MINISTRY: "BỘ TRƯỞNG"}
GROUPS = {UnitKind.OFFICE.value: None, UnitKind.SCHOOL.value: "Các cơ sở giáo dục mầm non",
          UnitKind.INDEPENDENT_CLASS.value: "Các cơ sở giáo dục mầm non",
          UnitKind.TEAM.value: "Các tổ chuyên môn, bộ phận",
          UnitKind.PEOPLE_COMMITTEE.value: "Ủy ban nhân dân các xã, phường, đặc khu"}


def place_of(unit: Unit) -> str:
    """"Ủy ban nhân dân đặc khu Kiên Hải" -> "Kiên Hải" (the name after its kind words)."""
    for word in ("đặc khu ", "phường ", "xã ", "tỉnh ", "huyện ", "thành phố "):
        if word in unit.name:
            return unit.name.split(word, 1)[1]
    return unit.name.split(" ")[-1]


def _date_words(when: datetime) -> str:
    """A draft's date: the day is left blank for the signer ("ngày     tháng 3 năm 2026")."""
    return f"ngày     tháng {when.month} năm {when.year}"


def _signature(unit: Unit) -> Signature:
    return Signature((f"TM. {unit.name.upper()}",),
                     HEAD_TITLES.get(UnitKind(unit.kind), "THỦ TRƯỞNG ĐƠN VỊ"))


def _governing_body(session: Session, unit: Unit) -> str:
    parent = session.get(Unit, unit.parent_id or 0)
    return parent.name.upper() if parent else ""


def implementation_plan(session: Session, *, directive: Directive, unit_code: str,
                        now: datetime, calendar: WorkingCalendar,
                        days_before: int) -> OfficialDocument:
    unit = unit_by_code(session, unit_code)
    parent_issuer = session.get(Unit, directive.issuer_id)
    assert parent_issuer is not None
    own = session.execute(select(_r.title, _a.due_on).join(
        requirement_table, _r.id == _a.requirement_id).where(
        _a.directive_id == directive.id, _a.unit_id == unit.id).order_by(_a.due_on)).all()
    children = session.execute(select(_u.name, _u.kind).where(_u.parent_id == unit.id)
                               .order_by(_u.kind, _u.name)).all()
    groups: dict[str, list[str]] = {}
    for name, kind in children:
        groups.setdefault(GROUPS.get(kind) or name, []).append(name)
    body = [Paragraph(f"Căn cứ {DOC_TYPE_LABELS[DocType(directive.doc_type)]} số "
                      f"{directive.number_symbol} ngày {directive.issued_on:%d/%m/%Y} "
                      f"của {parent_issuer.name} về {directive.title[0].lower()}"
                      f"{directive.title[1:]};"),
            Paragraph(f"{unit.name} xây dựng Kế hoạch triển khai thực hiện, cụ thể như sau:"),
            Paragraph("I. TỔ CHỨC THỰC HIỆN", ParagraphStyle.HEADING)]
    for index, group in enumerate(groups, start=1):
        body.append(Paragraph(f"{index}. {group}", ParagraphStyle.SUBHEADING))
        for title, due in own:
            child_due = calendar.add_working_days(due, -days_before)
            body.append(Paragraph(f"{title} (hoàn thành trước {child_due:%d/%m/%Y});",
                                  ParagraphStyle.BULLET))
    return OfficialDocument(
        kind=DocumentKind.PLAN, governing_body=_governing_body(session, unit),
        issuer=unit.name.upper(), number="", symbol=f"KH-{unit.symbol or 'UBND'}",
        place=place_of(unit), date_words=_date_words(now), title=directive.title,
        signature=_signature(unit), body=tuple(body),
        recipients=(f"{parent_issuer.name} (để b/c);",
                    *[f"{group} (để thực hiện);" for group in groups], "Lưu: VT."))


def urging_letter(session: Session, *, directive: Directive, unit_code: str, now: datetime,
                  today: date) -> OfficialDocument:
    """A công văn đôn đốc from `unit_code` to its subordinates late under `directive`."""
    unit = unit_by_code(session, unit_code)
    late = session.execute(
        select(_u.name, _r.title, _a.due_on).join(unit_table, _u.id == _a.unit_id)
        .join(requirement_table, _r.id == _a.requirement_id)
        .where(_a.directive_id == directive.id, _u.parent_id == unit.id, _a.due_on < today,
               _a.status.in_(sorted(AWAITING_UNIT)))
        .order_by(_u.name, _a.due_on)).all()
    names = sorted({name for name, _, _ in late})
    body = [Paragraph(f"Thực hiện {DOC_TYPE_LABELS[DocType(directive.doc_type)]} số "
                      f"{directive.number_symbol} ngày {directive.issued_on:%d/%m/%Y}, "
                      f"đến ngày {today:%d/%m/%Y} các đơn vị sau chưa hoàn thành nhiệm vụ:")]
    body += [Paragraph(f"{name}: {title} (hạn {due:%d/%m/%Y});", ParagraphStyle.BULLET)
             for name, title, due in late]
    body.append(Paragraph(f"{unit.name} đề nghị các đơn vị khẩn trương hoàn thành và báo "
                          "cáo kết quả./."))
    return OfficialDocument(
        kind=DocumentKind.LETTER, governing_body=_governing_body(session, unit),
        issuer=unit.name.upper(), number="", symbol=f"{unit.symbol or 'UBND'}",
        place=place_of(unit), date_words=_date_words(now),
        title=f"đôn đốc thực hiện {directive.title[0].lower()}{directive.title[1:]}",
        signature=_signature(unit), addressees=tuple(names), body=tuple(body),
        recipients=("Như trên;", "Lưu: VT."))
