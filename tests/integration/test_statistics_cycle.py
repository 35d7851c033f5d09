"""Issuing the education statistics cycle down a tree: each level gets its own deadline, a
school's before its commune's, before the Sở's, on or before the Ministry's date."""

from datetime import date

import pytest
from sqlalchemy import func, select

from chidao.config.calendar_source import vietnam_calendar
from chidao.config.settings import Settings
from chidao.db.database import transaction
from chidao.domain.assignments import assignment_table
from chidao.domain.calendar import DayRule, WorkingCalendar
from chidao.domain.errors import InvalidInput
from chidao.services.deadline_refresh import refresh_deadlines
from tests.support.cascade import at, issue_data, runs, seed_units


def statistics(issued_on: str, to: dict[str, object], preset: str = "edu_statistics",
               number: str = "12") -> dict[str, object]:
    return {
        "number_symbol": f"{number}/CV-BGDĐT", "issuer": "BGDDT", "issued_on": issued_on,
        "title": "Báo cáo thống kê giáo dục năm học 2026-2027",
        "requirements": [{"key": "thong-ke", "kind": "report", "title": "Biểu mẫu thống kê",
                          "to": to, "due": {"preset": preset}}]}


def test_each_level_reports_before_the_level_above(engine):
    """Ministry dates 31/10/2026 (a Saturday) and 30/06/2027; the expected days are counted
    by hand on the calendar (see tests/unit/test_report_periods.py)."""
    seed_units(engine)
    result = issue_data(engine, statistics("2026-09-07", {"descendants": {}}),
                        "2026-09-07T09:00")
    got = {(code, period): run.due_on for (code, _, period), run in runs(engine,
                                                                         result.key).items()}
    autumn, spring = "2026-09-30", "2027-05-31"
    sở, commune = got[("SGDDT-AG", autumn)], got[("UBND-KIENHAI", autumn)]
    school, team = got[("MN-HONTRE", autumn)], got[("MN-HONTRE-TCM-NT", autumn)]
    assert (team, school, commune, sở) == (date(2026, 10, 9), date(2026, 10, 16),
                                           date(2026, 10, 23), date(2026, 10, 30))
    assert team < school < commune < sở <= date(2026, 10, 31)
    assert got[("PVHXH-KIENHAI", autumn)] == commune  # a Phòng reports with its commune
    assert got[("LMN-HOASEN-PQ", autumn)] == school  # an independent class like a school
    assert (got[("MN-HONTRE", spring)], got[("UBND-KIENHAI", spring)],
            got[("SGDDT-AG", spring)]) == (date(2027, 6, 16), date(2027, 6, 23),
                                           date(2027, 6, 30))
    # one run per unit and period, all written
    with transaction(engine) as session:
        units = session.execute(select(func.count()).select_from(
            select(assignment_table.c.unit_id).distinct().where(
                assignment_table.c.directive_id == result.directive_id).subquery())).scalar_one()
    assert result.created == result.total == 2 * units


def test_issued_the_monday_after_a_saturday_deadline_gets_the_spring_period(engine):
    seed_units(engine)
    result = issue_data(engine, statistics(
        "2026-11-02", {"descendants": {"kind": ["department", "people_committee", "school"]}}),
        "2026-11-02T09:00")
    got = runs(engine, result.key)
    assert {period for _, _, period in got} == {"2027-05-31"}
    assert got[("SGDDT-AG", "thong-ke", "2027-05-31")].due_on == date(2027, 6, 30)
    assert got[("MN-RACHGIA", "thong-ke", "2027-05-31")].due_on == date(2027, 6, 16)


def test_a_level_whose_every_period_is_past_refuses_the_whole_directive(engine):
    seed_units(engine)
    with pytest.raises(InvalidInput) as exc:  # schools' 16/06/2027 is past on 17/06
        issue_data(engine, statistics("2027-06-17", {"descendants": {}}), "2027-06-17T09:00")
    assert exc.value.field == "requirements[0].due.preset"
    with transaction(engine) as session:  # nothing half-written
        assert session.execute(select(func.count()).select_from(
            assignment_table)).scalar_one() == 0


def test_a_refresh_keeps_each_level_at_its_own_deadline(engine):
    """Recomputing the open runs gives each unit its level's deadline again (not the Ministry's
    date for everyone); a decision making Friday 30/10/2026 a day off moves every level back
    one working day: the Sở to Thu 29/10, the communes to 22/10, the schools to 15/10."""
    seed_units(engine)
    key = issue_data(engine, statistics("2026-09-07", {"descendants": {
        "kind": ["department", "people_committee", "school"]}}), "2026-09-07T09:00").key
    with transaction(engine) as session:
        assert refresh_deadlines(session, calendar=vietnam_calendar(), rules=Settings().rules(),
                                 now=at("2026-09-08T09:00"), reason="kiểm tra") == 0
    decided = WorkingCalendar(official=[DayRule(date(2026, 10, 30), True, "Quyết định (thử)")])
    with transaction(engine) as session:
        refresh_deadlines(session, calendar=decided, rules=Settings().rules(),
                          now=at("2026-09-08T09:00"), reason="Quyết định (thử)")
    got = {code: run.due_on for (code, _, period), run in runs(engine, key).items()
           if period == "2026-09-30"}
    assert (got["SGDDT-AG"], got["UBND-KIENHAI"], got["MN-HONTRE"]) == (
        date(2026, 10, 29), date(2026, 10, 22), date(2026, 10, 15))
