"""How wide a line of Times New Roman is, from the Adobe metrics of Times (which Times New Roman
and Liberation Serif share): to size the NĐ 30 rules to the line above them and to break a long
agency name where a typist would. Vietnamese letters measure as their base
letter (diacritics add no width)."""

from __future__ import annotations

import math
import unicodedata

from pdfminer.fontmetrics import FONT_METRICS

from ..domain.nd30_layout import TextStyle

_FONTS = {(False, False): "Times-Roman", (True, False): "Times-Bold",
          (False, True): "Times-Italic", (True, True): "Times-BoldItalic"}
_UNDECOMPOSED = {"Đ": "D", "đ": "d"}
_DEFAULT_WIDTH = 500  # thousandths of the size, for a character the metrics do not list


def width_pt(text: str, style: TextStyle) -> float:
    """The width of `text` on one line, in points."""
    widths: dict[str, int] = FONT_METRICS[_FONTS[style.bold, style.italic]][1]
    total = 0
    for char in text:
        base = unicodedata.normalize("NFD", char)[:1] or char
        total += widths.get(_UNDECOMPOSED.get(base, base), _DEFAULT_WIDTH)
    return total * style.size_pt / 1000


def wrapped(text: str, style: TextStyle, line_pt: float) -> list[str]:
    """`text` broken at spaces into lines no wider than `line_pt` (greedy, as a word
    processor does)."""
    lines: list[str] = []
    for word in text.split():
        if lines and width_pt(f"{lines[-1]} {word}", style) <= line_pt:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def balanced_lines(text: str, style: TextStyle, line_pt: float) -> list[str]:
    """`text` on as few lines as fit `line_pt`, the lines made as even as a word processor
    will reproduce them (a title of two lines breaks near its middle, not before its last
    word). Line breaks already in `text` (a title as its author broke it) are kept."""
    if "\n" in text:
        return [line.strip() for line in text.splitlines() if line.strip()]
    lines = wrapped(text, style, line_pt)
    measure = width_pt(text, style) / len(lines)
    while len(lines) > 1 and measure < line_pt:  # the narrowest measure that keeps the count
        even = wrapped(text, style, measure)
        if len(even) == len(lines) and fitting_measure(text, even, style) is not None:
            return even
        measure += 1
    return lines


# An agency name breaks before the word that names its level, as typists break it:
# "ỦY BAN NHÂN DÂN" / "ĐẶC KHU KIÊN HẢI", "SỞ GIÁO DỤC VÀ ĐÀO TẠO" / "TỈNH AN GIANG".
LEVEL_WORDS = ("TỈNH", "THÀNH PHỐ", "ĐẶC KHU", "HUYỆN", "QUẬN", "THỊ XÃ", "XÃ", "PHƯỜNG")


def name_lines(text: str, style: TextStyle, line_pt: float) -> list[str]:
    """An agency name on as few lines as fit `line_pt`: kept as written when it holds line
    breaks; else broken in two before its last level word that leaves both halves fitting;
    else in two where the longer half is shortest; else greedily."""
    if "\n" in text:
        return [line.strip() for line in text.splitlines() if line.strip()]
    if width_pt(text, style) <= line_pt:
        return [text]
    words = text.split()
    halves = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    fitting = [h for h in halves if max(width_pt(part, style) for part in h) <= line_pt]
    at_level = [h for h in fitting if h[1].startswith(LEVEL_WORDS)]
    if at_level:
        return list(at_level[-1])
    if not fitting:
        return wrapped(text, style, line_pt)
    return list(min(fitting, key=lambda h: max(width_pt(part, style) for part in h)))


def fitting_measure(text: str, lines: list[str], style: TextStyle) -> float | None:
    """A line length at which a word processor filling lines greedily breaks `text` into
    exactly `lines`, with room for its widths to differ from ours by 1% either way (the
    geometric middle of the lengths that do it). None for one line, or when no length does."""
    if len(lines) < 2:
        return None
    words = [line.split() for line in lines]
    shortest = longest_line_pt(lines, style)  # the measure must hold the longest line …
    longest = min(width_pt(f"{line} {after[0]}", style)  # … and no line plus the next word
                  for line, after in zip(lines, words[1:], strict=False))
    measure = math.sqrt(shortest * longest)
    if all(wrapped(text, style, measure * scale) == lines for scale in (0.99, 1.0, 1.01)):
        return measure
    return None


def typeset(text: str, lines: list[str], style: TextStyle, line_pt: float) -> list[str]:
    """The lines `text` prints on: `lines` when a measure makes the word processor break
    there (or the author broke them); else where it breaks on its own in `line_pt`."""
    if "\n" in text or len(lines) < 2 or fitting_measure(text, lines, style) is not None:
        return lines
    return wrapped(text, style, line_pt)


def longest_line_pt(lines: list[str], style: TextStyle) -> float:
    return max(width_pt(line, style) for line in lines)
