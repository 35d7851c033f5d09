"""Documents a directive cites: "Căn cứ Kế hoạch số 1039/KH-SGDĐT ngày 26/02/2026 của Sở …",
"Thực hiện Kế hoạch 403/KH-UBND ngày …" (no "số"), "theo thông báo số 654/TB-SGDĐT …"."""

from __future__ import annotations

import re
from typing import Any

from .doc_text import Line, fold, normal_symbol

KINDS = {  # folded kind word -> as written in a citation
    "ke hoach": "Kế hoạch", "cong van": "Công văn", "quyet dinh": "Quyết định",
    "thong tu": "Thông tư", "huong dan": "Hướng dẫn", "chi thi": "Chỉ thị",
    "nghi dinh": "Nghị định", "nghi quyet": "Nghị quyết", "thong bao": "Thông báo",
    "van ban": "Văn bản", "chuong trinh": "Chương trình", "ket luan": "Kết luận",
}
_KIND = (r"K[ếe] ho[ạa]ch|C[ôo]ng v[ăa]n|Quy[ếe]t [đd][ịi]nh|Th[ôo]ng t[ưu]|H[ưu][ớo]ng d[ẫa]n"
         r"|Ch[ỉi] th[ịi]|Ngh[ịi] [đd][ịi]nh|Ngh[ịi] quy[ếe]t|Th[ôo]ng b[áa]o|V[ăa]n b[ảa]n"
         r"|Ch[ưu][ơo]ng tr[ìi]nh|K[ếe]t lu[ậa]n")
REFERENCE = re.compile(
    r"(?P<kind>" + _KIND + r")\s+(?:s[ốo]\s*:?\s*)?"
    r"(?P<number>[0-9]+)\s*\.?\s*/\s*(?P<symbol>[\wĐđ&]+(?:\s*[-‐‑–—/]\s*[\wĐđ&]+)*)"
    r"(?:\s*,?\s*ng[àa]y\s*(?P<day>\d{1,2})\s*(?:/|-|\.|th[áa]ng)\s*(?P<month>\d{1,2})\s*"
    r"(?:/|-|\.|n[ăa]m)\s*(?P<year>\d{4}))?"
    r"(?:\s+c[ủu]a\s+(?P<issuer>[^;.,]+?)(?=\s+v[ềe]\b|\s+v/v|\s+tri[ểe]n|;|,|\.|:|$))?",
    re.IGNORECASE)
DATE = re.compile(r"(\d{1,2})\s*(?:/|-|\.|\s+th[áa]ng\s+)\s*(\d{1,2})\s*(?:/|-|\.|\s+n[ăa]m\s+)"
                  r"\s*(\d{4})", re.IGNORECASE)
CITING = ("can cu", "thuc hien", "trien khai", "theo", "tiep theo")


def references(lines: list[Line]) -> list[dict[str, Any]]:
    """Documents cited as grounds, in the paragraphs before the first section or item; a
    document cited twice (in the subject and the body) once."""
    refs: dict[tuple[str, str], dict[str, Any]] = {}
    for line in lines:
        folded = fold(line.text)
        if re.match(r"^([ivx]+|\d+)\.\s", folded):
            break
        if any(word in folded for word in CITING):
            for ref in citations_in(line.text):  # cited twice: once, with its date if any
                seen = refs.get((ref["number"], ref["symbol"]))
                if seen is None or (seen["date"] is None and ref["date"] is not None):
                    refs[ref["number"], ref["symbol"]] = dict(ref, line=line.number)
    return list(refs.values())


def citations_in(text: str) -> list[dict[str, Any]]:
    """Every citation in a sentence: kind, number, symbol, date (None when not written),
    issuer."""
    found = []
    for m in REFERENCE.finditer(text):
        date = (f"{int(m['year']):04d}-{int(m['month']):02d}-{int(m['day']):02d}"
                if m["year"] else None)
        found.append({
            "text": m[0].strip(), "kind": KINDS.get(fold(m["kind"]), m["kind"]),
            "number": m["number"], "symbol": normal_symbol(m["symbol"]), "date": date,
            "issuer": (m["issuer"] or "").strip() or None,
        })
    return found


def date_in(text: str) -> str | None:
    """The first date written in `text` ("18/01/2027", "18 tháng 01 năm 2027"), ISO."""
    m = DATE.search(text)
    return f"{int(m[3]):04d}-{int(m[2]):02d}-{int(m[1]):02d}" if m else None
