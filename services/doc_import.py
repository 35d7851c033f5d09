"""Import a directive document (.txt, .md, .docx, .pdf) into a draft; write it as directive YAML."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import yaml
from sqlmodel import Session

from ..db.lookup import cited_directive
from ..domain.doc_parse import parse_document
from ..domain.errors import InvalidInput

DOCX_MAX_ENTRIES = 1_000  # a Word file has a few dozen parts
DOCX_MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # CHIDAO_DOCUMENT_MAX_UNPACKED_BYTES
DOCX_MAX_RATIO = 200  # XML compresses ~10:1; a zip bomb ~1000:1
PDF_MAX_PAGES = 200  # a directive runs to a few dozen pages with its appendices


def read_document(path: Path, max_unpacked: int = DOCX_MAX_UNPACKED_BYTES) -> str:
    """The document's text; a clear error for what is not a readable directive file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput("file", f"cannot read '{path}': {exc.strerror}") from None
    if not data.strip():
        raise InvalidInput("file", f"'{path.name}' is empty")
    if path.suffix.lower() == ".docx":
        return _docx_text(path, max_unpacked)
    if path.suffix.lower() == ".pdf":
        return _pdf_text(path)
    if path.suffix.lower() not in {".txt", ".md"}:
        raise InvalidInput("file", f"'{path.name}': expected .txt, .md, .docx or .pdf")
    if b"\x00" in data:
        raise InvalidInput("file", f"'{path.name}' is a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("file", f"'{path.name}' is not UTF-8 text") from None


def check_zip(path: Path, max_unpacked: int = DOCX_MAX_UNPACKED_BYTES) -> None:
    """Refuse a .docx whose zip would unpack past the caps, before anything unpacks it."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InvalidInput("file", f"'{path.name}' is not a Word .docx document") from None
    if len(entries) > DOCX_MAX_ENTRIES:
        raise InvalidInput("file", f"'{path.name}': {len(entries):,} parts in the archive (at"
                                   f" most {DOCX_MAX_ENTRIES:,})")
    total = sum(e.file_size for e in entries)
    if total > max_unpacked:
        raise InvalidInput("file", f"'{path.name}' unpacks to {total:,} bytes (at most"
                                   f" {max_unpacked:,})")
    for entry in entries:
        if entry.file_size > 1024 * 1024 and entry.file_size > DOCX_MAX_RATIO * max(
                entry.compress_size, 1):
            raise InvalidInput("file", f"'{path.name}': part {entry.filename} is compressed"
                                       f" {entry.file_size // max(entry.compress_size, 1):,}"
                                       f":1 (a zip bomb?)")


def _docx_text(path: Path, max_unpacked: int = DOCX_MAX_UNPACKED_BYTES) -> str:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    check_zip(path, max_unpacked)
    try:
        document = Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError):
        raise InvalidInput("file", f"'{path.name}' is not a Word .docx document") from None
    return "\n".join(p.text for p in document.paragraphs)


def _pdf_text(path: Path) -> str:
    """The text layer of a PDF (pypdf), page after page; a scan without one reads as nothing."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = len(reader.pages)
        text = "" if pages > PDF_MAX_PAGES else \
            "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        raise InvalidInput("file", f"'{path.name}' is not a readable PDF document") from None
    if pages > PDF_MAX_PAGES:
        raise InvalidInput("file", f"'{path.name}': {pages} pages (at most {PDF_MAX_PAGES})")
    if not text.strip():
        raise InvalidInput("file", f"'{path.name}' has no text layer (a scanned image?)")
    return unwrap_lines(text)


def unwrap_lines(text: str) -> str:
    """A PDF's text as paragraphs: a line that fills most of the width and does not end a
    sentence runs on into the next (a reference "… ngày 26 tháng 02 năm 2026 của / Sở Giáo
    dục …" is then read whole); short lines (headings, "Số: …", list items) stay lines."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    widest = max((len(line) for line in lines), default=0)
    out: list[str] = []
    running = False
    for line in lines:
        if not line:
            out.append("")
            running = False
            continue
        if running and out:
            out[-1] += " " + line
        else:
            out.append(line)
        running = len(line) >= 0.75 * widest and not line.endswith((".", ";", ":", "!", "?"))
    return "\n".join(out)


def import_document(path: Path, session: Session | None = None,
                    max_unpacked: int = DOCX_MAX_UNPACKED_BYTES) -> dict[str, Any]:
    """The draft; with a session, references are linked to directives already stored."""
    draft = parse_document(read_document(path, max_unpacked))
    if not (draft["doc_type"] or draft["based_on"] or draft["assignee_groups"]):
        raise InvalidInput("file", f"'{path.name}' does not read as a directive: no type,"
                                   " no 'Căn cứ', no assigned tasks")
    for ref in draft["based_on"]:
        found = cited_directive(session, ref["number"], ref["symbol"], ref["date"]) \
            if session and len(ref["number"]) <= 9 else None
        ref["directive"] = found.key if found else None
    return draft


def _citation(ref: dict[str, Any]) -> str:
    """A reference not in the database yet, with its date ("215/KH-SGDĐT ngày 18/01/2027"):
    `chidao directive issue` then links it, the date choosing among years."""
    written = f"{ref['number']}/{ref['symbol']}"
    if ref.get("date"):
        year, month, day = ref["date"].split("-")
        written += f" ngày {day}/{month}/{year}"
    return written


def draft_yaml(draft: dict[str, Any]) -> str:
    """A directive file to complete (unit codes, deadlines) and then `chidao directive issue`."""
    issued = draft["issued_on"] or {}
    number = draft["number"] if draft["number"] is not None else ""
    data: dict[str, Any] = {
        "key": None if number else "TODO-khoa-van-ban",
        "number_symbol": f"{number}/{draft['symbol'] or 'TODO'}",
        "issuer": f"TODO: mã đơn vị của «{draft['issuer'] or '?'}»",
        "issued_on": (f"{issued.get('year')}-{issued.get('month'):02d}-{issued['day']:02d}"
                      if issued.get("day") else "TODO"),
        "title": draft["title"] or "TODO",
        "school_year": draft["school_year"],
        "based_on": [r.get("directive") or _citation(r) for r in draft["based_on"]],
        "requirements": [{
            "key": f"nhom-{index + 1}", "kind": "action", "title": group["name"],
            "to": {"units": [f"TODO: mã đơn vị của «{group['name']}»"]},
            "due": next((d.get("date") for d in draft["deadlines"] if d.get("date")), "TODO"),
        } for index, group in enumerate(draft["assignee_groups"])],
    }
    return yaml.safe_dump({k: v for k, v in data.items() if v is not None}, allow_unicode=True,
                          sort_keys=False, width=100)
