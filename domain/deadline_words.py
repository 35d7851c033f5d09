"""A deadline in words, counted in Vietnamese working days ("còn 2 ngày làm việc", "hạn hôm nay",
"quá hạn 3 ngày làm việc"): what a unit's inbox says beside each open task."""

from __future__ import annotations

from datetime import date, datetime

from .calendar import WorkingCalendar


def deadline_words(now: datetime, due_on: date, calendar: WorkingCalendar,
                   due_at: datetime | None = None) -> str:
    """Where a deadline stands at `now` (aware), in words. `due_at` is the instant the run
    becomes late (default: the end of the local day `due_on`)."""
    today = calendar.local_date(now)
    late_from = due_at if due_at is not None else calendar.end_of_day(due_on)
    if now >= late_from or due_on < today:
        late = calendar.working_days_between(due_on, today)
        return f"quá hạn {late} ngày làm việc" if late > 0 else "đã quá hạn"
    if due_on == today:
        return "hạn hôm nay"
    left = calendar.working_days_between(today, due_on)
    if left == 0:  # due on a day off before the next working day
        return f"hạn {due_on:%d/%m} (ngày nghỉ)"
    return f"còn {left} ngày làm việc"
