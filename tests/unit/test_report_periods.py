"""Named reporting calendars: every preset at every level, with the expected deadlines written
by hand from NĐ 09/2019 Điều 12 and the education statistics regime (not computed by the code
under test). The calendar is the `holidays` package as shipped: the dates below avoid the Tết
Dương lịch 2026 swap (02/01/2026 off, 10/01/2026 a working day); the 2026 Tết (16–20/02/2026)
and the package's 24/11 matter only where noted.

Weekdays used: 14/12/2026 Mon, 16/12/2026 Wed, 31/10/2026 Sat, 30/10/2026 Fri, 02/11/2026 Mon,
30/06/2026 Tue, 30/06/2027 Wed."""

from datetime import date

import pytest

from chidao.domain.calendar import WorkingCalendar
from chidao.domain.deadlines import DueContext, resolve_due
from chidao.domain.errors import InvalidInput
from chidao.domain.specs import DueSpec

cal = WorkingCalendar()
D = date

# NĐ 09 cut-offs are the 14th; due one working day after (after_cutoff default 1).
MONTHLY_2027 = [  # reporting year 2027: 2027-01 is 15/12/2026 – 14/01/2027
    ("2027-01", D(2027, 1, 15)),   # 14/01 Thu -> Fri 15/01
    ("2027-02", D(2027, 2, 15)),   # 14/02 Sun -> Mon 15/02 (Tết 2027 is 04–10/02)
    ("2027-03", D(2027, 3, 15)),   # 14/03 Sun -> Mon 15/03
    ("2027-04", D(2027, 4, 15)),   # 14/04 Wed -> Thu
    ("2027-05", D(2027, 5, 17)),   # 14/05 Fri -> Mon 17/05
    ("2027-06", D(2027, 6, 15)),   # 14/06 Mon -> Tue
    ("2027-07", D(2027, 7, 15)),   # 14/07 Wed -> Thu
    ("2027-08", D(2027, 8, 16)),   # 14/08 Sat -> Mon 16/08
    ("2027-09", D(2027, 9, 15)),   # 14/09 Tue -> Wed
    ("2027-10", D(2027, 10, 15)),  # 14/10 Thu -> Fri
    ("2027-11", D(2027, 11, 15)),  # 14/11 Sun -> Mon 15/11
    ("2027-12", D(2027, 12, 15)),  # 14/12 Tue -> Wed
]
MONTHLY_2026_FROM_MARCH = [
    ("2026-03", D(2026, 3, 16)),   # 14/03 Sat -> Mon 16/03
    ("2026-04", D(2026, 4, 15)),   # 14/04 Tue -> Wed
    ("2026-05", D(2026, 5, 15)),   # 14/05 Thu -> Fri
    ("2026-06", D(2026, 6, 15)),   # 14/06 Sun -> Mon
    ("2026-07", D(2026, 7, 15)),   # 14/07 Tue -> Wed
    ("2026-08", D(2026, 8, 17)),   # 14/08 Fri -> Mon 17/08
    ("2026-09", D(2026, 9, 15)),   # 14/09 Mon -> Tue
    ("2026-10", D(2026, 10, 15)),  # 14/10 Wed -> Thu
    ("2026-11", D(2026, 11, 16)),  # 14/11 Sat -> Mon 16/11
    ("2026-12", D(2026, 12, 15)),  # 14/12 Mon -> Tue
]

