"""Deadlines a plan hands down: the unit's own due minus N working days, never before the next
working day after the plan's date (shortened, with a warning), and none earlier at all when
the unit's own due is on or before the plan's date (a warning)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .calendar import WorkingCalendar


@dataclass
class Deadlines:
    """Child deadlines under one plan, and the warnings they raise."""

    calendar: WorkingCalendar
    plan_on: date
    days_before: int
    warnings: list[str] = field(default_factory=list)
    _seen: dict[tuple[date, str, int], date | None] = field(default_factory=dict)

    def before(self, due: date, title: str, days: int | None = None) -> date | None:
        """`days` (default days_before) working days before `due`, within the plan's reach;
        each (due, title, days) computed and warned about once."""
        days = self.days_before if days is None else days
        if (due, title, days) not in self._seen:
            self._seen[due, title, days] = self._before(due, title, days)
        return self._seen[due, title, days]

    def _before(self, due: date, title: str, days: int) -> date | None:
        if due <= self.plan_on:
            self.warnings.append(
                f"Thời hạn {due:%d/%m/%Y} của nhiệm vụ \"{title}\" không sau ngày kế hoạch "
                f"({self.plan_on:%d/%m/%Y}): không đặt thời hạn sớm hơn cho đơn vị cấp dưới.")
            return None
        earliest = self.calendar.add_working_days(self.plan_on, 1)
        wanted = self.calendar.add_working_days(due, -days)
        if wanted >= earliest:
            return wanted
        self.warnings.append(
            f"Thời hạn cho đơn vị cấp dưới bị rút ngắn: \"{title}\" hoàn thành trước "
            f"{earliest:%d/%m/%Y} (ngày làm việc đầu tiên sau kế hoạch), chỉ "
            f"{self.calendar.working_days_between(earliest, due)} ngày làm việc trước hạn "
            f"{due:%d/%m/%Y} thay vì {days}.")
        return earliest
