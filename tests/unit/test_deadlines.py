"""A requirement's `due` resolved to (period, date) on the working-day calendar."""

from datetime import date

import pytest

from chidao.domain.calendar import WorkingCalendar
from chidao.domain.deadlines import DueContext, resolve_due
from chidao.domain.errors import InvalidInput
from chidao.domain.specs import DueSpec

cal = WorkingCalendar()
MONTHLY = {"2026-04": date(2026, 4, 28), "2026-05": date(2026, 5, 25)}
CTX = DueContext(issued_on=date(2026, 2, 26), school_year="2025-2026",
                 parent_dues={"bao-cao": {"": date(2026, 6, 1)}, "thang": MONTHLY})


def due(value: object) -> list[tuple[str, date]]:
    return resolve_due(DueSpec.model_validate(value), CTX, cal)


def test_absolute_date_on_a_working_day_is_kept():
    assert due("2026-05-15") == [("", date(2026, 5, 15))]


def test_vietnamese_date_order_is_accepted_and_a_holiday_rolls_forward():
    assert due("30/04/2026") == [("", date(2026, 5, 4))]


def test_working_days_after_issue():
    assert due({"working_days_after_issue": 15}) == [("", date(2026, 3, 19))]


def test_end_of_school_year_rolls_off_the_weekend():
    assert due("end_of_school_year") == [("", date(2026, 6, 1))]


def test_parent_deadline_minus_working_days_keeps_the_parents_periods():
    assert due({"before_parent": "bao-cao", "working_days": 5}) == [("", date(2026, 5, 25))]
    assert due({"before_parent": "thang", "working_days": 2}) == [
        ("2026-04", date(2026, 4, 23)), ("2026-05", date(2026, 5, 21))]


def test_parent_deadline_that_does_not_exist_names_the_field():
    with pytest.raises(InvalidInput) as exc:
        due({"before_parent": "khong-co"})
    assert exc.value.field == "due.before_parent"


def test_a_list_of_periods_gives_one_deadline_each():
    assert due({"periods": [{"period": "HK1", "date": "15/01/2027"},
                            {"period": "HK2", "date": "2027-05-20"}]}) == [
        ("HK1", date(2027, 1, 15)), ("HK2", date(2027, 5, 20))]


def test_quarterly_rule_due_the_15th_of_the_following_month():
    assert due({"every": "quarter", "from": "2026-04", "to": "2026-12", "day": 15,
                "months_after": 1}) == [
        ("2026-Q2", date(2026, 7, 15)), ("2026-Q3", date(2026, 10, 15)),
        ("2026-Q4", date(2027, 1, 15))]


def test_monthly_rule_defaults_to_the_last_day_and_rolls():
    assert due({"every": "month", "from": "2026-03", "to": "2026-05"}) == [
        ("2026-03", date(2026, 3, 31)), ("2026-04", date(2026, 5, 4)),
        ("2026-05", date(2026, 6, 1))]


def test_a_deadline_before_the_issue_date_is_rejected():
    with pytest.raises(InvalidInput) as exc:
        due("20/02/2026")
    assert exc.value.field == "due"
    # 20/02/2026 is in Tết: the unit would get 23/02, still before the issue date
    assert "23/02/2026" in exc.value.problem and "20/02/2026" in exc.value.problem
    assert "26/02/2026" in exc.value.problem


def test_one_period_before_the_issue_date_is_enough_to_reject():
    with pytest.raises(InvalidInput, match="period 2026-01"):
        due({"every": "month", "from": "2026-01", "to": "2026-03", "day": 25})


@pytest.mark.parametrize(("preset", "expected"), [
    # NĐ 09/2019: cut-offs 14/06 and 14/12; due one working day after (Sat/Sun roll).
    ("nd09_six_month", [("2026-H1", date(2026, 6, 15)), ("2026-H2", date(2026, 12, 15))]),
    ("nd09_annual", [("2026", date(2026, 12, 15))]),
    # without a receiving level: the Ministry's own date (30/06/2026, a Tuesday)
    ("edu_year_end", [("", date(2026, 6, 30))]),  # one report per school year
    # "02 lần/năm cùng các biểu mẫu báo cáo thống kê" is the statistics cycle (30/09 and
    # 31/05), no longer semester I 15/01 and the whole year 31/05; 30/09/2025 is past
    ("twice_a_year", [("2026-05-31", date(2026, 6, 30))]),
    ("edu_statistics", [("2026-05-31", date(2026, 6, 30))]),
])
def test_named_reporting_presets(preset: str, expected: list[tuple[str, date]]):
    assert due({"preset": preset}) == expected


def test_a_preset_with_every_period_past_is_refused():
    ctx = DueContext(issued_on=date(2026, 7, 1), school_year="2025-2026")
    with pytest.raises(InvalidInput) as exc:  # due 31/10/2025 and 30/06/2026 at the Ministry
        resolve_due(DueSpec.model_validate({"preset": "edu_statistics"}), ctx, cal)
    assert exc.value.field == "due.preset"
    assert "already past" in exc.value.problem


def test_a_higher_level_takes_more_working_days_after_the_cut_off():
    assert due({"preset": "nd09_annual", "after_cutoff": 5}) == [("2026", date(2026, 12, 21))]