ND09_CASES = [
    # issued 26/02/2026: 2026-02 (14/02 Sat, Tết 16–20/02 -> due 23/02) is already past
    ("nd09_monthly", D(2026, 2, 26), MONTHLY_2026_FROM_MARCH),
    ("nd09_quarterly", D(2026, 2, 26), [
        ("2026-Q1", D(2026, 3, 16)), ("2026-Q2", D(2026, 6, 15)),
        ("2026-Q3", D(2026, 9, 15)), ("2026-Q4", D(2026, 12, 15))]),
    ("nd09_six_month", D(2026, 2, 26), [("2026-H1", D(2026, 6, 15)),
                                        ("2026-H2", D(2026, 12, 15))]),
    ("nd09_annual", D(2026, 2, 26), [("2026", D(2026, 12, 15))]),
    # issued on the last cut-off day: the period it closes is still to come
    ("nd09_monthly", D(2026, 12, 14), [("2026-12", D(2026, 12, 15))]),
    ("nd09_quarterly", D(2026, 12, 14), [("2026-Q4", D(2026, 12, 15))]),
    ("nd09_six_month", D(2026, 12, 14), [("2026-H2", D(2026, 12, 15))]),
    ("nd09_annual", D(2026, 12, 14), [("2026", D(2026, 12, 15))]),
    # issued 16/12/2026: reporting year 2027 (15/12/2026 – 14/12/2027), not refused
    ("nd09_monthly", D(2026, 12, 16), MONTHLY_2027),
    ("nd09_quarterly", D(2026, 12, 16), [
        ("2027-Q1", D(2027, 3, 15)), ("2027-Q2", D(2027, 6, 15)),
        ("2027-Q3", D(2027, 9, 15)), ("2027-Q4", D(2027, 12, 15))]),
    ("nd09_six_month", D(2026, 12, 16), [("2027-H1", D(2027, 6, 15)),
                                         ("2027-H2", D(2027, 12, 15))]),
    ("nd09_annual", D(2026, 12, 16), [("2027", D(2027, 12, 15))]),
]


@pytest.mark.parametrize(("preset", "issued_on", "expected"), ND09_CASES,
                         ids=[f"{p}-{i:%d%m%Y}" for p, i, _ in ND09_CASES])
@pytest.mark.parametrize("kind", [None, "department", "people_committee", "school", "team"])
def test_nd09_periods_are_the_same_at_every_level(preset, issued_on, expected, kind):
    ctx = DueContext(issued_on=issued_on, school_year="2025-2026")
    got = resolve_due(DueSpec.model_validate({"preset": preset}), ctx, cal, receiver_kind=kind)
    assert got == expected


def test_more_working_days_after_the_cut_off_and_never_none():
    ctx = DueContext(issued_on=D(2026, 2, 26), school_year="2025-2026")
    five = DueSpec.model_validate({"preset": "nd09_annual", "after_cutoff": 5})
    zero = DueSpec.model_validate({"preset": "nd09_annual", "after_cutoff": 0})
    assert resolve_due(five, ctx, cal) == [("2026", D(2026, 12, 21))]  # 15,16,17,18,21/12
    assert resolve_due(zero, ctx, cal) == [("2026", D(2026, 12, 15))]  # at least one day


# The statistics cycle of school year 2026-2027: data as of 30/09/2026, the Ministry's date
# 31/10/2026 (Sat -> Fri 30/10, counted back); data as of 31/05/2027, the Ministry's 30/06/2027.
AUTUMN_2026 = {"department": D(2026, 10, 30), "office": D(2026, 10, 23),
               "people_committee": D(2026, 10, 23), "school": D(2026, 10, 16),
               "independent_class": D(2026, 10, 16), "team": D(2026, 10, 9),
               "ministry": D(2026, 10, 30), None: D(2026, 10, 30)}
SPRING_2027 = {"department": D(2027, 6, 30), "office": D(2027, 6, 23),
               "people_committee": D(2027, 6, 23), "school": D(2027, 6, 16),
               "independent_class": D(2027, 6, 16), "team": D(2027, 6, 9),
               "ministry": D(2027, 6, 30), None: D(2027, 6, 30)}
SPRING_2026 = {"department": D(2026, 6, 30), "office": D(2026, 6, 23),
               "people_committee": D(2026, 6, 23), "school": D(2026, 6, 16),
               "independent_class": D(2026, 6, 16), "team": D(2026, 6, 9),
               "ministry": D(2026, 6, 30), None: D(2026, 6, 30)}
