"""Turn a requirement's `due` into (period, due date) pairs on the working-day calendar."""

from __future__ import annotations

import calendar as month_calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from .calendar import WorkingCalendar
from .errors import InvalidInput
from .report_periods import LEVELLED_PRESETS, ND09_PRESETS, levelled_periods, nd09_periods
from .specs import DueSpec
from .units import UnitKind

UNIT_KINDS = frozenset(k.value for k in UnitKind)

_PERIOD_MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}


@dataclass(frozen=True)
class DueContext:
    issued_on: date
    school_year: str
    # The day the school year ends (kết thúc năm học, the Ministry's khung kế hoạch thời gian
    # năm học: 31/05), (month, day) of its second year: the `end_of_school_year` deadline for
    # actions. The year-end summary REPORT (báo cáo tổng kết năm học) is the edu_year_end
    # preset, due at the Ministry on 30/06.
    school_year_end: tuple[int, int] = (5, 31)
    # requirement key -> period -> the issuer's own due date under the directives it cites
    parent_dues: Mapping[str, Mapping[str, date]] = field(default_factory=dict)


def resolve_due(
    due: DueSpec, ctx: DueContext, cal: WorkingCalendar, *, field_name: str = "due",
    receiver_kind: str | None = None,
) -> list[tuple[str, date]]:
    """(period, due date) pairs; "" is the period of a one-off requirement.

    A date that is not a working day rolls to the next working day (Civil Code Art. 148),
    except a level's deadline under the education statistics regime, which must come before
    the level above it and is counted backwards (see report_periods). `receiver_kind` is the
    receiving unit's kind (UnitKind value); None: no level-dependent deadline (the Ministry's
    date for a levelled preset). A deadline the unit gets before the issue date is rejected:
    the ROLLED date is compared, so 31/10/2026 (a Saturday) due 02/11 may be issued on 02/11.
    """
    raw = _raw_dues(due, ctx, cal, field_name, receiver_kind)
    rolled = [(period, cal.roll_forward(day)) for period, day in raw]
    for (period, written), (_, day) in zip(raw, rolled, strict=True):
        if day < ctx.issued_on:
            label = f" (period {period})" if period else ""
            moved = f", the next working day after {written:%d/%m/%Y}" if day != written else ""
            raise InvalidInput(
                field_name,
                f"deadline {day:%d/%m/%Y}{label}{moved} is before the issue date"
                f" {ctx.issued_on:%d/%m/%Y}",
            )
    return rolled


def is_level_dependent(due: DueSpec) -> bool:
    """Whether the deadline depends on the receiving unit's kind (resolve per kind)."""
    return due.preset in LEVELLED_PRESETS


def _raw_dues(
    due: DueSpec, ctx: DueContext, cal: WorkingCalendar, field_name: str,
    receiver_kind: str | None,
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
        return _preset_dues(due, ctx, cal, f"{field_name}.preset", receiver_kind)
    assert due.every is not None and due.from_ is not None and due.to is not None
    return recurring_periods(due.every, due.from_, due.to, due.day, due.months_after)


def recurring_periods(
    every: str, first: str, last: str, day: int | None, months_after: int
) -> list[tuple[str, date]]:
    """Calendar-aligned periods covering months first..last (YYYY-MM); each period is due on
    `day` (default: the last day) of its last month, shifted by `months_after` months.

    The form for a directive that names its own dates ("trước ngày 25 hằng tháng"): calendar
    months, quarters, halves and years (data 01–end of month). For the periodic reports of
    NĐ 09/2019 Điều 12 (data 15th of the previous month – 14th) use the nd09_* presets."""
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
    name: str, after_cutoff: int, ctx: DueContext, cal: WorkingCalendar,
    receiver_kind: str | None = None,
) -> list[tuple[str, date]]:
    """Named reporting calendars (see report_periods): NĐ 09/2019 Điều 12 monthly, quarterly,
    six-month and annual periods of the reporting year containing the issue date, due
    `after_cutoff` (≥ 1) working days after the cut-off; the education statistics cycle
    (`edu_statistics`, old name `twice_a_year`: data as of 30/09 and 31/05, due at the Ministry
    31/10 and 30/06) and the year-end summary (`edu_year_end`, báo cáo tổng kết năm học, due at
    the Ministry 30/06) of the directive's school year, with this level's lead time. Periods
    whose deadline is already past at issue are left out."""
    if name in ND09_PRESETS:
        return nd09_periods(name, after_cutoff, ctx.issued_on, cal)
    return levelled_periods(name, ctx.school_year, ctx.issued_on, cal, receiver_kind)


def _preset_dues(due: DueSpec, ctx: DueContext, cal: WorkingCalendar, field: str,
                 receiver_kind: str | None) -> list[tuple[str, date]]:
    assert due.preset is not None
    if receiver_kind is not None and receiver_kind not in UNIT_KINDS:
        raise InvalidInput(field, f"'{receiver_kind}' is not a unit kind")
    periods = preset_periods(due.preset, due.after_cutoff, ctx, cal, receiver_kind)
    if not periods:
        level = f" for the level '{UnitKind(receiver_kind).label}'" if (
            receiver_kind is not None and due.preset in LEVELLED_PRESETS) else ""
        raise InvalidInput(field, f"every period of '{due.preset}' is already past{level}"
                                  f" on {ctx.issued_on:%d/%m/%Y}")
    return periods


def _label(every: str, year: int, start0: int, size: int) -> str:
    if every == "month":
        return f"{year}-{start0 + 1:02d}"
    if every == "quarter":
        return f"{year}-Q{start0 // size + 1}"
    if every == "half_year":
        return f"{year}-H{start0 // size + 1}"
    return str(year)
