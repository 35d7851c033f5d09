"""A generated document as the browser gets it: the .docx as an attachment (built in a
temporary folder that is removed, its name in ASCII and, per RFC 5987, in UTF-8), and the
parts the pages show of it (the header and the signature block, the drafter's warnings)."""

from __future__ import annotations

import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from fastapi.responses import Response

from ..domain.official_document import OfficialDocument
from ..files.document_writers import write_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_NOT_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def ascii_name(text: str) -> str:
    """"Dự-thảo-KH-UBND-KIÊNHẢI.docx" -> "Du-thao-KH-UBND-KIENHAI.docx" (the fallback name
    for browsers that ignore filename*)."""
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return _NOT_NAME.sub("-", plain).strip("-") or "van-ban.docx"


def content_disposition(name: str) -> str:
    """attachment; filename="<ASCII>"; filename*=UTF-8''<percent-encoded name>."""
    return f"attachment; filename=\"{ascii_name(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def docx_response(doc: OfficialDocument, name: str) -> Response:
    """The document as a .docx download named `name` (the file is written, read back and its
    folder removed before the response is sent)."""
    with tempfile.TemporaryDirectory(prefix="chidao-docx-") as folder:
        path = Path(folder) / "van-ban.docx"
        write_docx(doc, path)
        data = path.read_bytes()
    return Response(data, media_type=DOCX, headers={
        "Content-Disposition": content_disposition(name), "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff"})


@dataclass(frozen=True)
class DocumentFace:
    """What the settings page previews of a document: its header's two columns and its
    signature block, as the services built them."""

    governing_body: str  # "" when none is printed
    issuer: str
    number_line: str  # "Số: /KH-UBND"
    subject_line: str  # a công văn's "V/v …"
    place_date: str
    type_name: str  # "KẾ HOẠCH"; "" for a công văn
    signature: tuple[str, ...]
    warnings: tuple[str, ...]


def face_of(doc: OfficialDocument) -> DocumentFace:
    return DocumentFace(governing_body=doc.governing_body, issuer=doc.issuer,
                        number_line=doc.number_line, subject_line=doc.subject_line,
                        place_date=doc.place_date_line, type_name=doc.kind.type_name,
                        signature=doc.signature.lines, warnings=warnings_of(doc))


def warnings_of(doc: OfficialDocument) -> tuple[str, ...]:
    """The drafter's warnings (a document built before the field existed has none)."""
    return tuple(getattr(doc, "warnings", ()) or ())
