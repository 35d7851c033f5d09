"""The corpus as the files people really send: each .txt directive laid out as an
OfficialDocument by simple rules on its text, written as .docx by the project's own writer
(files/document_writers.write_docx) and printed to PDF by LibreOffice, all in one soffice run.
Reproducible: the same .txt gives the same .docx and PDF text.

Layout rules: the lines above the type name (or "V/v", or "Kính gửi") are the header: Quốc
hiệu, Tiêu ngữ and the place and date go right, "Số" and the agency lines left (of two or more
upper-case lines the first is the governing body, the rest the issuer); columns typed side by
side are split (left first); the lines under the type name (or the V/v) up to the first body
line are the trích yếu, one text; "Kính gửi" and its list are the addressees; the body runs to
"Nơi nhận", whose list is the recipients; the lines after it are the signature (TM./KT.
lines, the position, "(đã ký)" and the name; a "DUYỆT CỦA …" block beside it is left out: an
OfficialDocument has one signature). A type the writer has no layout for (HƯỚNG DẪN) is
skipped."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chidao.domain.doc_parse import parse_document
from chidao.domain.doc_text import clean_lines, fold
from chidao.domain.official_document import (
    DocumentKind,
    OfficialDocument,
    Paragraph,
    ParagraphStyle,
    Signature,
)
from chidao.files.document_writers import write_docx
from chidao.services.doc_import import read_document
from tests.support.libreoffice import to_pdf
from tests.support.paths import ROOT

FIXTURES = ROOT / "tests" / "fixtures"
SOURCES = [("corpus", "*.txt"), ("documents", "*.txt"), ("documents", "*.md"),
           ("directives", "*.txt")]
KINDS = {"ke hoach": DocumentKind.PLAN, "thong bao": DocumentKind.NOTICE,
         "huong dan": DocumentKind.GUIDANCE}
_TYPE_NAMES = {"ke hoach", "thong bao", "quyet dinh", "chi thi", "huong dan", "bao cao",
               "chuong trinh", "de an", "to trinh", "giay moi", "cong van"}
_NUMBER = re.compile(r"^s[oố]\s*[:.]?\s*(?P<number>[^/]*)/\s*(?P<symbol>.+)$", re.IGNORECASE)
# "Kiên Hải, ngày 04 tháng 9 năm 2023" (a blank day in a draft); not "Thực hiện Công văn số
# 2650/SGDĐT-TTr, ngày 25/9/2024 của …", a body sentence
_PLACE_DATE = re.compile(r"^(?P<place>[^,]{2,40}),\s*(?P<date>ng[aà]y\s*\d{0,2}\s*th[aá]ng\b.*)$",
                         re.IGNORECASE)
_BODY_START = ("can cu", "kinh gui")
_SUBJECT = re.compile(r"^(V/v|Về việc|Về)\s*:?\s*")
_NATIONAL = ("cong hoa", "doc lap")  # Quốc hiệu, Tiêu ngữ
_COLUMN_GAP = re.compile(r"\t+| {4,}")
_RULE_LINE = re.compile(r"^[-_=*\s]{3,}$")  # a rule typed under a header line
_ROMAN = re.compile(r"^[IVX]+\.\s")
_SUBHEADING = re.compile(r"^\d+(\.\d+)*\.\s.{3,100}$")
_AUTHORITY = re.compile(r"^(TM|KT|TL|TUQ|Q)\.\s")


@dataclass(frozen=True)
class Variant:
    source: Path  # the .txt (or .md)
    docx: Path
    pdf: Path


def corpus_sources() -> list[Path]:
    """Every corpus text there is (the fixtures' folders, whichever exist)."""
    return sorted(p for folder, pattern in SOURCES for p in (FIXTURES / folder).glob(pattern))


def document_of(text: str) -> OfficialDocument | None:
    """The document laid out from its text; None when its type has no layout in the writer
    (a QUYẾT ĐỊNH: DocumentKind knows kế hoạch, công văn, thông báo and hướng dẫn)."""
    lines = [line.text for line in clean_lines(left_then_right(text))
             if not _RULE_LINE.match(line.text)]
    head: dict[str, str] = {"number": "", "symbol": "", "place": "", "date": ""}
    agency: list[str] = []
    kind, title, index = None, "", 0
    while index < len(lines) and kind is None:
        line, folded = lines[index], fold(lines[index])
        if line.isupper() and folded.strip(" :") in _TYPE_NAMES:
            kind = KINDS.get(folded.strip(" :"))
            if kind is None:
                return None
            title, index = _title(lines, index + 1)
        elif folded.startswith(("v/v", "ve ")) and not line.isupper():
            title, index = _title(lines, index + 1, first=_SUBJECT.sub("", line))
            kind = DocumentKind.LETTER
        elif folded.startswith(_BODY_START) or _ROMAN.match(line):
            return None  # no type name, no V/v: nothing says what the document is
        else:
            _header_line(line, folded, head, agency)
            index += 1
    # the right column (Quốc hiệu, Tiêu ngữ, place and date) may follow a công văn's V/v
    while index < len(lines) and (fold(lines[index]).startswith(_NATIONAL)
                                  or _PLACE_DATE.match(lines[index])):
        _header_line(lines[index], fold(lines[index]), head, agency)
        index += 1
    if kind is None:
        return None
    addressees, index = _addressees(lines, index)
    end = next((i for i in range(index, len(lines)) if fold(lines[i]).startswith("noi nhan")),
               len(lines))
    closing = max((i for i in range(index, end) if lines[i].endswith("/.")), default=end)
    if 1 < end - closing <= 7:  # the signature typed above "Nơi nhận", after the closing "./."
        recipients, _ = _recipients_and_signature(lines[end + 1:])
        _, signature = _recipients_and_signature(lines[closing + 1:end])
        end = closing + 1
    else:
        recipients, signature = _recipients_and_signature(lines[end + 1:])
    return OfficialDocument(
        kind=kind, governing_body=agency[0] if len(agency) > 1 else "",
        issuer=" ".join(agency[1:] if len(agency) > 1 else agency),
        number=head["number"], symbol=head["symbol"], place=head["place"],
        date_words=head["date"], title=title, signature=signature, addressees=addressees,
        body=tuple(_paragraph(line) for line in lines[index:end]), recipients=recipients)


def left_then_right(text: str) -> str:
    """Columns typed side by side ("BỘ GIÁO DỤC VÀ ĐÀO TẠO<tab>CỘNG HÒA …", "Nơi nhận:   KT.
    GIÁM ĐỐC") as the left column's lines, then the right column's, block by block."""
    out: list[str] = []
    block: list[tuple[str, str]] = []
    for raw in [*text.splitlines(), ""]:
        parts = _COLUMN_GAP.split(raw.rstrip(), maxsplit=1)
        if len(parts) == 2 and raw.strip() and (parts[0].strip() or block):
            block.append((parts[0].strip(), parts[1].strip()))  # ("", x): right column only
            continue
        if block and raw.strip():  # a line of one column inside a block: the left one
            block.append((raw.strip(), ""))
            continue
        out += [left for left, _ in block if left] + [right for _, right in block if right]
        block = []
        out.append(raw)
    return "\n".join(out)


def _header_line(line: str, folded: str, head: dict[str, str], agency: list[str]) -> None:
    if folded.startswith(_NATIONAL):
        return  # Quốc hiệu and Tiêu ngữ: the writer prints its own
    if (m := _NUMBER.match(line)) and not head["symbol"]:
        head["number"], head["symbol"] = m["number"], m["symbol"].strip()
    elif (m := _PLACE_DATE.match(line)) and not head["date"]:
        head["place"], head["date"] = m["place"].strip(), m["date"].strip()
    elif line.isupper():
        agency.append(line)


def _title(lines: list[str], index: int, first: str = "") -> tuple[str, int]:
    """The trích yếu as one text (the writer breaks it its own way; a "Năm học" that opened a
    line reads on in lower case) and where the body starts."""
    parts = [first] if first else []
    while index < len(lines) and len(parts) < 4:
        folded = fold(lines[index])
        if (folded.startswith((*_BODY_START, *_NATIONAL)) or _ROMAN.match(lines[index])
                or _SUBHEADING.match(lines[index]) or _PLACE_DATE.match(lines[index])
                or len(lines[index]) > 120):
            break
        parts.append(re.sub(r"^Năm học\b", "năm học", lines[index]) if parts else lines[index])
        index += 1
    return " ".join(parts), index


def _addressees(lines: list[str], index: int) -> tuple[tuple[str, ...], int]:
    if index >= len(lines) or not fold(lines[index]).startswith("kinh gui"):
        return (), index
    first = lines[index].split(":", 1)[1].strip(" ;.") if ":" in lines[index] else ""
    names = [first] if first else []
    index += 1
    while index < len(lines) and (lines[index].startswith(("-", "+", "•")) or (
            lines[index].endswith((";", ".")) and len(lines[index]) < 120
            and not fold(lines[index]).startswith(_BODY_START))):  # a list typed without dashes
        names.append(lines[index].lstrip("-+• ").strip(" ;."))
        index += 1
    return tuple(names), index


def _paragraph(line: str) -> Paragraph:
    if _ROMAN.match(line) and line.isupper():
        return Paragraph(line, ParagraphStyle.HEADING)
    if _SUBHEADING.match(line) and not line.endswith((".", ";")):
        return Paragraph(line, ParagraphStyle.SUBHEADING)
    return Paragraph(line)  # bullets keep their "- ": the text is the source's


def _recipients_and_signature(rest: list[str]) -> tuple[tuple[str, ...], Signature]:
    recipients = []
    index = 0
    while index < len(rest) and rest[index].startswith(("-", "+", "•")):
        recipients.append(rest[index].lstrip("-+• "))
        index += 1
    authority = []
    while index < len(rest) and _AUTHORITY.match(rest[index]):
        authority.append(rest[index])
        index += 1
    positions = [line for line in rest[index:] if line.isupper()]
    names = [line for line in rest[index:] if not line.isupper()]
    if len(positions) == 2 and fold(positions[0]).startswith("duyet"):
        positions, names = positions[1:], names[1:]  # "DUYỆT CỦA HIỆU TRƯỞNG" beside the signer
    position = positions[0] if positions else ""
    name = "\n".join(names)  # "(đã ký)", the name
    return tuple(recipients), Signature(tuple(authority), position, name)


def write_variants(outdir: Path) -> tuple[list[Variant], list[Path]]:
    """Each corpus text as .docx and PDF under `outdir`; and the texts with no layout."""
    docs, skipped = [], []
    outdir.mkdir(parents=True, exist_ok=True)
    for source in corpus_sources():
        doc = document_of(source.read_text(encoding="utf-8"))
        if doc is None:
            skipped.append(source)
            continue
        docx = outdir / f"{source.stem}.docx"
        write_docx(doc, docx)
        docs.append((source, docx))
    pdfs = to_pdf([docx for _, docx in docs], outdir / "pdf")
    return [Variant(s, d, p) for (s, d), p in zip(docs, pdfs, strict=True)], skipped


def variant_parser(variants: list[Variant], kind: str) -> Callable[[Path], dict[str, Any]]:
    """path of a corpus .txt -> the draft read from its .docx or PDF variant (`kind` "docx" or
    "pdf"), for a scorer that takes a path -> draft function."""
    by_source = {v.source.resolve(): v for v in variants}

    def parse(path: Path) -> dict[str, Any]:
        return parse_document(read_document(getattr(by_source[path.resolve()], kind)))

    return parse


if __name__ == "__main__":  # python -m tests.support.corpus_variants OUTDIR: to look at them
    made, without_layout = write_variants(Path(sys.argv[1]))
    print("\n".join(f"{v.docx}\n{v.pdf}" for v in made))
    print("no layout for:", ", ".join(p.name for p in without_layout) or "none")
