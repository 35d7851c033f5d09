"""The text of a Word .docx directive (python-docx), in reading order: the body's paragraphs and
tables as they come, a layout table's cells column by column (NĐ 30's header: the issuing body,
"Số", "V/v" on the left, then Quốc hiệu, Tiêu ngữ and the place and date on the right; the
signature row: Nơi nhận, then the signature block). Headers and footers (page numbers) are not
body text. The zip is checked against bombs before anything unpacks it."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..domain.errors import InvalidInput

DOCX_MAX_ENTRIES = 1_000  # a Word file has a few dozen parts
DOCX_MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # CHIDAO_DOCUMENT_MAX_UNPACKED_BYTES
DOCX_MAX_RATIO = 200  # XML compresses ~10:1; a zip bomb ~1000:1
LAYOUT_TABLE_MAX_ROWS = 4  # a two-column table this short lays out a header or a signature

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


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


def docx_text(path: Path, max_unpacked: int = DOCX_MAX_UNPACKED_BYTES) -> str:
    """The body's text, one paragraph (or line break inside one) a line."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    check_zip(path, max_unpacked)
    try:
        document = Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile):
        raise InvalidInput("file", f"'{path.name}' is not a Word .docx document") from None
    return "\n".join(_block_lines(document.element.body, document))


def _block_lines(container: Any, parent: Any) -> Iterator[str]:
    """Lines of a body, a cell or a content control: paragraphs and tables in document order."""
    from docx.table import Table

    for child in container.iterchildren():
        if child.tag == f"{_W}p":
            yield from _paragraph_text("".join(_inline_text(child))).split("\n")
        elif child.tag == f"{_W}tbl":
            yield from _table_lines(Table(child, parent))
        elif child.tag == f"{_W}sdt":  # a content control: its content is body text
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _block_lines(content, parent)


_INLINE = {f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n",
           f"{_W}noBreakHyphen": "-"}
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _inline_text(element: Any) -> Iterator[str]:
    """A paragraph's text as Word shows it: runs, also inside hyperlinks, fields, inline
    content controls and tracked insertions (not deleted text, not field codes), line breaks
    as "\n"; a text box's paragraphs as lines of their own, its fallback copy skipped."""
    for child in element.iterchildren():
        tag = child.tag
        if tag == f"{_W}t":
            yield child.text or ""
        elif tag in _INLINE:
            yield _INLINE[tag]
        elif tag == f"{_W}p":
            yield "\n"
            yield from _inline_text(child)
            yield "\n"
        elif tag != _FALLBACK and isinstance(tag, str):
            yield from _inline_text(child)


def _paragraph_text(text: str) -> str:
    """A tab before a list item ("Kính gửi:<tab>- …") starts its line; other tabs are spaces."""
    return re.sub(r"\t+(?=[-+•–] )", "\n", text).replace("\t", " ")


def _table_lines(table: Any) -> Iterator[str]:
    """A short two-column table without rules is a layout (header, signature): left cells,
    then right ones. Any other table reads row by row. A merged cell is read once."""
    rows = [_unique_cells(row) for row in table.rows]
    width = max((len(cells) for cells in rows), default=0)
    if width == 2 and len(rows) <= LAYOUT_TABLE_MAX_ROWS and not _ruled(table):
        order = [cell for index in range(2) for cells in rows for cell in cells[index:index + 1]]
    else:
        order = [cell for cells in rows for cell in cells]
    seen: set[int] = set()
    cells = []
    for cell in order:  # a cell merged down several rows comes back in each of them
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    for cell in cells:
        yield from _block_lines(cell._tc, cell)


def _ruled(table: Any) -> bool:
    """Whether the table draws its grid (a data table) rather than laying text out."""
    style = table._tbl.tblPr.find(f"{_W}tblStyle")
    if style is not None and "grid" in (style.get(f"{_W}val") or "").lower():
        return True
    borders = table._tbl.tblPr.find(f"{_W}tblBorders")
    return borders is not None and any(
        (edge.get(f"{_W}val") or "none") not in {"nil", "none"} for edge in borders)


def _unique_cells(row: Any) -> list[Any]:
    """The row's cells, a cell spanning several grid columns once."""
    cells: list[Any] = []
    for cell in row.cells:
        if not cells or cells[-1]._tc is not cell._tc:
            cells.append(cell)
    return cells
