"""Deadline phrases in a directive's text: dates, months, working days, recurrences, the end
of the school year ("đến hết / trước khi kết thúc năm học 2025-2026": the day it ends, rule
end_of_school_year) and the year-end summary report ("báo cáo tổng kết năm học": rule
edu_year_end, the statistics regime's report due at the Ministry on 30/06)."""

from __future__ import annotations

import re
from typing import Any

from .doc_text import Line, fold

_BEFORE = (r"(?:tr[ưu][ớo]c|ch[ậa]m nh[ấa]t|h[ạa]n ch[óo]t)(?:\s+l[àa])?(?:\s+v[àa]o)?\s+"
           r"(?:ng[àa]y\s+)?")
DEADLINES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(_BEFORE + r"(\d{1,2})/(\d{1,2})/(\d{4})", re.I), "date"),
    (re.compile(_BEFORE + r"(\d{1,2})\s+th[áa]ng\s+(\d{1,2})\s+n[ăa]m\s+(\d{4})", re.I), "date"),
    (re.compile(r"(?:d[ựu] ki[ếe]n\s+)?(?:v[àa]o\s+)?th[áa]ng\s+(\d{1,2})/(\d{4})", re.I),
     "month"),
    (re.compile(r"(\d{1,2})\s*l[ầa]n\s*/\s*n[ăa]m", re.I), "recurrence"),
    (re.compile(r"trong\s+(?:v[òo]ng|th[ờo]i h[ạa]n)\s+(\d{1,3})\s+ng[àa]y l[àa]m vi[ệe]c",
                re.I), "working_days"),
    (re.compile(r"(?:[đd][ếe]n h[ếe]t|tr[ưu][ớo]c khi k[ếe]t th[úu]c)\s+n[ăa]m h[ọo]c\s+"
                r"(\d{4})\s*[-–]\s*(\d{4})", re.I), "end_of_school_year"),
    (re.compile(r"b[áa]o c[áa]o t[ổo]ng k[ếe]t n[ăa]m h[ọo]c", re.I), "edu_year_end"),
    (re.compile(r"(h[ằa]ng|h[àa]ng)\s+(th[áa]ng|qu[ýy]|tu[ầa]n)", re.I), "recurrence"),
]


def deadlines(lines: list[Line]) -> list[dict[str, Any]]:
    found = []
    for line in lines:
        for pattern, kind in DEADLINES:
            for m in pattern.finditer(line.text):
                entry: dict[str, Any] = {"text": m[0], "line": line.number}
                entry.update(_value(kind, m))
                found.append(entry)
    return found


def _value(kind: str, m: re.Match[str]) -> dict[str, Any]:
    if kind == "date":
        return {"date": f"{int(m[3]):04d}-{int(m[2]):02d}-{int(m[1]):02d}"}
    if kind == "month":
        return {"month": f"{int(m[2]):04d}-{int(m[1]):02d}"}
    if kind == "recurrence":
        return {"recurrence": f"{int(m[1])} per year" if m[1].isdigit()
                else {"thang": "monthly", "quy": "quarterly", "tuan": "weekly"}[fold(m[2])]}
    if kind == "working_days":
        return {"working_days": int(m[1])}
    value: dict[str, Any] = {"rule": kind}
    if m.lastindex:
        value["school_year"] = f"{m[1]}-{m[2]}"
    return value


def deadline_words(deadline: dict[str, Any]) -> str:
    """"date:2026-02-15", "rule:end_of_school_year", "rule:edu_year_end", …: a deadline's
    kind and value."""
    kind = next(k for k in deadline if k not in ("text", "line", "school_year"))
    return f"{kind}:{deadline[kind]}"
