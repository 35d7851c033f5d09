"""Turn a requirement's `due` into (period, due date) pairs on the working-day calendar."""

from __future__ import annotations

import calendar as month_calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from .calendar import WorkingCalendar
from .errors import InvalidInput
from .specs import DueSpec

_PERIOD_MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}


@dataclass(frozen=True)
class DueContext:
    issued_on: date
    school_year: str
    school_year_end: tuple[int, int] = (5, 31)  # (month, day) of the end year
    # requirement key -> period -> the issuer's own due date under the directives it cites
    parent_dues: Mapping[str, Mapping[str, date]] = field(default_factory=dict)


def resolve_due(
    due: DueSpec, ctx: DueContext, cal: WorkingCalendar, *, field_name: str = "due"
) -> list[tuple[str, date]]:
    """(period, due date) pairs; "" is the period of a one-off requirement.

    A date that is not a working day rolls to the next working day (Civil Code Art. 148).
    A deadline before the issue date is rejected.
    """
    raw = _raw_dues(due, ctx, cal, field_name)
    for period, day in raw:
        if day < ctx.issued_on:
            label = f" (period {period})" if period else ""
            raise InvalidInput(
                field_name,
                f"deadline {day:%d/%m/%Y}{label} is before the issue date"
                f" {ctx.issued_on:%d/%m/%Y}",
            )
    return [(period, cal.roll_forward(day)) for period, day in raw]


def _raw_dues(
    due: DueSpec, ctx: DueContext, cal: WorkingCalendar, field_name: str
) -> list[tuple[str, date]]:
    if due.date is not None:
        return [("", due.date)]
    if due.working_days_after_issue is not None:
        return [("", cal.add_working_days(ctx.issued_on, due.working_days_after_issue))]
    if due.end_of_school_year:
        month, day = ctx.school_year_end
        return [("", date(int(ctx.school_year[-4:]), month, day))]
    if due.before_parent is not None:
        parent = ctx.parent_dues.get(due.before_parent)
        if not parent:
            raise InvalidInput(
                f"{field_name}.before_parent",
                f"the issuer has no assignment for requirement '{due.before_parent}'"
                " in the directives this one cites (based_on)",
            )
        return [
            (period, cal.add_working_days(day, -due.working_days))
            for period, day in sorted(parent.items())
        ]
    if due.periods is not None:
        return [(p.period, p.date) for p in due.periods]
    if due.preset is not None:
        periods = preset_periods(due.preset, due.after_cutoff, ctx, cal)
        if not periods:
            raise InvalidInput(f"{field_name}.preset", f"every period of '{due.preset}' is"
                               f" already past on {ctx.issued_on:%d/%m/%Y}")
        return periods
    assert due.every is not None and due.from_ is not None and due.to is not None
    return recurring_periods(due.every, due.from_, due.to, due.day, due.months_after)


def recurring_periods(
    every: str, first: str, last: str, day: int | None, months_after: int
) -> list[tuple[str, date]]:
    """Calendar-aligned periods covering months first..last (YYYY-MM); each period is due on
    `day` (default: the last day) of its last month, shifted by `months_after` months."""
    size = _PERIOD_MONTHS[every]
    y, m = int(first[:4]), int(first[5:])
    end = int(last[:4]) * 12 + int(last[5:]) - 1
    result: list[tuple[str, date]] = []
    seen: set[str] = set()
    index = y * 12 + m - 1
    while index <= end:
        year, month0 = divmod(index, 12)
        start0 = month0 - month0 % size
        label = _label(every, year, start0, size)
        if label not in seen:
            seen.add(label)
            due_year, due_month0 = divmod(year * 12 + start0 + size - 1 + months_after, 12)
            last_day = month_calendar.monthrange(due_year, due_month0 + 1)[1]
            result.append((label, date(due_year, due_month0 + 1, min(day or last_day, last_day))))
        index += 1
    return result


def preset_periods(
    name: str, after_cutoff: int, ctx: DueContext, cal: WorkingCalendar
) -> list[tuple[str, date]]:
    """Named reporting calendars. NĐ 09/2019: six-month data 15/12-14/06 and 15/06-14/12,
    annual 15/12-14/12, due `after_cutoff` (≥ 1) working days after the cut-off, for the
    calendar year of the issue date. Education statistics: data as of 30/9 due 31/10; year-end
    summary due 30/6; "02 lần/năm": semester I due 15/01, whole year due 31/05. Periods whose
    deadline has already passed at issue are left out."""
    start = int(ctx.school_year[:4])
    year = ctx.issued_on.year
    if name == "nd09_six_month":
        cutoffs = [(f"{year}-H1", date(year, 6, 14)), (f"{year}-H2", date(year, 12, 14))]
    elif name == "nd09_annual":
        cutoffs = [(str(year), date(year, 12, 14))]
    else:
        fixed = {
            "edu_statistics": [(f"{start}-09-30", date(start, 10, 31))],
            "edu_year_end": [(f"{start}-{start + 1}", date(start + 1, 6, 30))],
            "twice_a_year": [("HK1", date(start + 1, 1, 15)), ("CN", date(start + 1, 5, 31))],
        }[name]
        return [(p, d) for p, d in fixed if d >= ctx.issued_on]
    dues = [(p, cal.add_working_days(c, max(after_cutoff, 1))) for p, c in cutoffs]
    return [(p, d) for p, d in dues if d >= ctx.issued_on]


def _label(every: str, year: int, start0: int, size: int) -> str:
    if every == "month":
        return f"{year}-{start0 + 1:02d}"
    if every == "quarter":
        return f"{year}-Q{start0 // size + 1}"
    if every == "half_year":
        return f"{year}-H{start0 // size + 1}"
    return str(year)
