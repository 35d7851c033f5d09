"""The lines `chidao status` prints, made one at a time from the rows of
chidao.queries.status_summary: plain text (what units typed is printed as typed), or JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..domain.calendar import LOCAL_TZ
from ..domain.directives import DOC_TYPE_LABELS, Directive, DocType
from ..queries.cascade_counts import RunCounts
from ..queries.status_summary import LateUnit, LevelCounts, NodeRow, RunRow, StatusFocus

COLUMNS = (("Đơn vị", "units"), ("Nhiệm vụ", "assigned"), ("Đã tiếp nhận", "received"),
           ("Đã nộp", "handed_in"), ("Đã hoàn thành", "accepted"), ("Trễ hạn", "late"),
           ("Đơn vị trễ hạn", "late_units"))


@dataclass(frozen=True)
class Heading:
    directive: Directive
    issuer_name: str
    focus: StatusFocus
    as_of: datetime

    def lines(self) -> list[str]:
        d, focus = self.directive, self.focus
        plans = len(focus.directive_ids) - 1
        family = f" · cùng {plans} kế hoạch triển khai" if plans else ""
        return [f"{DOC_TYPE_LABELS[DocType(d.doc_type)]} {d.number_symbol} ngày"
                f" {d.issued_on:%d/%m/%Y} — {self.issuer_name}: {d.title}",
                f"Tính đến {self.as_of.astimezone(LOCAL_TZ):%d/%m/%Y %H:%M}{family} · đơn vị:"
                f" {focus.name} ({focus.code})"]

    def as_json(self) -> dict[str, Any]:
        d = self.directive
        return {"directive": {"id": d.id, "key": d.key, "number_symbol": d.number_symbol,
                              "title": d.title, "issued_on": d.issued_on.isoformat(),
                              "issuer": self.issuer_name},
                "directives": len(self.focus.directive_ids), "as_of": self.as_of.isoformat(),
                "focus": self.focus.as_json()}


def summary_lines(head: Heading, levels: list[LevelCounts]) -> Iterator[str]:
    """The heading, then a table: one row per level below the focus, and the total."""
    total = sum((lv.counts for lv in levels), RunCounts())
    rows = [[str(lv.level), ", ".join(lv.kinds), *_numbers(lv.counts)] for lv in levels]
    rows.append(["", "Cộng", *_numbers(total)])
    header = ["Cấp", "Loại đơn vị", *(title for title, _ in COLUMNS)]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    yield from head.lines()
    yield ""
    for row in [header, *rows]:
        cells = [row[0].rjust(widths[0]), row[1].ljust(widths[1]),
                 *(cell.rjust(width) for cell, width in zip(row[2:], widths[2:], strict=True))]
        yield "  ".join(cells).rstrip()
    if not levels:
        yield "(chưa có nhiệm vụ nào)"


def _numbers(counts: RunCounts) -> list[str]:
    return [str(getattr(counts, name)) for _, name in COLUMNS]


def summary_json(head: Heading, levels: list[LevelCounts]) -> Iterator[str]:
    total = sum((lv.counts for lv in levels), RunCounts())
    yield json.dumps(head.as_json() | {"total": total.as_json(),
                                       "levels": [lv.as_json() for lv in levels]},
                     ensure_ascii=False, indent=2)


def counts_text(counts: RunCounts) -> str:
    parts = [f"{counts.assigned} nhiệm vụ", f"{counts.handed_in} đã nộp"]
    if counts.late:
        parts.append(f"{counts.late} trễ hạn ({counts.late_units} đơn vị)")
    return " · ".join(parts)


def tree_lines(head: Heading, rows: Iterable[NodeRow | RunRow]) -> Iterator[str]:
    """An outline, two spaces a level: each unit with its subtree's counts, its runs below."""
    yield from head.lines()
    yield ""
    for row in rows:
        if isinstance(row, NodeRow):
            yield (f"{'  ' * row.level}{row.code} · {row.name} ({row.kind}) —"
                   f" {counts_text(row.counts)}")
        else:
            period = f" kỳ {row.period}" if row.period else ""
            state = row.status.label + (" · trễ hạn" if row.late else "")
            yield (f"{'  ' * (row.level + 1)}#{row.id} {row.number_symbol}"
                   f" {row.kind.label}{period}: {row.requirement} · hạn"
                   f" {row.due_on:%d/%m/%Y} · {state}")


def late_lines(head: Heading, rows: Iterable[LateUnit]) -> Iterator[str]:
    """The late units, the longest late first: deadline, days and working days late, how
    many runs are late, code and name."""
    yield from head.lines()
    yield ""
    yield f"{'Hạn':10}  {'Trễ ngày':>8}  {'Ngày làm việc':>13}  {'Việc trễ':>8}  Mã · Đơn vị"
    count = 0
    for row in rows:
        count += 1
        yield (f"{row.deadline:%d/%m/%Y}  {row.days_late:>8}  {row.working_days_late:>13}"
               f"  {row.late_runs:>8}  {row.code} · {row.name}")
    yield f"{count} đơn vị trễ hạn"


def json_array(rows: Iterable[NodeRow | RunRow | LateUnit]) -> Iterator[str]:
    """A JSON array, one element a line, written as the rows come."""
    first = True
    for row in rows:
        yield ("[" if first else ",") + json.dumps(row.as_json(), ensure_ascii=False)
        first = False
    yield "[]" if first else "]"
