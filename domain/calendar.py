"""Vietnamese working-day calendar: the `holidays` package (lunar Tết, Giỗ Tổ, swap days) under
the days the Government announced (an official layer: a day off or a working Saturday, each with
its source), and for one unit's subtree the days it was closed (storm, flood, epidemic)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class DayRule:
    """What one announced decision says of one day: off (a holiday, a day given in exchange)
    or a working day (ngày làm bù on a Saturday), and the decision it comes from."""

    day: date
    off: bool
    source: str  # "Công văn 12729/VPCP-KGVX ngày 25/12/2025"
    name: str = ""  # "Tết Dương lịch", "làm bù cho ngày 02/01/2026"


class WorkingCalendar:
    """Monday-Friday minus public holidays, plus official working Saturdays (ngày làm bù).
    `official`: announced decisions, which override the package day by day. `closed`: days a
    unit (and its subtree) does not work, with the reason, on top of everything."""

    def __init__(self, tz: ZoneInfo = LOCAL_TZ, official: Iterable[DayRule] = (),
                 closed: Mapping[date, str] | None = None) -> None:
        self.tz = tz
        self._holidays = holidays.country_holidays("VN", language="vi")  # names in Vietnamese
        self.official: Mapping[date, DayRule] = MappingProxyType({r.day: r for r in official})
        self.closed: Mapping[date, str] = MappingProxyType(dict(closed or {}))

    def with_closed(self, days: Mapping[date, str]) -> WorkingCalendar:
        """This calendar for a unit closed on `days` (day -> reason); no days: itself."""
        if not days:
            return self
        other = WorkingCalendar.__new__(WorkingCalendar)
        other.tz, other._holidays, other.official = self.tz, self._holidays, self.official
        other.closed = MappingProxyType({**self.closed, **days})
        return other

    def is_working_day(self, day: date) -> bool:
        if day in self.closed:
            return False
        rule = self.official.get(day)
        if rule is not None:
            return not rule.off
        return bool(self._holidays.is_working_day(day))

    def holiday_name(self, day: date) -> str | None:
        if day in self.closed:
            return self.closed[day]
        rule = self.official.get(day)
        if rule is not None:
            return (rule.name or "ngày nghỉ") if rule.off else None
        name = self._holidays.get(day)
        return str(name) if name else None

    def source_of(self, day: date) -> str:
        """Why `day` is (not) a working day: the closure's reason, the decision, or the
        package ("holidays") for a public holiday or a weekend."""
        if day in self.closed:
            return self.closed[day]
        rule = self.official.get(day)
        return rule.source if rule is not None else "holidays"

    def roll_forward(self, day: date) -> date:
        """`day` if it is a working day, else the next working day (Civil Code 2015 Art. 148)."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after `day` (n > 0), before it (n < 0), or `day` rolled (n == 0)."""
        if n == 0:
            return self.roll_forward(day)
        step = timedelta(days=1 if n > 0 else -1)
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            1 for i in range(1, (end - start).days + 1)
            if self.is_working_day(start + timedelta(days=i))
        )

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()

    def end_of_day(self, day: date) -> datetime:
        """The instant local `day` ends (local midnight after it), as aware UTC."""
        return datetime.combine(day + timedelta(days=1), time(0), self.tz).astimezone(UTC)

    def at_local(self, day: date, clock: time) -> datetime:
        return datetime.combine(day, clock, self.tz).astimezone(UTC)
