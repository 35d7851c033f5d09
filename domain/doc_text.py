"""A directive's text as clean numbered lines: NFC, no markdown emphasis or heading marks, and
two columns typed side by side (header, signature) read column by column."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_MARKUP = re.compile(r"(\*\*\*|\*\*|__|\*)")
_HEADING = re.compile(r"^\s*#{1,6}\s*")
_BULLET = re.compile(r"^[-+•–]\s*\S")
_GAP = re.compile(r"\t+|\s{3,}")  # between two columns typed on one line
RIGHT_INDENT = 16  # columns of leading blank that put a line in the right column alone
NEAR = 3  # lines (other than list items) between side-by-side lines of one block
HEADER_LINES = 25  # where the header's two columns may be run together with one blank
_RIGHT_HEAD = re.compile(
    r"(?:^|\s)(C[ỘO]NG H[ÒO]A X[ÃA] H[ỘO]I|[ĐD][ộo]c l[ậa]p\s*[-–]\s*T[ựu] do)")
_PLACE_DATE = re.compile(r"^[^,]{2,40},\s*ng[àa]y\b", re.IGNORECASE)
_RECIPIENTS = re.compile(r"^(N[ơo]i nh[ậa]n\s*:)\s+(\S.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, in the source
    text: str  # cleaned


def clean_lines(text: str) -> list[Line]:
    """Lines with words, numbered as in the source, with markdown marks removed; where two
    columns were typed side by side ("ỦY BAN NHÂN DÂN …<tab>CỘNG HÒA …", "Nơi nhận:   KT. GIÁM
    ĐỐC"), the left column's lines come first, then the right column's, each with its number."""
    raw = [_cells(_MARKUP.sub("", _HEADING.sub("", r)).replace("\u00a0", " ").rstrip())
           for r in unicodedata.normalize("NFC", text).splitlines()]
    split = [_columns(r) or (_run_together(r.strip()) if i < HEADER_LINES else None)
             or _foot_together(r.strip()) for i, r in enumerate(raw)]
    lines: list[Line] = []
    index = 0
    while index < len(raw):
        end = _block_end(raw, split, index)
        if end is None:
            cleaned = _squeeze(raw[index])
            if any(c.isalnum() for c in cleaned):  # not a rule line "-------"
                lines.append(Line(index + 1, cleaned))
            index += 1
            continue
        parts = [split[i] or (raw[i], "") for i in range(index, end)]
        left = [Line(index + k + 1, _squeeze(p[0])) for k, p in enumerate(parts)]
        right = [Line(index + k + 1, _squeeze(p[1])) for k, p in enumerate(parts)]
        lines += [line for line in left + right if any(c.isalnum() for c in line.text)]
        index = end
    return lines


def _cells(raw: str) -> str:
    """A table row copied as text ("ỦY BAN NHÂN DÂN | CỘNG HÒA … |"): its cells tab-separated."""
    if "|" not in raw:
        return raw
    return re.sub(r"\s*\|\s*", "\t", raw.strip().strip("|").strip())


def _columns(raw: str) -> tuple[str, str] | None:
    """(left, right) when the line holds two columns or only a far-indented right one."""
    body = raw.lstrip()
    if not body:
        return None
    indent = len(raw[:len(raw) - len(body)].expandtabs(8))
    for gap in _GAP.finditer(body):  # "Số:     /KH-UBND", "ngày    tháng 3" are one column
        if indent < RIGHT_INDENT and (body[gap.end()].isupper() or body[gap.end()] == "("):
            return body[:gap.start()], body[gap.end():]
    if indent >= RIGHT_INDENT:
        return "", body
    return None


def _run_together(body: str) -> tuple[str, str] | None:
    """The header's columns joined by one blank, as a PDF's text layer gives them: "SỞ GIÁO
    DỤC VÀ ĐÀO TẠO Độc lập - Tự do - Hạnh phúc", "Số: 12/SGDĐT-VP An Giang, ngày …"; a
    Quốc hiệu, Tiêu ngữ or date line alone belongs to the right column."""
    if not body:
        return None
    if (m := _RIGHT_HEAD.search(body)) is not None:
        return body[:m.start()].strip(), body[m.start():].strip()
    if _PLACE_DATE.match(body) and not fold(body).startswith("so"):
        return "", body
    at = body.find(", ngày")
    if not fold(body).startswith("so") or at < 0:
        return None
    words = body[:at].split(" ")
    place = 0
    while place < min(5, len(words) - 1) and _title_word(words[-1 - place]):
        place += 1
    if place == 0:
        return None
    return " ".join(words[:-place]), body[len(" ".join(words[:-place])) + 1:]


def _foot_together(body: str) -> tuple[str, str] | None:
    """"Nơi nhận: KT. GIÁM ĐỐC", "- Như trên; PHÓ GIÁM ĐỐC", "- Lưu: VT. (Đã ký)": the list
    on the left, the signature on the right, joined by one blank."""
    if (m := _RECIPIENTS.match(body)) is not None and m[2][:1].isupper():
        return m[1], m[2]
    if not _BULLET.match(body):
        return None
    for m in re.finditer(r"[;.]\s+", body):
        tail = body[m.end():]
        signed = fold(tail).startswith(("(da ky", "da ky"))
        if signed or (tail.isupper() and len(tail.split()) >= 2) or _a_name(tail):
            return body[:m.end()].strip(), tail
    return None


def _a_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 5 and all(w[:1].isupper() and w[1:].islower() for w in words)


def _title_word(word: str) -> bool:
    """A word of a place name: "Giang", "Nội", "phố" (not a symbol's "GDĐT")."""
    return word[:1].isalpha() and word[1:].islower() and "/" not in word


def _block_end(raw: list[str], split: list[tuple[str, str] | None], start: int) -> int | None:
    """Where a block of side-by-side lines starting at `start` ends (None: no block here)."""
    first = split[start]
    if first is None or not first[0]:
        return None  # a block starts with a line holding both columns
    last, distance = start, 0
    for index in range(start + 1, len(split)):
        if split[index] is not None:
            last, distance = index, 0
        elif not _BULLET.match(raw[index].strip()):  # a list ("Nơi nhận") holds together
            distance += 1
        if distance > NEAR:
            break
    if last == start and len(first[0]) + len(first[1]) > 120:
        return None  # a gap inside a paragraph, not two columns
    while last + 1 < len(raw) and split[last + 1] is None and raw[last + 1].strip()[:1].islower():
        last += 1  # "giáo dục mầm non năm học …" under "V/v …": the left column runs on
    return last + 1


def _squeeze(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text).strip()


def fold(text: str) -> str:
    """Lower case without diacritics, for matching text typed without them."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def normal_symbol(text: str) -> str:
    """A symbol as issued, without the blanks and with plain hyphens: "GDĐT – VP" -> "GDĐT-VP"."""
    return re.sub(r"\s+", "", re.sub(r"[‐‑‒–—―]", "-", text)).strip("-")
