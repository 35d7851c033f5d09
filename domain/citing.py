"""How one document names another (NĐ 30 practice): "Kế hoạch số 1039/KH-SGDĐT ngày
26/02/2026 của Sở Giáo dục và Đào tạo tỉnh An Giang"; a document with no number yet by its
issuer and date ("Kế hoạch ngày 10/03/2026 của Ủy ban nhân dân đặc khu Kiên Hải"), never
"số /KH-UBND"; its subject after "về"."""

from __future__ import annotations

from datetime import date

from .directives import DOC_TYPE_LABELS, format_number_symbol


def type_label(doc_type: str | None) -> str:
    return next((label for code, label in DOC_TYPE_LABELS.items() if code == doc_type),
                "Văn bản")


def document_name(doc_type: str | None, number: str | None, symbol: str, issued_on: date,
                  issuer: str | None = None) -> str:
    """The document named by its type, number (when it has one), date and issuer."""
    numbered = f" số {format_number_symbol(number, symbol)}" if number else ""
    of = f" của {issuer}" if issuer else ""
    return f"{type_label(doc_type)}{numbered} ngày {issued_on:%d/%m/%Y}{of}"


def subject(title: str) -> str:
    """A title as it reads after "về": its first letter in lower case unless the first word is
    an abbreviation or a name in capitals ("STEM", "GDMN")."""
    first = title.split(" ", 1)[0]
    if len(first) > 1 and not first[1:].islower():
        return title
    return title[:1].lower() + title[1:]
