"""Header fields of a Vietnamese administrative document (Nghị định 30/2020/NĐ-CP): number
and symbol, type, issuing body, place and date, title, school year, "Căn cứ" references."""

from __future__ import annotations

import re
from typing import Any

from .doc_text import Line, fold

TYPE_WORDS = {  # the title word (folded) -> type code
    "ke hoach": "KH", "thong bao": "TB", "quyet dinh": "QĐ", "chi thi": "CT",
    "huong dan": "HD", "bao cao": "BC", "chuong trinh": "CTr", "de an": "ĐA",
    "to trinh": "TTr", "giay moi": "GM", "cong van": "CV",
}
NUMBER = re.compile(r"^s[oố]\s*[:.]?\s*([0-9]*)\s*/\s*([\wĐđ&-]+)", re.IGNORECASE)
PLACE_DATE = re.compile(
    r"^([^,]{2,40}),\s*ng[aà]y\s*(\d{1,2})?\s*th[aá]ng\s*(\d{1,2})\s*n[aă]m\s*(\d{4})",
    re.IGNORECASE)
SCHOOL_YEAR = re.compile(r"n[aă]m h[oọ]c\s*(\d{4})\s*[-–]\s*(\d{4})", re.IGNORECASE)
REFERENCE = re.compile(
    r"(?P<kind>K[ếe] ho[ạa]ch|C[ôo]ng v[ăa]n|Quy[ếe]t [đd][ịi]nh|Th[ôo]ng t[ưu]|H[ưu][ớo]ng d[ẫa]n|"
    r"Ch[ỉi] th[ịi]|Ngh[ịi] [đd][ịi]nh|Ngh[ịi] quy[ếe]t|Th[ôo]ng b[áa]o)\s+[Ss][ốo]\s*"
    r"(?P<number>[0-9]+)\s*/\s*(?P<symbol>[\wĐđ&/-]+?)\s*,?\s*ng[àa]y\s*"
    r"(?P<day>\d{1,2})\s*(?:/|th[áa]ng)\s*(?P<month>\d{1,2})\s*(?:/|n[ăa]m)\s*(?P<year>\d{4})"
    r"(?:\s+c[ủu]a\s+(?P<issuer>[^;.,]+?))?(?=\s+v[ềe]\b|\s+v/v|;|,|\.|$)")
ISSUER_SENTENCE = re.compile(
    r"(?:^|[;.,]\s+)(?P<issuer>(?:[ỦU]y ban nh[âa]n d[âa]n|UBND|Ph[òo]ng|S[ởo]|Tr[ưu][ờo]ng)"
    r"[^,.;]{0,80}?)\s+(?:x[âa]y d[ựu]ng|ban h[àa]nh|h[ưu][ớo]ng d[ẫa]n)\b", re.IGNORECASE)


def header_fields(lines: list[Line]) -> tuple[dict[str, Any], dict[str, int]]:
    """Fields found and the line each came from."""
    found: dict[str, Any] = {}
    at: dict[str, int] = {}
    for line in lines[:40]:
        if "number" not in at and (m := NUMBER.match(line.text)):
            found["number"] = m[1] or None  # as issued: "08"
            found["symbol"] = m[2]
            at["number"] = at["symbol"] = line.number
        if "place" not in at and (m := PLACE_DATE.match(line.text)):
            found["place"] = m[1].strip()
            found["issued_on"] = {"day": int(m[2]) if m[2] else None, "month": int(m[3]),
                                  "year": int(m[4])}
            at["place"] = at["issued_on"] = line.number
    _type_and_title(lines, found, at)
    _issuer_from_header(lines, found, at)
    for line in lines:
        if "school_year" not in at and (m := SCHOOL_YEAR.search(line.text)):
            found["school_year"] = f"{m[1]}-{m[2]}"
            at["school_year"] = line.number
        if "issuer" not in at and (m := ISSUER_SENTENCE.search(line.text)):
            found["issuer"] = m["issuer"].strip()
            at["issuer"] = line.number
    return found, at


def _issuer_from_header(lines: list[Line], found: dict[str, Any], at: dict[str, int]) -> None:
    """The upper-case block above "Số:": its last line is the issuing body."""
    if "number" not in at:
        return
    block = [line for line in lines if line.number < at["number"] and line.text.isupper()
             and not fold(line.text).startswith(("cong hoa", "doc lap"))]
    if block:
        found["issuer"], at["issuer"] = block[-1].text, block[-1].number


def _type_and_title(lines: list[Line], found: dict[str, Any], at: dict[str, int]) -> None:
    symbol = found.get("symbol", "")
    head = symbol.split("-")[0] if symbol else ""
    codes = set(TYPE_WORDS.values())
    if head in codes:
        found["doc_type"] = head
        at["doc_type"] = at["symbol"]
    elif symbol:
        found["doc_type"] = "CV"
        at["doc_type"] = at["symbol"]
    for index, line in enumerate(lines[:30]):
        word = fold(line.text).strip(" :")
        if line.text.isupper() and word in TYPE_WORDS:
            found.setdefault("doc_type", TYPE_WORDS[word])
            at.setdefault("doc_type", line.number)
            title = _title_after(lines, index + 1)
            if title:
                found["title"], at["title"] = title
            return
        if fold(line.text).startswith("v/v"):
            found["title"] = line.text[3:].strip(" :")
            at["title"] = line.number
            nxt = lines[index + 1] if index + 1 < len(lines) else None
            if nxt and len(nxt.text) < 80 and not fold(nxt.text).startswith("kinh gui"):
                found["title"] += " " + nxt.text
            return


def _title_after(lines: list[Line], start: int) -> tuple[str, int] | None:
    parts: list[Line] = []
    for line in lines[start:start + 4]:
        folded = fold(line.text)
        if folded.startswith(("can cu", "kinh gui", "i.", "1.")) or len(line.text) > 160:
            break
        parts.append(line)
    if not parts:
        return None
    text = parts[0].text
    for part in parts[1:]:  # "Năm học 2025-2026" on its own line continues the title
        text += " " + (part.text[0].lower() + part.text[1:]
                       if fold(part.text).startswith("nam hoc") else part.text)
    return text, parts[0].number


def references(lines: list[Line]) -> list[dict[str, Any]]:
    """Documents cited as grounds ("Căn cứ ..."), in the paragraphs before the body starts."""
    refs = []
    for line in lines:
        folded = fold(line.text)
        if folded.startswith(("i.", "ii.", "1.")):
            break
        if not any(word in folded for word in ("can cu", "thuc hien", "trien khai", "theo")):
            continue
        for m in REFERENCE.finditer(line.text):
            refs.append({
                "text": m[0].strip(), "line": line.number, "kind": m["kind"],
                "number": m["number"], "symbol": m["symbol"],
                "date": f"{int(m['year']):04d}-{int(m['month']):02d}-{int(m['day']):02d}",
                "issuer": (m["issuer"] or "").strip() or None,
            })
    return refs