KINDS = list(AUTUMN_2026)


def _edu(preset: str, issued_on: date, school_year: str, kind: str | None):
    ctx = DueContext(issued_on=issued_on, school_year=school_year)
    return resolve_due(DueSpec.model_validate({"preset": preset}), ctx, cal, receiver_kind=kind)


@pytest.mark.parametrize("preset", ["edu_statistics", "twice_a_year"])
@pytest.mark.parametrize("kind", KINDS)
def test_statistics_cycle_each_level_before_the_one_above(preset, kind):
    assert _edu(preset, D(2026, 9, 7), "2026-2027", kind) == [
        ("2026-09-30", AUTUMN_2026[kind]), ("2027-05-31", SPRING_2027[kind])]


@pytest.mark.parametrize("kind", KINDS)
def test_issued_on_the_monday_after_a_saturday_31_10_is_not_refused(kind):
    """02/11/2026: every level's autumn deadline (the Sở's Friday 30/10 at the latest) is past;
    the directive gets the spring period."""
    assert _edu("edu_statistics", D(2026, 11, 2), "2026-2027", kind) == [
        ("2027-05-31", SPRING_2027[kind])]


@pytest.mark.parametrize("kind", KINDS)
def test_issued_in_december_gets_the_spring_period(kind):
    assert _edu("edu_statistics", D(2026, 12, 16), "2026-2027", kind) == [
        ("2027-05-31", SPRING_2027[kind])]


@pytest.mark.parametrize(("kind", "periods"), [
    ("department", ["2026-09-30", "2027-05-31"]),        # 30/10 is still to come on 20/10
    ("people_committee", ["2026-09-30", "2027-05-31"]),  # 23/10
    ("school", ["2027-05-31"]),                          # 16/10 is past
    ("team", ["2027-05-31"]),                            # 09/10 is past
])
def test_a_period_already_past_for_one_level_is_left_out_for_that_level(kind, periods):
    assert [p for p, _ in _edu("edu_statistics", D(2026, 10, 20), "2026-2027", kind)] == periods


@pytest.mark.parametrize("kind", KINDS)
def test_year_end_summary_is_due_with_the_spring_statistics(kind):
    assert _edu("edu_year_end", D(2026, 2, 26), "2025-2026", kind) == [
        ("", SPRING_2026[kind])]
    assert _edu("edu_year_end", D(2026, 9, 7), "2026-2027", kind) == [
        ("", SPRING_2027[kind])]


def test_every_period_past_for_a_level_is_refused_naming_it():
    with pytest.raises(InvalidInput) as exc:
        _edu("edu_statistics", D(2027, 6, 17), "2026-2027", "school")  # 16/06 passed
    assert exc.value.field == "due.preset"
    assert "Trường" in exc.value.problem and "17/06/2027" in exc.value.problem
    assert _edu("edu_statistics", D(2027, 6, 17), "2026-2027", "office") == [
        ("2027-05-31", D(2027, 6, 23))]


def test_an_unknown_unit_kind_is_named():
    with pytest.raises(InvalidInput) as exc:
        _edu("edu_statistics", D(2026, 9, 7), "2026-2027", "hamlet")
    assert exc.value.field == "due.preset" and "hamlet" in exc.value.problem


def test_a_fixed_date_is_checked_where_it_rolls_to():
    """31/10/2026 is a Saturday: the unit gets Monday 02/11, so a directive of 02/11 may say so;
    30/10 (a Friday) stays refused."""
    ctx = DueContext(issued_on=D(2026, 11, 2), school_year="2026-2027")
    assert resolve_due(DueSpec.model_validate("31/10/2026"), ctx, cal) == [("", D(2026, 11, 2))]
    with pytest.raises(InvalidInput, match="30/10/2026 is before the issue date 02/11/2026"):
        resolve_due(DueSpec.model_validate("30/10/2026"), ctx, cal)
