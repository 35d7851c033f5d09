"""The inbox's deadline in words, counted on the Vietnamese working-day calendar: weekends,
Tết and the 30/4-1/5 holidays are not counted."""

from datetime import date

import pytest

from chidao.domain.calendar import WorkingCalendar
from chidao.domain.deadline_words import deadline_words
from tests.support.cascade import at

cal = WorkingCalendar()


@pytest.mark.parametrize(("now", "due_on", "expected"), [
    ("2026-03-25T09:00", date(2026, 3, 27), "còn 2 ngày làm việc"),  # Wed -> Fri
    ("2026-03-27T09:00", date(2026, 3, 30), "còn 1 ngày làm việc"),  # Fri -> Mon: weekend
    ("2026-03-25T09:00", date(2026, 3, 25), "hạn hôm nay"),
    ("2026-03-25T23:59", date(2026, 3, 25), "hạn hôm nay"),
    ("2026-03-26T00:00", date(2026, 3, 25), "quá hạn 1 ngày làm việc"),  # local midnight
    ("2026-03-30T09:00", date(2026, 3, 25), "quá hạn 3 ngày làm việc"),  # Thu, Fri, Mon
    ("2026-03-28T09:00", date(2026, 3, 27), "đã quá hạn"),  # Saturday after a Friday deadline
    ("2026-03-27T09:00", date(2026, 3, 28), "hạn 28/03 (ngày nghỉ)"),  # a Saturday deadline
    # Tết 2026 (16-20/02) and its weekends: Friday 13/02 to Monday 23/02 is one working day.
    ("2026-02-13T09:00", date(2026, 2, 23), "còn 1 ngày làm việc"),
    ("2026-02-23T09:00", date(2026, 2, 12), "quá hạn 2 ngày làm việc"),  # Fri 13, Mon 23
    # 30/4 and 1/5/2026 are off: Wednesday 29/04 to Monday 04/05 is one working day.
    ("2026-04-29T09:00", date(2026, 5, 4), "còn 1 ngày làm việc"),
])
def test_deadline_in_working_days(now: str, due_on: date, expected: str):
    assert deadline_words(at(now), due_on, cal) == expected


def test_a_deadline_at_an_hour_of_the_day_is_late_from_that_hour():
    due_on = date(2026, 3, 25)
    five_pm = at("2026-03-25T17:00")
    assert deadline_words(at("2026-03-25T16:59"), due_on, cal, five_pm) == "hạn hôm nay"
    assert deadline_words(at("2026-03-25T17:00"), due_on, cal, five_pm) == "đã quá hạn"
    end_of_day = cal.end_of_day(due_on)
    assert deadline_words(at("2026-03-25T17:00"), due_on, cal, end_of_day) == "hạn hôm nay"
