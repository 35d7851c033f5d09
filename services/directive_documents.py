"""The directive's own files: the document as issued (and any annex), kept with the directive
in the issuing transaction, checked as handed-in files are (type by content, size), with the
text of a .txt or .docx kept for the directive's page."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import IO

from sqlmodel import Session, select

from ..config.settings import Settings
from ..domain.directives import DirectiveFile
from ..domain.errors import InvalidInput
from ..domain.reports import size_text
from ..files.attachment_files import content_problem, discard, extension_of, size_of, store
from .doc_import import read_document
from .report_submit import Upload, sanitise_name

TEXT_MAX_CHARS = 200_000  # a directive runs to a few pages; its annexes are files
DOCUMENT_TYPES = ("pdf", "docx", "doc", "odt", "txt", "xlsx", "xls")
FOLDER = "directives"  # under the attachments folder


def documents_folder(settings: Settings) -> Path:
    return Path(settings.attachments_dir).resolve() / FOLDER


def attach_document(session: Session, directive_id: int, upload: Upload, *,
                    settings: Settings, now: datetime) -> DirectiveFile:
    """Store `upload` as a file of the directive, in the caller's transaction (the file on
    disk is removed again when its row cannot be written); the same bytes again: the file
    kept before. InvalidInput("file", ...) for a file of the wrong type, empty or too large."""
    name = sanitise_name(upload.name)
    extension = extension_of(name)
    if extension not in DOCUMENT_TYPES:
        raise InvalidInput("file", f"tệp '{name}': chỉ nhận các loại {', '.join(DOCUMENT_TYPES)}")
    file = upload.file()
    size = size_of(file)
    if not size:
        raise InvalidInput("file", f"tệp '{name}' rỗng")
    if size > settings.attachment_max_bytes:
        raise InvalidInput("file", f"tệp '{name}' quá lớn ({size_text(size)}; tối đa"
                                   f" {size_text(settings.attachment_max_bytes)})")
    problem = content_problem(extension, file)
    if problem:
        raise InvalidInput("file", f"tệp '{name}': {problem}")
    same = _same_file(session, directive_id, file)
    if same is not None:
        return same
    folder = documents_folder(settings)
    kept = store(file, extension, folder)
    try:
        row = DirectiveFile(directive_id=directive_id, name=name, stored_as=kept.stored_as,
                            size=kept.size, sha256=kept.sha256, added_at=now,
                            text=_text_of(folder / kept.stored_as))
        session.add(row)
        session.flush()
    except BaseException:
        discard(folder, [kept.stored_as])
        raise
    return row


def _same_file(session: Session, directive_id: int, file: IO[bytes]) -> DirectiveFile | None:
    """The directive's file with these very bytes, if it has one (attaching is idempotent)."""
    digest = hashlib.sha256()
    while chunk := file.read(1 << 20):
        digest.update(chunk)
    file.seek(0)
    return session.exec(select(DirectiveFile).where(
        DirectiveFile.directive_id == directive_id,
        DirectiveFile.sha256 == digest.hexdigest())).first()


def _text_of(path: Path) -> str | None:
    """The document's text for the page (.txt, .docx; a .pdf once chidao reads PDFs), or None
    (a scan, a sheet, a damaged file)."""
    if path.suffix.lower() not in (".txt", ".docx", ".pdf"):
        return None
    try:
        text = read_document(path)
    except Exception:  # noqa: BLE001 - the file is kept all the same, only without its text
        return None
    text = unicodedata.normalize("NFC", text.strip()[:TEXT_MAX_CHARS].replace("\x00", ""))
    return text or None

