"""Header fields of a Vietnamese administrative document (Nghị định 30/2020/NĐ-CP): number
and symbol, type, governing body and issuing body, place and date, title, school year.

The header may come in reading order (agency, Số, place/date, type, title), column by column
(a .docx table or a PDF: agency, Số, V/v, then Quốc hiệu, Tiêu ngữ, place/date) or typed side
by side (doc_text reads that column by column); every rule here holds for all three."""

from __future__ import annotations

import re
from typing import Any

from .doc_text import Line, fold, normal_symbol

TYPE_WORDS = {  # the title word (folded) -> type code
    "ke hoach": "KH", "thong bao": "TB", "quyet dinh": "QĐ", "chi thi": "CT",
    "huong dan": "HD", "bao cao": "BC", "chuong trinh": "CTr", "de an": "ĐA",
    "to trinh": "TTr", "giay moi": "GM", "cong van": "CV",
}
SYMBOL = r"[\wĐđ&]+(?:\s*[-‐‑–—]\s*[\wĐđ&]+)*"
NUMBER = re.compile(r"^s[oố]\s*[:.]?\s*([0-9]*)\s*\.?\s*/\s*(" + SYMBOL + ")", re.IGNORECASE)
PLACE_DATE = re.compile(
    r"^([^,]{2,40}),\s*ng[aà]y\s*(\d{1,2})?\s*th[aá]ng\s*(\d{1,2})\s*n[aă]m\s*(\d{4})",
    re.IGNORECASE)
SCHOOL_YEAR = re.compile(r"n[aă]m h[oọ]c\s*(\d{4})\s*[-–]\s*(\d{4})", re.IGNORECASE)
SUBJECT = re.compile(r"^(?:v/v|v[ềe] vi[ệe]c|v[ềe])\s*[:.]?\s+", re.IGNORECASE)
ROMAN = re.compile(r"^[IVX]+\.\s+")
BODY_START = ("kinh gui", "can cu")
SENTENCE_START = ("thuc hien", "theo ", "trien khai", "nham ", "tiep theo", "de ", "ngay ",
                  "sau khi", "tren co so")
NATIONAL = ("cong hoa xa hoi", "doc lap")  # Quốc hiệu and Tiêu ngữ
UNIT_WORDS = ("so ", "phong ", "truong ", "bo ", "uy ban", "ubnd", "ban ", "trung tam",
              "chi doan", "doan ", "to ", "van phong", "cong doan", "chi bo", "lien doi",
              "hoi dong", "cuc ", "vu ", "nha tre")
ISSUER_SENTENCE = re.compile(
    r"(?:^|[;.,:]\s+)(?P<issuer>(?:[ỦU]y ban nh[âa]n d[âa]n|UBND|Ph[òo]ng|S[ởo]|Tr[ưu][ờo]ng|"
    r"B[ộo]|T[ổo] |Chi [đd]o[àa]n)[^,.;:]{0,80}?)\s+(?:x[âa]y d[ựu]ng|ban h[àa]nh|h[ưu][ớo]ng "
    r"d[ẫa]n|th[ôo]ng b[áa]o|tri[ểe]n khai|[đd][ềe] ngh[ịi]|y[êe]u c[ầa]u)\b", re.IGNORECASE)


def header_fields(lines: list[Line]) -> tuple[dict[str, Any], dict[str, int]]:
    """Fields found and the line each came from."""
    found: dict[str, Any] = {}
    at: dict[str, int] = {}
    head = lines[:_head_end(lines)]
    for line in head:
        if "number" not in at and (m := NUMBER.match(line.text)):
            found["number"] = m[1] or None  # as issued: "08"
            found["symbol"] = normal_symbol(m[2])
            at["number"] = at["symbol"] = line.number
        if "place" not in at and (m := PLACE_DATE.match(line.text)):
            found["place"] = m[1].strip()
            found["issued_on"] = {"day": int(m[2]) if m[2] else None, "month": int(m[3]),
                                  "year": int(m[4])}
            at["place"] = at["issued_on"] = line.number
    _type_and_title(head, found, at)
    _agencies(head, found, at)
    if "issuer" not in at:
        _issuer_in_body(lines, found, at)
    for line in lines:
        if "school_year" not in at and (m := SCHOOL_YEAR.search(line.text)):
            found["school_year"] = f"{m[1]}-{m[2]}"
            at["school_year"] = line.number
    return found, at


