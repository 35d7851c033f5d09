"""`chidao calendar`, the real command in a process without a terminal: the year's days off
and days worked with their source, a unit's closures, where the decisions and the package
disagree, and `add`, which records a decision and moves the open runs in one transaction."""

import os
import subprocess
from datetime import date

from sqlalchemy import select

from chidao.db.database import transaction
from chidao.db.lookup import directive_by_ref, unit_by_code
from chidao.domain.assignments import Assignment, AssignmentEvent
from chidao.domain.closures import Closure, ClosureKind
from tests.support.cascade import at, issue_data, seed_units
from tests.support.cli import CHIDAO

TET_2027 = "Quyết định (thử) 01/QĐ-TTg ngày 10/01/2027"


def chidao(db_url: str, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("PREFECT_API_URL", "CHIDAO_CALENDAR_FILE")}
    env.update(CHIDAO_DATABASE_URL=db_url, COLUMNS="160", **extra)
    done = subprocess.run([CHIDAO, *args], env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stdout + done.stderr
    return done


def row(output: str, day: str) -> str:
    return next(line for line in output.splitlines() if day in line)


def test_the_year_shows_days_off_and_days_worked_with_their_source(db_url):
    done = chidao(db_url, "calendar", "2026")
    assert done.returncode == 0, done.stderr
    friday, saturday = row(done.stdout, "02/01/2026"), row(done.stdout, "10/01/2026")
    assert "Thứ Sáu" in friday and "nghỉ" in friday
    assert "Công văn 12729/VPCP-KGVX ngày 25/12/2025" in friday
    assert "Thứ Bảy" in saturday and "làm việc" in saturday and "12729/VPCP-KGVX" in saturday
    assert "holidays package" in row(done.stdout, "17/02/2026")
    assert "Tết Nguyên Đán" in row(done.stdout, "17/02/2026")
    assert "03/01/2026" not in done.stdout and "05/01/2026" not in done.stdout


def test_with_a_unit_the_year_shows_its_closures(db_url, engine):
    seed_units(engine)
    with transaction(engine) as session:
        session.add(Closure(unit_id=unit_by_code(session, "UBND-KIENHAI").id,
                            kind=ClosureKind.SCHOOL, starts_on=date(2025, 9, 29),
                            ends_on=date(2025, 10, 1), reason="Bão số 10 (Bualoi)",
                            decision="Công điện (thử) 5/CĐ-UBND", declared_by="SGDDT-AG",
                            declared_at=at("2025-09-28T16:00")))
    done = chidao(db_url, "calendar", "2025", "--unit", "MN-HONTRE")
    assert done.returncode == 0, done.stderr
    closure = row(done.stdout, "Bão số 10")
    assert "29/09/2025" in closure and "01/10/2025" in closure and "nghỉ học" in closure
    assert " 3 " in closure and "SGDDT-AG" in closure  # three working days closed
    assert "27/01/2025" in done.stdout  # the year is still shown
    other = chidao(db_url, "calendar", "2025", "--unit", "UBND-PHUQUOC")
    assert "Bão số 10" not in other.stdout and "không có đợt nghỉ" in other.stdout
    unknown = chidao(db_url, "calendar", "2025", "--unit", "NOPE")
    assert unknown.returncode == 2 and "unit: 'NOPE' is not a known unit code" in unknown.stderr


def test_check_lists_where_the_package_and_the_decisions_disagree(db_url):
    done = chidao(db_url, "calendar", "check")
    assert done.returncode == 0, done.stderr
    friday = row(done.stdout, "02/01/2026")
    assert "làm việc" in friday and "nghỉ (Tết Dương lịch 2026)" in friday
    assert "12729/VPCP-KGVX" in row(done.stdout, "10/01/2026")
    assert "2 day(s) differ" in done.stdout
    agree = chidao(db_url, "calendar", "check", "2027")
    assert agree.returncode == 0 and "agree on 2027" in agree.stdout
    bad = chidao(db_url, "calendar", "check", "99999")
    assert bad.returncode == 2 and "years: 99999 is not a year" in bad.stderr


def _due_and_reasons(engine, ref: str) -> tuple[set[date], list[str]]:
    with transaction(engine) as session:
        directive = directive_by_ref(session, ref)
        runs = list(session.execute(select(Assignment).where(  # type: ignore[call-overload]
            Assignment.directive_id == directive.id)).scalars())
        why = list(session.execute(select(AssignmentEvent.reason).where(  # type: ignore[call-overload]
            AssignmentEvent.assignment_id == runs[0].id)).scalars())
    return {r.due_on for r in runs}, why


def test_add_records_the_decision_and_moves_the_open_runs(db_url, engine, tmp_path):
    seed_units(engine)
    issue_data(engine, {"number_symbol": "03/KH-SGDĐT", "issuer": "SGDDT-AG",
                        "issued_on": "2027-01-11", "title": "Báo cáo", "requirements": [{
                            "key": "r", "kind": "report", "title": "Báo cáo",
                            "to": {"children": {"kind": "people_committee"}},
                            "due": "2027-02-11"}]}, "2027-01-11T09:00")
    path = tmp_path / "decisions.yaml"
    env = {"CHIDAO_CALENDAR_FILE": str(path)}
    bad = chidao(db_url, "calendar", "add", "--off", "31/02/2027", "--source", TET_2027, **env)
    assert bad.returncode == 2 and "off: 31/02/2027 does not exist" in bad.stderr
    no_source = chidao(db_url, "calendar", "add", "--off", "2027-02-04", "--source", " ", **env)
    assert no_source.returncode == 2 and "source: missing" in no_source.stderr
    assert not path.exists()

    done = chidao(db_url, "calendar", "add", "--off", "2027-02-04..2027-02-12", "--source",
                  TET_2027, "--name", "Tết Nguyên đán 2027", "--now", "2027-01-20T10:00",
                  **env)
    assert done.returncode == 0, done.stderr
    assert "3 open run(s) moved" in done.stdout
    assert TET_2027 in path.read_text(encoding="utf-8")
    dues, why = _due_and_reasons(engine, "03/KH-SGDĐT")
    assert dues == {date(2027, 2, 15)}
    assert why[-1] == f"Đổi hạn 11/02/2027 → 15/02/2027: Lịch nghỉ: {TET_2027}"
    shown = chidao(db_url, "calendar", "2027", **env)
    assert TET_2027 in row(shown.stdout, "11/02/2027")


def test_add_without_a_deployment_file_names_the_setting(db_url):
    done = chidao(db_url, "calendar", "add", "--off", "2027-02-04", "--source", TET_2027)
    assert done.returncode == 2 and "CHIDAO_CALENDAR_FILE: not set" in done.stderr


def test_add_is_one_transaction_the_file_is_not_written_when_the_database_fails(tmp_path):
    path = tmp_path / "decisions.yaml"
    empty = f"sqlite:///{tmp_path / 'no-schema.db'}"  # no tables: the recompute fails
    done = chidao(empty, "calendar", "add", "--off", "2027-02-04", "--source", TET_2027,
                  CHIDAO_CALENDAR_FILE=str(path))
    assert done.returncode == 2 and "chidao db init" in done.stderr
    assert not path.exists()


def test_apply_moves_the_open_runs_a_file_edited_while_no_worker_ran_touches(
        db_url, engine, tmp_path):
    seed_units(engine)
    issue_data(engine, {"number_symbol": "03/KH-SGDĐT", "issuer": "SGDDT-AG",
                        "issued_on": "2027-01-11", "title": "Báo cáo", "requirements": [{
                            "key": "r", "kind": "report", "title": "Báo cáo",
                            "to": {"children": {"kind": "people_committee"}},
                            "due": "2027-02-11"}]}, "2027-01-11T09:00")
    path = tmp_path / "decisions.yaml"  # written by hand, no worker running
    path.write_text(f"entries:\n  - source: {TET_2027}\n    name: Tết Nguyên đán 2027\n"
                    "    days_off: [04/02/2027..12/02/2027]\n", encoding="utf-8")
    env = {"CHIDAO_CALENDAR_FILE": str(path)}
    assert _due_and_reasons(engine, "03/KH-SGDĐT")[0] == {date(2027, 2, 11)}
    done = chidao(db_url, "calendar", "apply", "--now", "2027-01-20T10:00", **env)
    assert done.returncode == 0, done.stderr
    assert "3 open run(s) moved" in done.stdout
    dues, why = _due_and_reasons(engine, "03/KH-SGDĐT")
    assert dues == {date(2027, 2, 15)}
    assert why[-1].startswith("Đổi hạn 11/02/2027 → 15/02/2027: Lịch nghỉ đang áp dụng: ")
    assert TET_2027 in why[-1]
    again = chidao(db_url, "calendar", "apply", "--now", "2027-01-20T10:05", **env)
    assert "0 open run(s) moved" in again.stdout
