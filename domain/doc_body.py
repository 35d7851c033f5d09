"""Body fields: assignee groups and their tasks, deadline phrases, "Nơi nhận", signature."""

from __future__ import annotations

import re
from typing import Any

from .doc_text import Line, fold

ROMAN = re.compile(r"^[IVX]+\.\s+")
SUBHEADING = re.compile(r"^(\d+|[a-đ])[.)]\s+(.{3,100})$")
BULLET = re.compile(r"^[-+•–]\s*")
AUTHORITY = re.compile(r"^(TM|KT|TL|TUQ|Q)\.\s*(.+)$")
PURPOSES = [("b/c", "báo cáo"), ("bc", "báo cáo"), ("p/h", "phối hợp"),
            ("phoi hop", "phối hợp"), ("thuc hien", "thực hiện"), ("t/h", "thực hiện"),
            ("de biet", "để biết")]
DEADLINES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"tr[ưu][ớo]c\s+(?:ng[àa]y\s+)?(\d{1,2})/(\d{1,2})/(\d{4})", re.I), "date"),
    (re.compile(r"(?:d[ựu] ki[ếe]n\s+)?(?:v[àa]o\s+)?th[áa]ng\s+(\d{1,2})/(\d{4})", re.I),
     "month"),
    (re.compile(r"(\d{1,2})\s*l[ầa]n\s*/\s*n[ăa]m", re.I), "recurrence"),
    (re.compile(r"trong\s+(?:v[òo]ng|th[ờo]i h[ạa]n)\s+(\d{1,3})\s+ng[àa]y l[àa]m vi[ệe]c",
                re.I), "working_days"),
    (re.compile(r"(?:[đd][ếe]n h[ếe]t|tr[ưu][ớo]c khi k[ếe]t th[úu]c)\s+n[ăa]m h[ọo]c\s+"
                r"(\d{4})\s*[-–]\s*(\d{4})", re.I), "end_of_school_year"),
    (re.compile(r"b[áa]o c[áa]o t[ổo]ng k[ếe]t n[ăa]m h[ọo]c", re.I), "end_of_school_year"),
    (re.compile(r"(h[ằa]ng|h[àa]ng)\s+(th[áa]ng|qu[ýy])", re.I), "recurrence"),
]


def sections(lines: list[Line]) -> dict[str, tuple[int, int]]:
    """Roman-numbered section title (folded) -> [start, end) indexes into `lines`."""
    starts = [(i, fold(ROMAN.sub("", line.text))) for i, line in enumerate(lines)
              if ROMAN.match(line.text) and line.text.isupper()]
    end_of_body = next((i for i, line in enumerate(lines)
                        if fold(line.text).startswith(("noi nhan", "tren day la"))), len(lines))
    result = {}
    for k, (index, title) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else end_of_body
        result[title] = (index + 1, max(index + 1, min(end, end_of_body)))
    return result


def assignee_groups(lines: list[Line], addressees: list[dict[str, Any]]) -> list[dict[str, Any]]:
    spans = sections(lines)
    span = next((v for k, v in spans.items() if "to chuc thuc hien" in k), None)
    tasks_span = next((v for k, v in spans.items() if "nhiem vu va giai phap" in k), None)
    groups: list[dict[str, Any]] = []
    for chosen in (tasks_span, span):
        if chosen is not None:
            groups = _groups_in(lines[chosen[0]:chosen[1]])
            if groups:
                return groups
    if span is not None and addressees:  # a công văn: the addressees carry out the section
        body = [{"text": line.text, "line": line.number} for line in lines[span[0]:span[1]]]
        return [{"name": a["name"], "line": a["line"], "tasks": body} for a in addressees]
    return []


def _groups_in(part: list[Line]) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for line in part:
        heading = SUBHEADING.match(line.text)
        if heading and not line.text.endswith((";", ".")) and not BULLET.match(line.text):
            name = re.sub(r"^[Đđ]ối với\s+", "", heading[2]).strip(" :")
            groups.append({"name": name[0].upper() + name[1:], "line": line.number, "tasks": []})
        elif groups and BULLET.match(line.text):
            groups[-1]["tasks"].append({"text": BULLET.sub("", line.text), "line": line.number})
        elif groups and groups[-1]["tasks"] and line.text[:1].islower():
            groups[-1]["tasks"][-1]["text"] += " " + line.text
    return [g for g in groups if g["tasks"]]


def deadlines(lines: list[Line]) -> list[dict[str, Any]]:
    found = []
    for line in lines:
        for pattern, kind in DEADLINES:
            for m in pattern.finditer(line.text):
                entry: dict[str, Any] = {"text": m[0], "line": line.number}
                if kind == "date":
                    entry["date"] = f"{int(m[3]):04d}-{int(m[2]):02d}-{int(m[1]):02d}"
                elif kind == "month":
                    entry["month"] = f"{int(m[2]):04d}-{int(m[1]):02d}"
                elif kind == "recurrence":
                    entry["recurrence"] = (f"{int(m[1])} per year" if m[1].isdigit()
                                           else "monthly" if "th" in fold(m[2]) else "quarterly")
                elif kind == "working_days":
                    entry["working_days"] = int(m[1])
                else:
                    entry["rule"] = "end_of_school_year"
                    if m.lastindex:
                        entry["school_year"] = f"{m[1]}-{m[2]}"
                found.append(entry)
    return found


def addressees(lines: list[Line]) -> list[dict[str, Any]]:
    start = next((i for i, line in enumerate(lines[:40])
                  if fold(line.text).startswith("kinh gui")), None)
    if start is None:
        return []
    first = lines[start].text.split(":", 1)[1].strip() if ":" in lines[start].text else ""
    result = [{"name": first.strip(" ;."), "line": lines[start].number}] if first else []
    for line in lines[start + 1:start + 15]:
        if not BULLET.match(line.text):
            break
        result.append({"name": BULLET.sub("", line.text).strip(" ;."), "line": line.number})
    return result


def recipients_and_signer(lines: list[Line]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    start = next((i for i, line in enumerate(lines)
                  if fold(line.text).startswith("noi nhan")), None)
    if start is None:
        return [], {}
    recipients = []
    index = start + 1
    while index < len(lines) and BULLET.match(lines[index].text):
        recipients.append(_recipient(lines[index]))
        index += 1
    return recipients, _signer(lines[index:])


def _recipient(line: Line) -> dict[str, Any]:
    text = BULLET.sub("", line.text).strip(" ;.")
    folded = fold(text)
    purpose = None
    if folded.startswith("luu"):
        purpose = "lưu"
    elif folded.startswith("nhu tren"):
        purpose = "như trên"
    elif m := re.search(r"\(([^)]*)\)\s*$", text):
        inner = fold(m[1])
        purpose = next((p for key, p in PURPOSES if key in inner), m[1])
        text = text[:m.start()].strip()
    return {"name": text, "purpose": purpose, "line": line.number}


def _signer(block: list[Line]) -> dict[str, Any]:
    authority, position, name, first = [], None, None, None
    for line in block[:6]:
        first = first or line.number
        if AUTHORITY.match(line.text):
            authority.append(line.text)
        elif line.text.isupper():
            position = line.text
        elif position or authority:
            name = line.text
            break
    if not (authority or position):
        return {}
    return {"authority": " / ".join(authority) or None, "position": position, "name": name,
            "line": first}
