"""The issuing form checked as a whole: every field's problem at once, in Vietnamese, keyed by
the field's name; when there is none, the same DirectiveSpec the YAML path builds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..domain.calendar import WorkingCalendar
from ..domain.directives import DocType, RequirementKind
from ..domain.errors import InvalidInput
from ..domain.specs import (
    DirectiveSpec,
    check_day_range,
    doc_type_of,
    parse_day,
    parse_directive,
    parse_number_symbol,
)
from ..domain.text import TITLE_MAX_CHARS
from ..domain.unit_names import UnitChoice
from ..domain.units import UnitKind
from .issue_form import IssueForm, RequirementRow

WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


@dataclass(frozen=True)
class IssueContext:
    """What the checks compare the form with (read from the database by the page)."""

    issuer_code: str
    issuer_symbol: str
    issuer_depth: int
    units: dict[str, UnitChoice]  # the subtree offered, by code
    subtree_complete: bool  # the offer holds the whole subtree
    cite_keys: dict[str, str]  # directive id (as posted) -> key
    form_refs: set[str]
    calendar: WorkingCalendar


def check_form(form: IssueForm, ctx: IssueContext) -> tuple[DirectiveSpec | None, dict[str, str]]:
    errors: dict[str, str] = {}
    number_symbol = _number_symbol(form, ctx, errors)
    issued_on = _day(form.issued_on, "issued_on", "ngày ban hành", errors)
    title = form.title.strip()
    if not title:
        errors["title"] = "Nhập trích yếu của văn bản."
    elif len(title) > TITLE_MAX_CHARS:
        errors["title"] = f"Trích yếu dài quá {TITLE_MAX_CHARS} ký tự."
    for ref in form.based_on:
        if ref not in ctx.cite_keys:
            errors["based_on"] = "Văn bản căn cứ không có trong danh sách được chọn."
    if not form.requirements:
        errors["requirements"] = "Thêm ít nhất một nhiệm vụ (việc gì, giao ai, hạn nào)."
    rows = [_requirement(row, i, issued_on, ctx, errors) for i, row in
            enumerate(form.requirements)]
    if errors:
        return None, errors
    data: dict[str, Any] = {
        "number_symbol": number_symbol, "doc_type": form.doc_type, "issuer": ctx.issuer_code,
        "issued_on": issued_on, "title": title,
        "based_on": [ctx.cite_keys[ref] for ref in dict.fromkeys(form.based_on)],
        "requirements": rows}
    try:
        return parse_directive(data), {}
    except InvalidInput as exc:  # a rule the checks above do not know: shown, not a 500
        return None, {"form": f"Văn bản chưa hợp lệ ({exc.field}): {exc.problem}"}


def _number_symbol(form: IssueForm, ctx: IssueContext, errors: dict[str, str]) -> str:
    text = " ".join(form.number_symbol.split())
    if not text:
        errors["number_symbol"] = "Nhập số và ký hiệu, ví dụ 25/KH-" + (ctx.issuer_symbol or "UBND")
        return text
    try:
        number, symbol = parse_number_symbol(text)
    except ValueError:
        errors["number_symbol"] = f"«{text}» không đúng dạng số/ký hiệu, ví dụ 25/KH-" \
                                  f"{ctx.issuer_symbol or 'UBND'}."
        return text
    if number is None:
        errors["number_symbol"] = "Thiếu số văn bản trước dấu «/»."
    elif ctx.issuer_symbol and ctx.issuer_symbol not in symbol.split("-"):
        errors["number_symbol"] = f"Ký hiệu phải có chữ viết tắt của đơn vị" \
                                  f" «{ctx.issuer_symbol}», ví dụ {number}/KH-{ctx.issuer_symbol}."
    if form.doc_type not in {t.value for t in DocType}:
        errors["doc_type"] = "Chọn loại văn bản trong danh sách."
    elif doc_type_of(symbol) is not DocType(form.doc_type):
        errors["doc_type"] = f"Loại văn bản không khớp ký hiệu «{symbol}»" \
                             f" (ký hiệu bắt đầu bằng «{doc_type_of(symbol).value}»)."
    return text


def _day(text: str, name: str, what: str, errors: dict[str, str]) -> dt.date | None:
    if not text.strip():
        errors[name] = f"Nhập {what} (dd/mm/yyyy)."
        return None
    try:
        return check_day_range(parse_day(text), name)
    except InvalidInput as exc:
        errors[name] = f"Ngày {text.strip()}: {exc.problem}."
    except ValueError:
        errors[name] = f"Ngày «{text.strip()}» không có thật hoặc không đúng dạng dd/mm/yyyy."
    return None


def _requirement(row: RequirementRow, index: int, issued_on: dt.date | None,
                 ctx: IssueContext, errors: dict[str, str]) -> dict[str, Any]:
    name = f"req-{index}-"
    title = row.title.strip()
    if not title:
        errors[name + "title"] = "Nhập nội dung nhiệm vụ."
    elif len(title) > TITLE_MAX_CHARS:
        errors[name + "title"] = f"Nội dung dài quá {TITLE_MAX_CHARS} ký tự."
    if row.kind not in {k.value for k in RequirementKind}:
        errors[name + "kind"] = "Chọn loại nhiệm vụ: việc, kế hoạch hoặc báo cáo."
    target = _target(row, name, ctx, errors)
    due = _day(row.due, name + "due", "hạn hoàn thành", errors)
    if due is not None:
        if issued_on is not None and due < issued_on:
            errors[name + "due"] = f"Hạn {due:%d/%m/%Y} trước ngày ban hành {issued_on:%d/%m/%Y}."
        elif not ctx.calendar.is_working_day(due):
            errors[name + "due"] = _not_working(due, ctx.calendar)
    data: dict[str, Any] = {"key": f"nv-{index + 1}", "kind": row.kind, "title": title,
                            "to": target, "due": due}
    if row.form:
        if row.kind != RequirementKind.REPORT.value:
            errors[name + "form"] = "Chỉ nhiệm vụ báo cáo mới có mẫu báo cáo."
        elif row.form not in ctx.form_refs:
            errors[name + "form"] = "Mẫu báo cáo không có trong danh sách."
        data["form"] = row.form
    return data


def _not_working(day: dt.date, calendar: WorkingCalendar) -> str:
    why = calendar.holiday_name(day) or WEEKDAYS[day.weekday()]
    return f"Ngày {day:%d/%m/%Y} là ngày nghỉ ({why}); ngày làm việc kế tiếp là" \
           f" {calendar.roll_forward(day):%d/%m/%Y}."


def _target(row: RequirementRow, name: str, ctx: IssueContext,
            errors: dict[str, str]) -> dict[str, Any]:
    below = list(ctx.units.values())
    if row.who == "children":
        matched = [u for u in below if u.depth == ctx.issuer_depth + 1]
        target: dict[str, Any] = {"children": {}}
    elif row.who == "kind":
        if row.unit_kind not in {k.value for k in UnitKind}:
            errors[name + "unit_kind"] = "Chọn loại đơn vị."
            return {"descendants": {}}
        matched = [u for u in below if u.kind == row.unit_kind]
        target = {"descendants": {"kind": [row.unit_kind]}}
    elif row.who == "units":
        unknown = [code for code in row.units if code not in ctx.units]
        if not row.units or unknown:
            errors[name + "units"] = "Chọn ít nhất một đơn vị trong danh sách." if not \
                row.units else "Có đơn vị không thuộc cấp dưới của đơn vị mình."
        return {"units": list(dict.fromkeys(row.units)) or ["-"]}
    else:
        errors[name + "who"] = "Chọn giao cho ai."
        return {"children": {}}
    if not matched and ctx.subtree_complete:
        errors[name + "who"] = "Không có đơn vị cấp dưới nào như vậy."
    return target

