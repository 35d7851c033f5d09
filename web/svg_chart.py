"""Small charts drawn on the server as inline SVG (no script, no CDN, readable offline): the
on-time rate at each past deadline, and one stacked bar per level of the cascade. Each has a
<title> and a text alternative for screen readers; each point and segment its own <title>."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

LATE, SOON, GOOD, GRID, INK = "#b91c1c", "#c2410c", "#15803d", "#d1d5db", "#374151"


@dataclass(frozen=True)
class Point:
    day: date
    percent: float
    label: str  # what the point says: "19/03/2026: 1/3 đúng hạn (33%)"


def rate_chart(points: Sequence[Point], *, title: str, width: int = 400,
               height: int = 190) -> Markup:
    """A line of percentages over dates (x proportional to time), 0–100 % gridlines."""
    left, right, top, bottom = 48, 22, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    first, last = points[0].day, points[-1].day
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        if first == last:
            return left + plot_w / 2
        return left + plot_w * (day - first).days / span

    def y(percent: float) -> float:
        return top + plot_h * (1 - percent / 100)

    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-labelledby="rate-title rate-desc" preserveAspectRatio="xMidYMid meet">',
             f'<title id="rate-title">{escape(title)}</title>',
             f'<desc id="rate-desc">{escape("; ".join(p.label for p in points))}</desc>']
    for level in (0, 50, 100):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(level):.1f}" '
                     f'y2="{y(level):.1f}" stroke="{GRID}" stroke-width="1"/>'
                     f'<text x="{left - 6}" y="{y(level) + 4:.1f}" text-anchor="end" '
                     f'font-size="13" fill="{INK}">{level}%</text>')
    line = " ".join(f"{x(p.day):.1f},{y(p.percent):.1f}" for p in points)
    parts.append(f'<polyline points="{line}" fill="none" stroke="{GOOD}" stroke-width="2.5"/>')
    for p in points:
        parts.append(f'<circle cx="{x(p.day):.1f}" cy="{y(p.percent):.1f}" r="5" '
                     f'fill="{GOOD}"><title>{escape(p.label)}</title></circle>')
    for p in _axis_days(points):
        parts.append(f'<text x="{x(p.day):.1f}" y="{height - 8}" text-anchor="middle" '
                     f'font-size="13" fill="{INK}">{p.day:%d/%m}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _axis_days(points: Sequence[Point], most: int = 6) -> list[Point]:
    """At most `most` date labels, the first and the last always among them."""
    if len(points) <= most:
        return list(points)
    step = (len(points) - 1) / (most - 1)
    return [points[round(i * step)] for i in range(most)]


def stacked_bar(segments: Sequence[tuple[int, str, str]], *, label: str, width: int = 300,
                height: int = 14) -> Markup:
    """One bar, segments (count, colour, words) in order, scaled to their total."""
    total = sum(count for count, _, _ in segments)
    parts = [f'<svg class="level-bar" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(label)}" preserveAspectRatio="none">',
             f'<rect width="{width}" height="{height}" fill="#e5e7eb"/>']
    start = 0.0
    for count, colour, words in segments:
        if not count or not total:
            continue
        size = width * count / total
        parts.append(f'<rect x="{start:.2f}" width="{size:.2f}" height="{height}" '
                     f'fill="{colour}"><title>{escape(words)}</title></rect>')
        start += size
    parts.append("</svg>")
    return Markup("".join(parts))
