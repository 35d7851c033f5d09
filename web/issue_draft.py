"""An imported document's draft (chidao.domain.doc_parse) as the issuing form, pre-filled: each
field with the line of the document it came from, for the user to check and correct."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from ..domain.calendar import WorkingCalendar
from ..domain.directives import DocType
from ..domain.doc_text import clean_lines, fold
from ..domain.report_periods import levelled_periods
from ..domain.text import TITLE_MAX_CHARS
from ..domain.unit_names import UnitChoice
from ..domain.units import UnitKind
from ..queries.issue_choices import CiteChoice
from .issue_form import IssueForm, RequirementRow

SOURCE_CHARS = 140
_DASHES = re.compile(r"\s*[-–—]\s*")
# Words of an assignee group that name a kind of unit: "Các cơ sở giáo dục mầm non".
_KIND_WORDS = ((UnitKind.SCHOOL, ("truong", "co so giao duc", "mam non", "tieu hoc", "thcs")),
               (UnitKind.PEOPLE_COMMITTEE, ("ubnd", "uy ban", "xa,", "phuong", "dac khu")),
               (UnitKind.INDEPENDENT_CLASS, ("nhom, lop", "lop doc lap")),
               (UnitKind.OFFICE, ("phong",)))


def _plain(text: str) -> str:
    return _DASHES.sub(" - ", fold(text)).strip()


def form_from_draft(draft: dict[str, Any], text: str, *, file_name: str, depth: int,
                    cites: Sequence[CiteChoice], units: Sequence[UnitChoice],
                    school_year_end: tuple[int, int], calendar: WorkingCalendar,
                    today: dt.date) -> IssueForm:
    """A date the document leaves blank ("ngày ... tháng 3") is today's: the day it issues."""
    lines = {line.number: line.text for line in clean_lines(text)}

    def source(number: int | None) -> str:
        if not number or number not in lines:
            return ""
        shown = lines[number]
        shown = shown if len(shown) <= SOURCE_CHARS else shown[:SOURCE_CHARS] + "…"
        return f"từ dòng {number}: {shown}"

    at = draft.get("lines", {})
    issued = draft.get("issued_on") or {}
    form = IssueForm(
        number_symbol=f"{draft.get('number') or ''}/{draft['symbol']}" if draft.get("symbol")
        else "",
        issued_on=f"{issued['day']:02d}/{issued['month']:02d}/{issued['year']}"
        if issued.get("day") and issued.get("month") and issued.get("year") else
        f"{today:%d/%m/%Y}",
        title=(draft.get("title") or "")[:TITLE_MAX_CHARS],
        doc_type=draft["doc_type"] if draft.get("doc_type") in {t.value for t in DocType}
        else DocType.KH.value, imported_from=file_name)
    form.sources = {name: s for name, key in (("number_symbol", "symbol"), ("doc_type", "doc_type"),
                    ("issued_on", "issued_on"), ("title", "title"))
                    if (s := source(at.get(key)))}
    if not issued.get("day") and "issued_on" in form.sources:
        form.sources["issued_on"] += " (ngày để trống: lấy ngày hôm nay)"
    for ref in draft.get("based_on", []):
        wanted = f"{ref.get('number') or ''}/{ref.get('symbol') or ''}"
        for choice in cites:
            if choice.label.startswith(wanted + " ") and str(choice.id) not in form.based_on:
                form.based_on.append(str(choice.id))
                form.sources.setdefault("based_on", source(ref.get("line")))
    for group in draft.get("assignee_groups", []):
        row = _row(group, units, depth, source)
        row.due, due_line = _first_deadline(draft, school_year_end, calendar,
                                            _row_kind(row, units))
        if due_line:
            row.sources["due"] = source(due_line)
        form.requirements.append(row)
    return form


def _row_kind(row: RequirementRow, units: Sequence[UnitChoice]) -> str | None:
    """The kind of unit a row is for, when the document says (the level of its deadline)."""
    if row.who == "kind":
        return row.unit_kind
    kinds = {u.kind for u in units if u.code in row.units}
    return kinds.pop() if len(kinds) == 1 else None


def _row(group: dict[str, Any], units: Sequence[UnitChoice], depth: int,
         source: Any) -> RequirementRow:
    tasks = group.get("tasks") or []
    first = tasks[0] if tasks else {"text": group["name"], "line": group.get("line")}
    title = first["text"][:TITLE_MAX_CHARS]
    folded = fold(title)
    kind = "report" if folded.startswith("bao cao") else \
        "plan" if folded.startswith("xay dung ke hoach") else "action"
    row = RequirementRow(title=title, kind=kind)
    row.sources = {"title": source(first.get("line")), "who": source(group.get("line"))}
    name = _plain(group["name"])
    named = [u for u in units if _plain(u.name).startswith(name) or name in _plain(u.name)]
    if named:
        top = min(u.depth for u in named)
        row.who, row.units = "units", [u.code for u in named if u.depth == top]
        return row
    for unit_kind, words in _KIND_WORDS:
        if any(word in name for word in words) and any(u.kind == unit_kind for u in units):
            row.who, row.unit_kind = "kind", unit_kind.value
            return row
    row.who = "children" if any(u.depth == depth + 1 for u in units) else "units"
    return row


def _first_deadline(draft: dict[str, Any], school_year_end: tuple[int, int],
                    calendar: WorkingCalendar, receiver_kind: str | None) -> tuple[str, int | None]:
    """The document's first dated deadline, the end of its school year (its last working day),
    or its year-end summary report (báo cáo tổng kết năm học: the Ministry's 30/06 less the
    receiving level's lead time, domain/report_periods.py): dd/mm/yyyy and the line it came
    from; ("", None) when it names none."""
    for entry in draft.get("deadlines", []):
        if entry.get("date"):
            try:
                day = dt.date.fromisoformat(entry["date"])
            except ValueError:
                continue
            return f"{day:%d/%m/%Y}", entry["line"]
        if entry.get("rule") in ("end_of_school_year", "edu_year_end"):
            year = entry.get("school_year") or draft.get("school_year") or ""
            if not re.fullmatch(r"\d{4}-\d{4}", year):
                continue
            if entry["rule"] == "edu_year_end":
                (_, day), = levelled_periods("edu_year_end", year, dt.date.min, calendar,
                                             receiver_kind)
                return f"{day:%d/%m/%Y}", entry["line"]
            month, day_of_month = school_year_end
            day = dt.date(int(year[5:]), month, day_of_month)
            while not calendar.is_working_day(day):
                day -= dt.timedelta(days=1)
            return f"{day:%d/%m/%Y}", entry["line"]
    return "", None
