"""The text layer of a PDF directive (pdfplumber), in reading order (files/pdf_layout.py): the
two-column header and signature rows column by column, wrapped body lines joined. A scan
without a text layer, a file that is no PDF and a PDF past the page cap are refused clearly."""

from __future__ import annotations

import logging
import struct
import zlib
from pathlib import Path

from ..domain.errors import InvalidInput
from .pdf_layout import reading_order
from .pdf_lines import TextLine, page_lines

PDF_MAX_PAGES = 200  # a directive runs to a few dozen pages with its appendices


def pdf_text(path: Path) -> str:
    import pdfplumber
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # a damaged file is our error
    pages: list[list[TextLine]] = []
    try:
        with pdfplumber.open(str(path)) as pdf:
            count = len(pdf.pages)
            for page in pdf.pages if count <= PDF_MAX_PAGES else []:
                words = page.extract_words(extra_attrs=["fontname", "size"])
                pages.append(page_lines(words, float(page.height)))
    except (PdfminerException, MalformedPDFException, PSException, ValueError, KeyError,
            TypeError, AttributeError, IndexError, AssertionError, RecursionError, OSError,
            zlib.error, struct.error):  # what pdfminer raises on a damaged file
        raise InvalidInput("file", f"'{path.name}' is not a readable PDF document") from None
    if count > PDF_MAX_PAGES:
        raise InvalidInput("file", f"'{path.name}': {count} pages (at most {PDF_MAX_PAGES})")
    text = "\n".join(reading_order(pages))
    if not text.strip():
        raise InvalidInput("file", f"'{path.name}' has no text layer (a scanned image?)")
    return text
