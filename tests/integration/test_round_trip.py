"""Round trip: a generated plan and a generated urging letter, saved as .docx by the project's
writer and printed to PDF by LibreOffice, import back with every header field right. The
generated OfficialDocument is the source of truth."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from chidao.config.calendar_source import vietnam_calendar
from chidao.db.database import transaction
from chidao.db.lookup import directive_by_ref
from chidao.domain.official_document import OfficialDocument
from chidao.files.document_writers import write_docx
from chidao.services.doc_import import import_document
from chidao.services.documents import implementation_plan, urging_letter
from tests.support.cascade import at, issue_file, seed_units
from tests.support.libreoffice import to_pdf


@pytest.fixture
def generated(engine, tmp_path: Path) -> dict[str, OfficialDocument]:
    """Kiên Hải's draft plan answering the Sở's 1039/KH-SGDĐT; the Sở's urging letter."""
    seed_units(engine)
    issue_file(engine, "kh-1039-sgddt-stem.yaml", "2026-02-26T09:00")
    issue_file(engine, "kh-ubnd-kien-hai-stem.yaml", "2026-03-10T10:00")
    with transaction(engine) as session:
        sở_plan = directive_by_ref(session, "1039/KH-SGDĐT")
        return {
            "ke-hoach": implementation_plan(
                session, directive=sở_plan, unit_code="UBND-KIENHAI",
                now=at("2026-03-12T09:00"), calendar=vietnam_calendar(), days_before=5),
            "don-doc": urging_letter(
                session, directive=sở_plan, unit_code="SGDDT-AG", now=at("2026-03-26T09:00"),
                today=at("2026-03-26T09:00").date()),
        }


def header_of(doc: OfficialDocument) -> dict[str, Any]:
    """What the importer must read off the document, from the document itself."""
    month_year = re.search(r"tháng\s+(\d{1,2})\s+năm\s+(\d{4})", doc.date_words)
    assert month_year, doc.date_words
    return {"number": doc.number or None, "symbol": doc.symbol, "doc_type": doc.kind.value,
            "issuer": doc.issuer, "place": doc.place,
            "issued_on": (int(month_year[1]), int(month_year[2])), "title": doc.title,
            "authority": " / ".join(doc.signature.authority) or None,
            "position": doc.signature.position}


def header_read(draft: dict[str, Any]) -> dict[str, Any]:
    issued = draft["issued_on"] or {}
    signer = draft["signer"] or {}
    return {name: draft[name] for name in ("number", "symbol", "doc_type", "issuer", "place",
                                           "title")} | {
        "issued_on": (issued.get("month"), issued.get("year")),
        "authority": signer.get("authority"), "position": signer.get("position")}


def test_generated_documents_import_back_from_docx_and_pdf(generated, tmp_path: Path):
    docx = {name: tmp_path / f"{name}.docx" for name in generated}
    for name, doc in generated.items():
        write_docx(doc, docx[name])
    pdfs = dict(zip(docx, to_pdf(list(docx.values()), tmp_path / "pdf"), strict=True))
    for name, doc in generated.items():
        want = header_of(doc)
        for path in (docx[name], pdfs[name]):
            draft = import_document(path)
            assert header_read(draft) == want, path.name
            assert not {"symbol", "doc_type", "issuer", "place", "issued_on", "title",
                        "signer"} & set(draft["missing"]), path.name
