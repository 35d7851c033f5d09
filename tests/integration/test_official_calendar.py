"""The official calendar layer through the front door (build_runtime), on a real SQLite
database: the shipped decisions move deadlines (02/01/2026 → 05/01/2026, Saturday 10/01/2026
worked); a deployment's file, read again by the scheduler's calendar job, moves the open runs
and their next reminder with an audit naming the decision; a broken file is refused and the
calendar in force stays."""

import logging
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from chidao.config.runtime import Runtime, build_runtime, load_settings
from chidao.db.database import transaction
from chidao.db.lookup import directive_by_ref
from chidao.domain.assignments import Assignment, AssignmentEvent
from chidao.domain.specs import parse_directive
from chidao.flows import scheduling
from chidao.notifications.sweep import sweep
from chidao.services.issue import issue_directive
from tests.support.cascade import at, seed_units

TET_2027 = "Quyết định (thử) 01/QĐ-TTg ngày 10/01/2027"
DECISION = f"""# Tết Đinh Mùi 2027 (a test's own decision)
entries:
  - source: {TET_2027}
    issued_by: Thủ tướng Chính phủ
    name: Tết Nguyên đán 2027
    days_off: [04/02/2027..12/02/2027]
"""


def plan(number: str, issued_on: str, due: object) -> dict:
    return {"number_symbol": number, "issuer": "SGDDT-AG", "issued_on": issued_on,
            "title": "Báo cáo", "requirements": [{
                "key": "bao-cao", "kind": "report", "title": "Báo cáo",
                "to": {"children": {"kind": "people_committee"}}, "due": due}]}


def issue(rt: Runtime, data: dict, when: str) -> None:
    with transaction(rt.engine) as session:
        issue_directive(session, parse_directive(data), now=at(when), calendar=rt.calendar,
                        rules=rt.rules)


def runs(rt: Runtime, ref: str) -> list[Assignment]:
    with transaction(rt.engine) as session:
        directive = directive_by_ref(session, ref)
        return list(session.execute(select(Assignment).where(  # type: ignore[call-overload]
            Assignment.directive_id == directive.id).order_by(Assignment.id)).scalars())


def reasons(rt: Runtime, run_id: int) -> list[str]:
    with transaction(rt.engine) as session:
        return list(session.execute(select(AssignmentEvent.reason).where(  # type: ignore[call-overload]
            AssignmentEvent.assignment_id == run_id).order_by(AssignmentEvent.id)).scalars())


@pytest.fixture
def deployment(db_url, tmp_path):
    """A runtime whose CHIDAO_CALENDAR_FILE is a file of the test's own (absent at first),
    registered with a scheduler (not started) as `chidao worker` does."""
    path = tmp_path / "decisions.yaml"
    rt = build_runtime(load_settings(database_url=db_url, calendar_file=path))
    scheduler = scheduling.build_scheduler(rt, blocking=False)
    assert "calendar" in {job.id for job in scheduler.get_jobs()}
    yield rt, path
    scheduling._runtimes.pop(db_url, None)
    rt.close()


def test_a_deadline_on_friday_02_01_2026_rolls_to_monday_05_01(runtime):
    seed_units(runtime.engine)
    issue(runtime, plan("01/KH-SGDĐT", "2025-12-15", "2026-01-02"), "2025-12-15T09:00")
    assert {r.due_on for r in runs(runtime, "01/KH-SGDĐT")} == {date(2026, 1, 5)}


def test_saturday_10_01_2026_is_a_working_day_that_counts(runtime):
    seed_units(runtime.engine)
    # Issued Friday 09/01/2026, due one working day later: Saturday 10/01 (worked back for
    # 02/01), not Monday 12/01 as the package alone would say.
    issue(runtime, plan("02/KH-SGDĐT", "2026-01-09", {"working_days_after_issue": 1}),
          "2026-01-09T09:00")
    assert {r.due_on for r in runs(runtime, "02/KH-SGDĐT")} == {date(2026, 1, 10)}


