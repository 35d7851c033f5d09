"""Timeliness (trong hạn / sắp đến hạn / đến hạn hôm nay / quá hạn) and completion, from `now`."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from .calendar import WorkingCalendar
from .status import Status


class Timeliness(StrEnum):
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return {
            "on_track": "trong hạn", "due_soon": "sắp đến hạn",
            "due_today": "đến hạn hôm nay", "overdue": "quá hạn",
        }[self]


class Completion(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"

    @property
    def label(self) -> str:
        return "hoàn thành đúng hạn" if self is Completion.ON_TIME else "hoàn thành quá hạn"


class TimelinessJudge:
    """Judges many runs against one `now`; the calendar walk is done once, not per run."""

    def __init__(self, now: datetime, calendar: WorkingCalendar, soon_working_days: int) -> None:
        self.now = now
        self.today = calendar.local_date(now)
        self.soon_until = calendar.add_working_days(self.today, soon_working_days)

    def timeliness(self, status: Status, due_on: date, due_at: datetime) -> Timeliness | None:
        """None once the unit has handed in or the run is closed."""
        if not status.awaits_unit:
            return None
        if self.now >= due_at:
            return Timeliness.OVERDUE
        if due_on <= self.today:
            return Timeliness.DUE_TODAY
        if due_on <= self.soon_until:
            return Timeliness.DUE_SOON
        return Timeliness.ON_TRACK


def completion(submitted_at: datetime | None, due_at: datetime) -> Completion | None:
    """Judged at (first) submission time; None until something was submitted."""
    if submitted_at is None:
        return None
    return Completion.ON_TIME if submitted_at < due_at else Completion.LATE
