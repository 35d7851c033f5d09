"""A PDF page's words (pdfplumber's extract_words) as lines of text, each line split where a
gap too wide for a blank separates two table cells; a running page number left out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median
from typing import Any

LINE_TOLERANCE = 3.0  # points: words whose baselines differ by less share a line
COLUMN_GAP = 0.7  # font sizes: a gap this wide inside a line separates two table cells
# (two cells' paddings, ~11 pt; LibreOffice stretches a justified line's spaces to ~8 pt)
_PAGE_NUMBER = re.compile(r"^[-–\s]*(trang\s*)?\d{1,3}(\s*/\s*\d{1,3})?[-–\s]*$", re.IGNORECASE)
# a draft leaves the day, the month or the number blank for the signer: "ngày     tháng 3"
_BLANK_TO_FILL = re.compile(r"^(ng[àa]y|th[áa]ng|S[ốo]:?) (th[áa]ng|n[ăa]m|/)|^\S+ /", re.I)


@dataclass
class Segment:
    """Words of one line with no cell gap between them."""

    words: list[dict[str, Any]]

    @property
    def x0(self) -> float:
        return float(self.words[0]["x0"])

    @property
    def x1(self) -> float:
        return float(self.words[-1]["x1"])

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def text(self) -> str:
        return " ".join(w["text"] for w in self.words)

    @property
    def bold(self) -> bool:
        return all("bold" in str(w.get("fontname", "")).lower() for w in self.words)

    @property
    def top(self) -> float:
        return min(float(w["top"]) for w in self.words)

    @property
    def bottom(self) -> float:
        return max(float(w["bottom"]) for w in self.words)


@dataclass
class TextLine:
    segments: list[Segment]
    size: float  # the font size of its words

    @property
    def x0(self) -> float:
        return self.segments[0].x0

    @property
    def x1(self) -> float:
        return self.segments[-1].x1

    @property
    def top(self) -> float:
        return min(s.top for s in self.segments)

    @property
    def bottom(self) -> float:
        return max(s.bottom for s in self.segments)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)

    @property
    def bold(self) -> bool:
        return all(s.bold for s in self.segments)


def page_lines(words: list[dict[str, Any]], page_height: float) -> list[TextLine]:
    """The page's words grouped into lines (top to bottom), split at cell gaps; a running page
    number at the top or bottom of the page left out."""
    rows: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (float(w["bottom"]), float(w["x0"]))):
        if rows and _same_line(rows[-1][0], word):
            rows[-1].append(word)
        else:
            rows.append([word])
    lines = [_line_of(sorted(row, key=lambda w: float(w["x0"]))) for row in rows]
    return [line for index, line in enumerate(lines)
            if not (index in (0, len(lines) - 1) and _PAGE_NUMBER.match(line.text)
                    and (line.bottom < 0.12 * page_height or line.top > 0.88 * page_height))]


def _same_line(first: dict[str, Any], word: dict[str, Any]) -> bool:
    """On one baseline, or standing mostly beside each other (two cells whose lines do not
    start at quite the same height: different sizes, a space before one of them)."""
    if abs(float(word["bottom"]) - float(first["bottom"])) <= LINE_TOLERANCE:
        return True
    overlap = min(float(first["bottom"]), float(word["bottom"])) - max(float(first["top"]),
                                                                      float(word["top"]))
    height = min(float(first["bottom"]) - float(first["top"]),
                 float(word["bottom"]) - float(word["top"]))
    return overlap > 0.5 * height


def _line_of(words: list[dict[str, Any]]) -> TextLine:
    size = median(float(w.get("size") or (float(w["bottom"]) - float(w["top"]))) for w in words)
    segments = [Segment([words[0]])]
    for word in words[1:]:
        if (float(word["x0"]) - segments[-1].x1 > COLUMN_GAP * size
                and not _BLANK_TO_FILL.search(f"{segments[-1].words[-1]['text']} {word['text']}")):
            segments.append(Segment([word]))
        else:
            segments[-1].words.append(word)
    return TextLine(segments, size)
