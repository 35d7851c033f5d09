"""trong hạn / sắp đến hạn / đến hạn hôm nay / quá hạn, and đúng hạn / quá hạn at submission."""

from datetime import date, timedelta

import pytest

from chidao.domain.calendar import WorkingCalendar
from chidao.domain.status import Status
from chidao.domain.timeliness import Completion, Timeliness, TimelinessJudge, completion
from tests.support.cascade import at

cal = WorkingCalendar()
DUE_ON = date(2026, 3, 19)  # Thursday
DUE_AT = cal.end_of_day(DUE_ON)


@pytest.mark.parametrize(("now", "expected"), [
    ("2026-03-10T09:00", Timeliness.ON_TRACK),
    ("2026-03-16T09:00", Timeliness.DUE_SOON),  # 3 working days before
    ("2026-03-19T07:00", Timeliness.DUE_TODAY),
    ("2026-03-19T23:59", Timeliness.DUE_TODAY),
    ("2026-03-20T00:00", Timeliness.OVERDUE),
])
def test_open_run_timeliness(now: str, expected: Timeliness):
    judge = TimelinessJudge(at(now), cal, 3)
    assert judge.timeliness(Status.RECEIVED, DUE_ON, DUE_AT) is expected


def test_due_soon_counts_working_days_not_calendar_days():
    # Friday 13/02/2026 before Tết: the run due Monday 23/02 is only one working day away.
    judge = TimelinessJudge(at("2026-02-13T09:00"), cal, 3)
    due = date(2026, 2, 23)
    assert judge.timeliness(Status.ISSUED, due, cal.end_of_day(due)) is Timeliness.DUE_SOON


def test_handed_in_runs_have_no_timeliness_but_a_completion():
    judge = TimelinessJudge(at("2026-04-01T09:00"), cal, 3)
    assert judge.timeliness(Status.SUBMITTED, DUE_ON, DUE_AT) is None
    assert completion(DUE_AT - timedelta(seconds=1), DUE_AT) is Completion.ON_TIME
    assert completion(DUE_AT, DUE_AT) is Completion.LATE
    assert completion(None, DUE_AT) is None
