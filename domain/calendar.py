"""Vietnamese working-day calendar (holidays package: lunar Tết, Giỗ Tổ, swap days)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class WorkingCalendar:
    """Monday-Friday minus public holidays, plus official working Saturdays (ngày làm bù)."""

    def __init__(self, tz: ZoneInfo = LOCAL_TZ) -> None:
        self.tz = tz
        self._holidays = holidays.country_holidays("VN")

    def is_working_day(self, day: date) -> bool:
        return bool(self._holidays.is_working_day(day))

    def holiday_name(self, day: date) -> str | None:
        name = self._holidays.get(day)
        return str(name) if name else None

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


@lru_cache(maxsize=1)
def vietnam_calendar() -> WorkingCalendar:
    return WorkingCalendar()
