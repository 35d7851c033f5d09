"""Named reporting calendars (`due: {preset: ...}`): the periodic reports of Nghị định
09/2019/NĐ-CP and the education statistics regime, each period with its deadline.

NĐ 09/2019/NĐ-CP, Điều 12 (thời gian chốt số liệu báo cáo định kỳ):
- monthly: from the 15th of the previous month to the 14th of the month of the period;
- quarterly: from the 15th of the month before the quarter to the 14th of its last month
  (Q1 = 15/12 of the year before – 14/03);
- six-month: 15/12 of the year before – 14/06, and 15/06 – 14/12;
- annual: 15/12 of the year before – 14/12.
A report is due `after_cutoff` working days (at least one: the data must exist before it is
sent) after the cut-off day. The directive gets the periods of the REPORTING YEAR (15/12 of
the year before to 14/12) that contains its issue date, less those whose deadline is already
past: issued on 16/12/2026 it gets 2027's periods.

The education statistics regime (chế độ báo cáo thống kê ngành giáo dục, Thông tư
25/2024/TT-BGDĐT, Phụ lục I, in force from 09/02/2025; NĐ 09 Điều 1 khoản 2 leaves statistical
reports to the statistics law): the Sở reports data as of 30/09 (kỳ đầu năm học), received by
the Ministry on 31/10, and data as of 31/05 (kỳ cuối năm học) on 30/06; the year-end summary
(báo cáo tổng kết năm học, data as of the end of the school year) goes with the second. Each
level's deadline comes before the level above it: LEAD_WORKING_DAYS below, counted BACKWARDS
from the Ministry's date on the working-day calendar (a Ministry date on a Saturday gives the
Sở the Friday before).
"""

from __future__ import annotations

from datetime import date

from .calendar import WorkingCalendar
from .units import UnitKind

# Working days before the Ministry's date that a unit of each kind must report by, so a
# school (10) reports before its commune or Phòng (5), which reports before the Sở (0, the
# last working day on or before the Ministry's date). Teams (bộ phận) inside a school: 15.
LEAD_WORKING_DAYS: dict[UnitKind, int] = {
    UnitKind.MINISTRY: 0,
    UnitKind.DEPARTMENT: 0,
    UnitKind.PEOPLE_COMMITTEE: 5,
    UnitKind.OFFICE: 5,
    UnitKind.SCHOOL: 10,
    UnitKind.INDEPENDENT_CLASS: 10,
    UnitKind.TEAM: 15,
}

ND09_PRESETS = ("nd09_monthly", "nd09_quarterly", "nd09_six_month", "nd09_annual")
# Presets whose deadline depends on the receiving unit's kind (its level).
LEVELLED_PRESETS = ("edu_statistics", "edu_year_end", "twice_a_year")
# Old name: "02 lần/năm cùng các biểu mẫu báo cáo thống kê" is the statistics cycle.
PRESET_ALIASES = {"twice_a_year": "edu_statistics"}


def reporting_year(issued_on: date) -> int:
    """The NĐ 09 reporting year containing `issued_on`: 15/12 of year-1 to 14/12 of year."""
    return issued_on.year + 1 if issued_on > date(issued_on.year, 12, 14) else issued_on.year


def nd09_cutoffs(name: str, year: int) -> list[tuple[str, date]]:
    """(period label, cut-off day) of reporting year `year` (NĐ 09/2019 Điều 12)."""
    if name == "nd09_monthly":
        return [(f"{year}-{m:02d}", date(year, m, 14)) for m in range(1, 13)]
    if name == "nd09_quarterly":
        return [(f"{year}-Q{q}", date(year, 3 * q, 14)) for q in range(1, 5)]
    if name == "nd09_six_month":
        return [(f"{year}-H1", date(year, 6, 14)), (f"{year}-H2", date(year, 12, 14))]
    if name == "nd09_annual":
        return [(str(year), date(year, 12, 14))]
    raise ValueError(f"not an NĐ 09 preset: {name}")


def nd09_periods(name: str, after_cutoff: int, issued_on: date,
                 cal: WorkingCalendar) -> list[tuple[str, date]]:
    """The periods of the reporting year containing `issued_on`, each due `after_cutoff`
    (at least 1) working days after its cut-off; those already past are left out."""
    cutoffs = nd09_cutoffs(name, reporting_year(issued_on))
    dues = [(p, cal.add_working_days(c, max(after_cutoff, 1))) for p, c in cutoffs]
    return [(p, d) for p, d in dues if d >= issued_on]


def ministry_dates(name: str, school_year: str) -> list[tuple[str, date]]:
    """(period label, the Ministry's date) of the school year "2026-2027"."""
    start = int(school_year[:4])
    name = PRESET_ALIASES.get(name, name)
    if name == "edu_statistics":
        return [(f"{start}-09-30", date(start, 10, 31)),
                (f"{start + 1}-05-31", date(start + 1, 6, 30))]
    if name == "edu_year_end":  # one report of the directive's school year: a one-off run
        return [("", date(start + 1, 6, 30))]
    raise ValueError(f"not an education statistics preset: {name}")


def lead_working_days(receiver_kind: str | None) -> int:
    """How many working days before the Ministry's date a unit of this kind reports; None
    (no level given) is the Ministry's own date."""
    if receiver_kind is None:
        return 0
    return LEAD_WORKING_DAYS[UnitKind(receiver_kind)]


def level_due(ministry_date: date, receiver_kind: str | None, cal: WorkingCalendar) -> date:
    """The receiving level's deadline: the last working day on or before the Ministry's
    date, then its lead time in working days counted backwards."""
    day = ministry_date
    while not cal.is_working_day(day):
        day = date.fromordinal(day.toordinal() - 1)
    return cal.add_working_days(day, -lead_working_days(receiver_kind))


def levelled_periods(name: str, school_year: str, issued_on: date, cal: WorkingCalendar,
                     receiver_kind: str | None) -> list[tuple[str, date]]:
    """The school year's periods with this level's deadline; those already past for this
    level at issue are left out."""
    dues = [(p, level_due(d, receiver_kind, cal)) for p, d in ministry_dates(name, school_year)]
    return [(p, d) for p, d in dues if d >= issued_on]
