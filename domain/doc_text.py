"""A directive's text as clean numbered lines: NFC, no markdown emphasis or heading marks."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_MARKUP = re.compile(r"(\*\*\*|\*\*|__|\*)")
_HEADING = re.compile(r"^\s*#{1,6}\s*")


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, in the source
    text: str  # cleaned


def clean_lines(text: str) -> list[Line]:
    """Non-empty lines, numbered as in the source, with markdown marks removed."""
    lines = []
    for number, raw in enumerate(unicodedata.normalize("NFC", text).splitlines(), start=1):
        cleaned = _MARKUP.sub("", _HEADING.sub("", raw)).replace("\u00a0", " ")
        cleaned = re.sub(r"[ \t]+", " ", cleaned).strip()
        if cleaned:
            lines.append(Line(number, cleaned))
    return lines


def fold(text: str) -> str:
    """Lower case without diacritics, for matching text typed without them."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
