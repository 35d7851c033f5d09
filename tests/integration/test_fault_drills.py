"""Fault drills: a national cascade killed with SIGKILL at random moments, then re-run, holds
exactly one run per (requirement, unit, period); four sweepers racing over 1,000 sweeps write
each notification once and miss none."""

import random
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select, text

from chidao.config.calendar_source import vietnam_calendar
from chidao.config.settings import Settings
from chidao.db.database import make_engine, migrate, transaction
from chidao.demo.national_tree import national_rows
from chidao.domain.assignments import assignment_table
from chidao.domain.notifications import notification_table
from chidao.files.directive_files import load_directive_file
from chidao.notifications.sweep import sweep
from chidao.services.issue import issue_directive
from chidao.services.units_import import import_units
from tests.support.cascade import at, seed_many_schools
from tests.support.cli import CHIDAO

pytestmark = pytest.mark.sqlite_only
SCHOOLS_AND_CLASSES = 32_700
DIRECTIVE = {
    "number_symbol": "21/KH-BGDĐT", "issuer": "BGDDT", "issued_on": "2026-02-26",
    "title": "Kế hoạch cho toàn quốc", "requirements": [{
        "key": "ke-hoach", "kind": "plan", "title": "Xây dựng kế hoạch của cơ sở",
        "to": {"descendants": {"kind": ["school", "independent_class"]}},
        "due": {"working_days_after_issue": 20}}]}


@pytest.fixture(scope="session")
def national_db(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("national")
    db = folder / "national.db"
    migrate(f"sqlite:///{db}")
    engine = make_engine(f"sqlite:///{db}")
    with transaction(engine) as session:
        import_units(session, national_rows(), now=at("2026-02-01T08:00"))
    engine.dispose()
    directive = folder / "kh-21.yaml"
    directive.write_text(yaml.safe_dump(DIRECTIVE, allow_unicode=True), encoding="utf-8")
    return db, directive


def counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(assignment_table)).scalar_one()
        doubled = conn.execute(text(
            "SELECT count(*) FROM (SELECT 1 FROM assignment GROUP BY requirement_id, unit_id,"
            " period HAVING count(*) > 1)")).scalar_one()
    return total, doubled


def test_sigkill_at_random_points_of_a_national_cascade(national_db, tmp_path):
    template, directive = national_db
    rng = random.Random(20261123)
    outcomes = []
    for trial in range(20):
        db = tmp_path / f"trial{trial}.db"
        shutil.copy(template, db)
        env = {"CHIDAO_DATABASE_URL": f"sqlite:///{db}", "PATH": str(Path(CHIDAO).parent)}
        proc = subprocess.Popen([CHIDAO, "directive", "issue", str(directive),
                                 "--now", "2026-02-26T09:00"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        engine = make_engine(f"sqlite:///{db}")
        after_kill, _ = counts(engine)
        assert after_kill in (0, SCHOOLS_AND_CLASSES)  # one transaction: all or nothing
        with transaction(engine) as session:
            issue_directive(session, load_directive_file(directive),
                            now=at("2026-02-26T09:05"), calendar=vietnam_calendar(),
                            rules=Settings().rules())
        assert counts(engine) == (SCHOOLS_AND_CLASSES, 0)
        engine.dispose()
        outcomes.append(after_kill)
    print(f"killed before the commit in {outcomes.count(0)} of 20 trials")


def test_four_sweepers_over_a_thousand_sweeps(engine, db_url, tmp_path):
    seed_many_schools(engine, 60)
    reference = tmp_path / "reference.db"
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as source, \
            sqlite3.connect(reference) as copy:
        source.backup(copy)  # a consistent copy, the WAL included
    start = at("2026-03-02T07:00")
    moments = [start + timedelta(hours=11 * k) for k in range(250)]  # about four months
    send_at = Settings().send_from
    sequential = make_engine(f"sqlite:///{reference}")
    for now in moments:
        with transaction(sequential) as session:
            sweep(session, now=now, calendar=vietnam_calendar(), send_at=send_at)

    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def sweeper() -> None:
        mine = make_engine(db_url)
        try:
            for now in moments:
                barrier.wait()
                with transaction(mine) as session:
                    sweep(session, now=now, calendar=vietnam_calendar(), send_at=send_at)
        except BaseException as exc:  # reported below
            errors.append(exc)
            barrier.abort()
        finally:
            mine.dispose()

    threads = [threading.Thread(target=sweeper) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []

    def written(e):
        with e.connect() as conn:
            return sorted(conn.execute(select(notification_table.c.assignment_id,
                                              notification_table.c.stage)).all())
    expected, raced = written(sequential), written(engine)
    sequential.dispose()
    assert len(expected) > 60 * 5  # issued, reminders, due day, urging, escalations…
    assert raced == expected and len(set(raced)) == len(raced)
