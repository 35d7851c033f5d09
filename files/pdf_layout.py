"""A PDF's lines (files/pdf_lines.py) as text in reading order.

NĐ 30 lays the header and the signature row out as two-column tables: on the page, the agency
name and Quốc hiệu share a line, "Số" and the place and date share another. A band of such
lines reads as its left column (governing body, issuer, Số, V/v; Nơi nhận and its list) then its
right column (Quốc hiệu, Tiêu ngữ, place and date; the signature block). The rest reads in line
order, wrapped lines joined into paragraphs."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from statistics import median

from .pdf_lines import Segment, TextLine

ALIGN_TOLERANCE = 8.0  # points: a cell line centred (or started) where its column's are
_LIST_START = re.compile(r"^([-+•–*]|\d{1,2}(\.\d{1,2})*[.)]|[a-zđ][.)]|[IVXLC]+\.)\s",
                         re.IGNORECASE)  # "2026." ending a line's run is a year, not an item
_AUTHORITY = re.compile(r"^(TM|KT|TL|TUQ|Q)\.\s")
_SENTENCE_END = (".", ";", ":", "!", "?")


@dataclass
class _Band:
    """Two columns: each centred on (or, like Nơi nhận, starting at) its cell's axis."""

    left: Segment
    right: Segment
    left_lines: list[Segment]
    right_lines: list[Segment]

    @property
    def boundary(self) -> float:
        """Between the columns' texts (a cell's border lies somewhere in that gap)."""
        return (max(s.x1 for s in self.left_lines) + min(s.x0 for s in self.right_lines)) / 2

    def left_cell(self, left_edge: float) -> tuple[float, float]:
        """Where the left cell lies: from the table's edge (the text's) to the columns' gap,
        or as wide around its centred lines as they stand from that edge."""
        centred = abs(self.left.x0 - min(s.x0 for s in self.left_lines)) > ALIGN_TOLERANCE / 2
        return (left_edge, 2 * self.left.centre - left_edge if centred else self.boundary)

    def right_cell(self, right_edge: float) -> tuple[float, float]:
        """The right cell: its lines are centred, as far from the table's edge on the left."""
        return (2 * self.right.centre - right_edge, right_edge)

    def takes(self, line: TextLine) -> bool:
        """Whether every part of `line` sits in one of the band's columns."""
        return all(self._column_of(s) is not None for s in line.segments)

    @property
    def top(self) -> float:
        return min(s.top for s in self.left_lines + self.right_lines)

    @property
    def bottom(self) -> float:
        return max(s.bottom for s in self.left_lines + self.right_lines)

    def add(self, line: TextLine) -> None:
        for segment in line.segments:
            (self.left_lines if self._column_of(segment) == "left" else
             self.right_lines).append(segment)

    def _column_of(self, segment: Segment) -> str | None:
        """"left" or "right" when the segment is aligned with that column and clear of the
        other column's text; None when it belongs to neither."""
        if segment.x1 < min(s.x0 for s in self.right_lines) and (
                abs(segment.centre - self.left.centre) <= ALIGN_TOLERANCE
                or abs(segment.x0 - self.left.x0) <= ALIGN_TOLERANCE / 2):
            return "left"
        if segment.x0 > max(s.x1 for s in self.left_lines) and abs(
                segment.centre - self.right.centre) <= ALIGN_TOLERANCE:
            return "right"
        return None


def _band_start(line: TextLine, left_edge: float, right_edge: float) -> _Band | None:
    """A line of two cells whose gap lies in the middle of the text area starts a band."""
    if len(line.segments) != 2:
        return None
    left, right = line.segments
    boundary = (left.x1 + right.x0) / 2
    width = max(right_edge - left_edge, 1.0)
    if not 0.2 <= (boundary - left_edge) / width <= 0.8:
        return None
    return _Band(left, right, [left], [right])


def reading_order(pages: list[list[TextLine]]) -> list[str]:
    """All pages' lines as text: bands column by column, the rest as joined paragraphs."""
    everything = [line for lines in pages for line in lines]
    if not everything:
        return []
    left_edge = min(line.x0 for line in everything)  # the text area, over all pages
    right_edge = max(line.x1 for line in everything)
    blocks = [_blocks(lines, left_edge, right_edge) for lines in pages]
    flow = [b for page in blocks for b in page if isinstance(b, TextLine)] or everything
    left_edge = min(line.x0 for line in flow)  # the body's (a header table may stand out)
    right_edge = max(line.x1 for line in flow)
    area = (left_edge, _centre_axis(flow, left_edge, right_edge), right_edge)
    out: list[str] = []
    previous: TextLine | None = None  # the last flow line, while its paragraph may run on
    for lines, page in zip(pages, blocks, strict=True):
        if not lines:
            continue
        gap = _paragraph_gap(lines)
        last_bottom: float | None = None
        for block in page:
            if last_bottom is not None and block.top - last_bottom > gap:
                out.append("")
                previous = None
            if isinstance(block, _Band):
                out += ["", *_column_text(block.left_lines, block.left_cell(left_edge)),
                        *_column_text(block.right_lines, block.right_cell(right_edge)), ""]
                previous = None
            elif previous is not None and _runs_on(previous, block, area):
                out[-1] += " " + block.text
                previous = block
            else:
                out.append(block.text)
                previous = block
            last_bottom = block.bottom
    return out


