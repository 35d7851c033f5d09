"""Import a directive document (.txt, .md, .docx, .pdf) into a draft; write it as directive YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlmodel import Session

from ..db.lookup import cited_directive
from ..domain.doc_parse import parse_document
from ..domain.errors import InvalidInput
from ..files.docx_reader import DOCX_MAX_UNPACKED_BYTES, docx_text
from ..files.pdf_reader import pdf_text


def read_document(path: Path, max_unpacked: int = DOCX_MAX_UNPACKED_BYTES) -> str:
    """The document's text; a clear error for what is not a readable directive file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput("file", f"cannot read '{path}': {exc.strerror}") from None
    if not data.strip():
        raise InvalidInput("file", f"'{path.name}' is empty")
    if path.suffix.lower() == ".docx":
        return docx_text(path, max_unpacked)
    if path.suffix.lower() == ".pdf":
        return pdf_text(path)
    if path.suffix.lower() not in {".txt", ".md"}:
        raise InvalidInput("file", f"'{path.name}': expected .txt, .md, .docx or .pdf")
    if b"\x00" in data:
        raise InvalidInput("file", f"'{path.name}' is a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("file", f"'{path.name}' is not UTF-8 text") from None


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