def _head_end(lines: list[Line]) -> int:
    """The header ends where the body starts: "Kính gửi", "Căn cứ", a Roman heading."""
    for index, line in enumerate(lines[:45]):
        if starts_body(line) or ROMAN.match(line.text):
            return index
    return min(len(lines), 45)


def starts_body(line: Line) -> bool:
    """"Kính gửi", "Căn cứ …", or a long sentence ("Thực hiện Kế hoạch số …, Sở …:")."""
    folded = fold(line.text)
    return folded.startswith(BODY_START) or len(line.text) > 160 or (
        folded.startswith(SENTENCE_START)
        and (len(line.text) > 100 or line.text.endswith((",", ";", ":", "."))))


def _agencies(head: list[Line], found: dict[str, Any], at: dict[str, int]) -> None:
    """The upper-case lines of the left column above "Số:" (or above the type line): the
    issuer from its last line naming a unit (a wrapped name joins up), the governing body
    above it. The Quốc hiệu and Tiêu ngữ are not agencies."""
    stop = at.get("number") or at.get("doc_type_line") or 0
    block = [line for line in head if line.number < stop and line.text.isupper()
             and not fold(line.text).startswith(NATIONAL)
             and not PLACE_DATE.match(line.text)]
    if not block:
        return
    starts = [i for i, line in enumerate(block) if fold(line.text).startswith(UNIT_WORDS)]
    split = starts[-1] if starts else len(block) - 1
    found["issuer"] = " ".join(line.text for line in block[split:])
    at["issuer"] = block[split].number
    if split:
        found["governing_body"] = " ".join(line.text for line in block[:split])
        at["governing_body"] = block[0].number


def _issuer_in_body(lines: list[Line], found: dict[str, Any], at: dict[str, int]) -> None:
    """"Sở Giáo dục và Đào tạo thông báo …", "UBND huyện ban hành …" in the opening
    paragraphs (before the first section), when the header names no issuer."""
    for line in lines:
        if ROMAN.match(line.text) or re.match(r"^\d+\.\s", line.text):
            return
        if m := ISSUER_SENTENCE.search(line.text):
            found["issuer"] = m["issuer"].strip()
            at["issuer"] = line.number
            return


def _type_and_title(head: list[Line], found: dict[str, Any], at: dict[str, int]) -> None:
    """The type line ("THÔNG BÁO") beats the symbol's code; a symbol without a known code
    and no type line is a công văn, whose subject follows "V/v" or "Về"."""
    for index, line in enumerate(head):
        word = fold(line.text).strip(" :")
        if line.text.isupper() and word in TYPE_WORDS:
            found["doc_type"] = TYPE_WORDS[word]
            at["doc_type"] = at["doc_type_line"] = line.number
            _title(head[index + 1:index + 6], found, at, subject=False)
            return
    symbol = found.get("symbol") or ""
    head_code = symbol.split("-")[0]
    if symbol:
        found["doc_type"] = head_code if head_code in TYPE_WORDS.values() else "CV"
        at["doc_type"] = at["symbol"]
    for index, line in enumerate(head):
        if SUBJECT.match(line.text) and not line.text.isupper():
            _title(head[index:index + 5], found, at, subject=True)
            found.setdefault("doc_type", "CV")
            at.setdefault("doc_type", line.number)
            return


def _title(part: list[Line], found: dict[str, Any], at: dict[str, int], subject: bool) -> None:
    """A title of one to four lines: it stops at the Quốc hiệu, "Số:", a date line, a heading,
    an upper-case line under a title that is not, or a sentence ending in ":" or "."."""
    kept: list[Line] = []
    for line in part:
        folded = fold(line.text)
        if (folded.startswith(NATIONAL) or starts_body(line) or NUMBER.match(line.text)
                or PLACE_DATE.match(line.text) or ROMAN.match(line.text)
                or re.match(r"^\d+[.)]\s", line.text) or len(line.text) > 160
                or (kept and line.text.isupper() and not kept[0].text.isupper())
                or line.text.endswith((":", "."))):
            break
        kept.append(line)
    if not kept:
        return
    text = SUBJECT.sub("", kept[0].text, count=1) if subject else kept[0].text
    upper = kept[0].text.isupper()
    for line in kept[1:]:  # "Năm học 2025-2026" on its own line continues the title
        text += " " + (line.text[0].lower() + line.text[1:]
                       if fold(line.text).startswith("nam hoc") and not upper else line.text)
    found["title"], at["title"] = text.strip(" :"), kept[0].number