def _blocks(lines: list[TextLine], left_edge: float, right_edge: float
            ) -> list[TextLine | _Band]:
    """The page's lines, the two-column bands among them gathered."""
    blocks: list[TextLine | _Band] = []
    index = 0
    while index < len(lines):
        band = _band_start(lines[index], left_edge, right_edge)
        index += 1
        if band is None:
            blocks.append(lines[index - 1])
            continue
        while index < len(lines) and band.takes(lines[index]):
            band.add(lines[index])
            index += 1
        if len(band.left_lines) + len(band.right_lines) > 2 or _LIST_START.match(band.right.text):
            blocks.append(band)
        else:  # one line with a wide gap (a justified line, "Kính gửi: A"): no table
            blocks.append(lines[index - 1])
    return blocks


def _column_text(segments: list[Segment], cell: tuple[float, float]) -> list[str]:
    """A column's lines, each its own, but for the lines its cell (from `cell[0]` to `cell[1]`)
    wrapped: a line the next one's first word would not have fitted beside, and which ends no
    sentence, runs on into it ("TM. ỦY BAN NHÂN DÂN" / "ĐẶC KHU KIÊN HẢI" / "CHỦ TỊCH" when
    the cell is narrow; "- Phòng … (để thực" / "hiện);") — a list item, a TM./KT. line or a
    change of weight or of case starts a line of its own."""
    out: list[str] = []
    for index, segment in enumerate(segments):
        if index and _wrapped(segments[index - 1], segment, cell):
            out[-1] += " " + segment.text
        else:
            out.append(segment.text)
    return out


def _wrapped(before: Segment, segment: Segment, cell: tuple[float, float]) -> bool:
    if (before.bold != segment.bold or before.text.isupper() != segment.text.isupper()
            or _AUTHORITY.match(segment.text) or _LIST_START.match(segment.text)
            or before.text.endswith(_SENTENCE_END)):
        return False
    first = segment.words[0]
    space = 0.3 * float(first.get("size") or 12)  # a blank; a cell's paddings are 3 of them
    word = space + float(first["x1"]) - float(first["x0"])
    centred = abs(before.centre - (cell[0] + cell[1]) / 2) < ALIGN_TOLERANCE
    if centred:  # it would have been wider than the cell less its paddings
        return before.x1 - before.x0 + word > cell[1] - cell[0] - 3 * space
    return before.x1 + word > cell[1]


def _paragraph_gap(lines: list[TextLine]) -> float:
    """Space between lines wider than this separates paragraphs."""
    gaps = sorted(b.top - a.bottom for a, b in zip(lines, lines[1:], strict=False))
    size = median(line.size for line in lines)
    usual = max(gaps[len(gaps) // 4], 0.0) if gaps else 0.0  # most lines run inside paragraphs
    return max(1.6 * usual, usual + 0.5 * size)


def _centre_axis(lines: list[TextLine], left_edge: float, right_edge: float) -> float:
    """Where centred lines (the type name, the trích yếu) have their middle: the one most
    short lines share; the text area's middle when none do (ragged text hides the margin)."""
    centres = Counter(round((line.x0 + line.x1) / 2) for line in lines
                      if len(line.segments) == 1 and line.x0 > left_edge + 2 * line.size
                      and line.x1 < right_edge - 2 and not _LIST_START.match(line.text))
    shared = [(sum(centres.get(c + d, 0) for d in (-1, 0, 1)), c) for c in centres]
    count, centre = max(shared, default=(0, 0))
    return float(centre) if count >= 2 else (left_edge + right_edge) / 2


def _runs_on(previous: TextLine, line: TextLine, area: tuple[float, float, float]) -> bool:
    """A line that ends where the next one's first word would not have fitted, and does not
    end a sentence, continues in the next, when that one starts at the margin (or under its
    list item's dash) and is no list item. A centred line runs on only when it is as wide as
    the text and the next is centred too ("Kính gửi: …" wrapped), never a broken title."""
    left_edge, axis, right_edge = area
    first = line.segments[0].words[0]
    word = 0.3 * line.size + float(first["x1"]) - float(first["x0"])
    if previous.text.endswith(_SENTENCE_END) or previous.bold != line.bold or \
            _LIST_START.match(line.text):
        return False
    if _centred(previous, area):
        return previous.x1 - previous.x0 + word > right_edge - left_edge and _centred(line, area)
    margin = previous.x0 if _LIST_START.match(previous.text) else left_edge
    return previous.x1 + word > right_edge and line.x0 <= max(margin, left_edge) + 0.5 * line.size


def _centred(line: TextLine, area: tuple[float, float, float]) -> bool:
    left_edge, axis, right_edge = area
    return (left_edge + 1 < line.x0 and line.x1 < right_edge - 2
            and abs((line.x0 + line.x1) / 2 - axis) < 2)
