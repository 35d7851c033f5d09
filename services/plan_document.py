"""A unit's draft implementation plan answering a directive (kế hoạch triển khai thực hiện).

Who gets what (the rule): the unit's direct sub-units are grouped — its Phòng (office) and
each team by name, its schools and independent classes together as "Các cơ sở giáo dục mầm
non", its UBNDs together — and each group receives only what concerns it:
- a requirement of the directive assigned directly to units of the group goes to that group,
  with the issuer's own deadline;
- the unit's own "plan" requirement (this plan) becomes "Xây dựng kế hoạch của đơn vị" for
  groups that issue plans (schools, classes, UBNDs); its office advises and guides;
- the unit's own "report" becomes a report sent to the unit by an earlier date for the
  reporting groups (schools, classes, UBNDs, professional teams) and "tham mưu, tổng hợp báo
  cáo" for the office (or the school's "Tổ Văn phòng");
- the unit's own "action" is carried out by the doing groups and guided by the office.
A school, an independent class and a unit with no sub-units also get the leadership lines
(Hiệu trưởng, Phó Hiệu trưởng). A group left with nothing gets "phối hợp thực hiện".

Dates: a child deadline is the unit's own due minus `days_before` working days (the office's
synthesis half that), never before the next working day after the plan's date (shortened,
with a warning); when the unit's own due is on or before the plan's date, no earlier date is
set and a warning says so.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from ..db.lookup import unit_by_code
from ..domain.assignments import assignment_table
from ..domain.calendar import WorkingCalendar
from ..domain.child_deadlines import Deadlines
from ..domain.directives import Directive, RequirementKind, requirement_table
from ..domain.official_document import DocumentKind, OfficialDocument, Paragraph
from ..domain.official_document import ParagraphStyle as Style
from ..domain.signing import Signer
from ..domain.units import Unit, UnitKind, unit_table
from .document_parts import (
    SignerChoice,
    archive_line,
    cite,
    cited_above,
    date_words,
    letterhead,
    plan_day,
    sign,
)
from .plan_groups import Group, Task, group_children, leadership_lines

_a, _r, _u = assignment_table.c, requirement_table.c, unit_table.c


def implementation_plan(session: Session, *, directive: Directive, unit_code: str,
                        now: datetime, calendar: WorkingCalendar, days_before: int,
                        signer: Signer | str = Signer.HEAD, signer_name: str = "",
                        signer_title: str | None = None) -> OfficialDocument:
    unit = unit_by_code(session, unit_code)
    head = letterhead(session, unit)
    deadlines = Deadlines(calendar, plan_day(now), days_before)
    own = [Task(RequirementKind(kind), title, due) for kind, title, due in session.execute(
        select(_r.kind, _r.title, _a.due_on).join(requirement_table, _r.id == _a.requirement_id)
        .where(_a.directive_id == directive.id, _a.unit_id == unit.id)
        .order_by(_a.due_on, _r.id)).all()]
    groups = group_children(session, unit, directive, own, deadlines)
    body = [Paragraph(f"Căn cứ {cite(session, above)};") for above in cited_above(session,
                                                                                 directive)]
    body += [Paragraph(f"Căn cứ {cite(session, directive)};"),
             Paragraph(f"{unit.name} xây dựng Kế hoạch triển khai thực hiện, cụ thể như sau:"),
             Paragraph("I. TỔ CHỨC THỰC HIỆN", Style.HEADING)]
    sections: list[Group] = []
    if head.kind in (UnitKind.SCHOOL, UnitKind.INDEPENDENT_CLASS) or not groups:
        sections += leadership_lines(head.form, own, deadlines)
    sections += groups
    for index, group in enumerate(sections, start=1):
        body.append(Paragraph(f"{index}. {group.name}", Style.SUBHEADING))
        body += [Paragraph(f"{line};", Style.BULLET) for line in group.lines]
    issuer = session.get(Unit, directive.issuer_id)
    report_to = ([f"{issuer.name} (để b/c);"] if issuer and issuer.id != unit.id else [])
    warnings = [*head.warnings, *deadlines.warnings]
    if not own:
        warnings.append(f"{unit.name} không được giao nhiệm vụ nào theo văn bản này.")
    if not unit.symbol:
        warnings.append(f"{unit.name} chưa có ký hiệu (symbol): số ký hiệu để trống.")
    return OfficialDocument(
        kind=DocumentKind.PLAN, governing_body=head.governing_body, issuer=head.issuer,
        number="", symbol=f"KH-{unit.symbol or '……'}", place=head.place,
        date_words=date_words(now), title=directive.title,
        signature=sign(head, SignerChoice(Signer(signer), signer_name, signer_title)),
        body=tuple(body),
        recipients=(*report_to, *[f"{g.name} (để thực hiện);" for g in groups],
                    archive_line(session, unit)),
        warnings=tuple(warnings))
