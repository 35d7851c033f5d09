"""Working days in Vietnam: Tết 2026, 30/4-1/5, 2/9, swap days, Civil Code Art. 148 rolling."""

from datetime import UTC, date, datetime

from chidao.domain.calendar import WorkingCalendar

cal = WorkingCalendar()


def test_tet_2026_is_five_days_off_and_the_weekends_around_it():
    for day in range(14, 23):  # Sat 14/02 .. Sun 22/02
        assert not cal.is_working_day(date(2026, 2, day)), day
    assert cal.is_working_day(date(2026, 2, 13))
    assert cal.is_working_day(date(2026, 2, 23))


def test_a_deadline_falling_in_tet_rolls_to_the_next_working_day():
    assert cal.roll_forward(date(2026, 2, 17)) == date(2026, 2, 23)
    assert cal.end_of_day(cal.roll_forward(date(2026, 2, 17))) == datetime(
        2026, 2, 23, 17, 0, tzinfo=UTC)


def test_working_days_counted_across_tet():
    assert cal.add_working_days(date(2026, 2, 12), 2) == date(2026, 2, 23)
    assert cal.add_working_days(date(2026, 2, 23), -1) == date(2026, 2, 13)
    assert cal.working_days_between(date(2026, 2, 13), date(2026, 2, 24)) == 2


def test_reunification_and_labour_day_2026_roll_to_monday():
    assert not cal.is_working_day(date(2026, 4, 30))
    assert not cal.is_working_day(date(2026, 5, 1))
    assert cal.roll_forward(date(2026, 4, 30)) == date(2026, 5, 4)


def test_hung_kings_day_on_sunday_2026_is_observed_on_monday():
    assert not cal.is_working_day(date(2026, 4, 27))
    assert cal.roll_forward(date(2026, 4, 25)) == date(2026, 4, 28)


def test_national_day_2026_with_its_swap_day():
    # 2/9/2026 is a Wednesday; 1/9 is the extra day; Mon 31/8 is off in exchange for Sat 22/8.
    for day in (date(2026, 8, 31), date(2026, 9, 1), date(2026, 9, 2)):
        assert not cal.is_working_day(day)
    assert cal.is_working_day(date(2026, 8, 22))
    assert cal.roll_forward(date(2026, 8, 29)) == date(2026, 9, 3)


def test_swap_saturday_2025_is_a_working_day_and_friday_2_may_is_not():
    assert cal.is_working_day(date(2025, 4, 26))
    assert not cal.is_working_day(date(2025, 5, 2))
    assert cal.add_working_days(date(2025, 4, 25), 1) == date(2025, 4, 26)


def test_end_of_day_is_local_midnight_in_utc():
    assert cal.end_of_day(date(2026, 3, 19)) == datetime(2026, 3, 19, 17, 0, tzinfo=UTC)
    assert cal.local_date(datetime(2026, 3, 19, 17, 30, tzinfo=UTC)) == date(2026, 3, 20)