def test_a_decision_in_the_deployment_file_moves_open_runs_and_their_reminder(deployment):
    rt, path = deployment
    seed_units(rt.engine)
    # Thursday 11/02/2027: the package's guess keeps Tết 2027 to 04–10/02.
    issue(rt, plan("03/KH-SGDĐT", "2027-01-11", "2027-02-11"), "2027-01-11T09:00")
    before = runs(rt, "03/KH-SGDĐT")
    assert {r.due_on for r in before} == {date(2027, 2, 11)}
    assert scheduling.calendar_job(rt.settings.database_url)["changed"] is False  # no file

    path.write_text(DECISION, encoding="utf-8")
    done = scheduling.calendar_job(rt.settings.database_url)
    assert done == {"changed": True, "moved": 3, "reason": f"Lịch nghỉ: {TET_2027}",
                    "problem": None}
    assert not rt.calendar.is_working_day(date(2027, 2, 11))  # the runtime sees it now
    after = runs(rt, "03/KH-SGDĐT")
    assert {r.due_on for r in after} == {date(2027, 2, 15)}  # Monday after the break
    assert reasons(rt, after[0].id)[-1] == (
        f"Đổi hạn 11/02/2027 → 15/02/2027: Lịch nghỉ: {TET_2027}")
    with transaction(rt.engine) as session:
        sweep(session, now=at("2027-01-20T10:00"), calendar=rt.calendar,
              send_at=rt.rules.send_from)
        run = session.get(Assignment, after[0].id)
        # 7 working days before Monday 15/02 on the decided calendar: Tuesday 26/01, 07:30
        # (the package's calendar puts the first reminder on 29/01 for 11/02).
        assert run.next_action_at == at("2027-01-26T07:30")
    # the same file again: nothing to do
    assert scheduling.calendar_job(rt.settings.database_url)["changed"] is False


def test_a_broken_deployment_file_keeps_the_calendar_and_tells_the_operator(deployment,
                                                                            caplog):
    rt, path = deployment
    path.write_text(DECISION, encoding="utf-8")
    assert scheduling.calendar_job(rt.settings.database_url)["changed"] is True
    in_force = rt.calendar
    path.write_text(DECISION + "  - source: Quyết định (thử) 2\n    days_off: [31/02/2027]\n",
                    encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="chidao.calendar"):
        first = scheduling.calendar_job(rt.settings.database_url)
        again = scheduling.calendar_job(rt.settings.database_url)
    problem = f"calendar file {path}: entries[1].days_off[0]: 31/02/2027 does not exist"
    assert first["changed"] is False and first["problem"] == problem == again["problem"]
    assert rt.calendar is in_force
    assert not rt.calendar.is_working_day(date(2027, 2, 11))
    logged = [r.getMessage() for r in caplog.records if r.name == "chidao.calendar"]
    assert len(logged) == 1 and problem in logged[0]  # once, not every minute
    # mended: read again
    path.write_text(DECISION, encoding="utf-8")
    assert scheduling.calendar_job(rt.settings.database_url)["problem"] is None


def test_a_broken_deployment_file_stops_start_up_naming_it(db_url, tmp_path):
    path = Path(tmp_path / "decisions.yaml")
    path.write_text("entries:\n  - {source: x, days_off: [30/02/2027]}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"entries\[0\]\.days_off\[0\]: 30/02/2027 does not"):
        build_runtime(load_settings(database_url=db_url, calendar_file=path))


def test_a_decision_that_touches_no_deadline_moves_nothing(deployment):
    rt, path = deployment
    seed_units(rt.engine)
    issue(rt, plan("04/KH-SGDĐT", "2027-03-01", "2027-03-31"), "2027-03-01T09:00")
    path.write_text(DECISION, encoding="utf-8")
    assert scheduling.calendar_job(rt.settings.database_url)["moved"] == 0
    assert {r.due_on for r in runs(rt, "04/KH-SGDĐT")} == {date(2027, 3, 31)}
