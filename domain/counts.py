"""Counts in a consolidated report. A unit that reports for its reporters hands in, for a
yes/no field (count_true), how many of them answered "có" (an integer ≥ 0), and for a choice
field (count_per_choice), how many chose each option ({"tốt": 2, "khá": 1, "đạt": 0}, or the
text "tốt: 2; khá: 1; đạt: 0" as typed in a form). A unit reporting for itself still answers
có/không or one choice."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_PAIR = re.compile(r"\s*(.+?)\s*[:=]\s*(\d+)\s*")


def parse_count(raw: Any) -> int | None:
    """An integer ≥ 0 (or its digits as text); None if it is not one."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if 0 <= raw < 10**15 else None
    if isinstance(raw, float) and raw.is_integer() and 0 <= raw < 10**15:
        return int(raw)
    if isinstance(raw, str) and re.fullmatch(r"\s*\d{1,15}\s*", raw):
        return int(raw)
    return None


def parse_choice_counts(raw: Any, choices: list[str]) -> dict[str, int] | None:
    """{choice: count} for every choice (absent ones 0), from a mapping or "a: 1; b: 2" text;
    None if it is neither, names an unknown choice, or a count is not an integer ≥ 0."""
    pairs: list[tuple[Any, Any]]
    if isinstance(raw, Mapping):
        pairs = list(raw.items())
    elif isinstance(raw, str) and (":" in raw or "=" in raw):
        parts = [p for p in re.split(r"[;,\n]", raw) if p.strip()]
        matches = [_PAIR.fullmatch(p) for p in parts]
        if not matches or any(m is None for m in matches):
            return None
        pairs = [(m[1], m[2]) for m in matches if m is not None]
    else:
        return None
    counts = dict.fromkeys(choices, 0)
    for choice, value in pairs:
        count = parse_count(value)
        if str(choice) not in counts or count is None:
            return None
        counts[str(choice)] = count
    return counts


def choice_counts_text(counts: Mapping[str, Any]) -> str:
    """"tốt: 2; khá: 1; đạt: 0": how a form shows the counts for the unit to adjust."""
    return "; ".join(f"{choice}: {count}" for choice, count in counts.items())
