"""Deadline refresh benchmark: a calendar decision (Tết 2027 two days longer than the package
guessed) moves every open run of a national cascade; next to the raw driver writing the same
moves (executemany UPDATE of the runs, executemany INSERT of their audit rows) in the same run.

Run: .venv/bin/python -m bench.deadline_refresh [--requirements 4] [--repeat 3]
     [--database postgresql]
Last line: {"database": …, "open": N, "moved": M, "seconds": ours, "baseline_seconds": raw,
            "ratio": ours/raw}
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import date, timedelta

from bench.cascade import build_template
from bench.databases import Databases, add_database_arguments, bench_databases
from chidao.config.calendar_source import vietnam_calendar
from chidao.config.clock import resolve_now
from chidao.config.settings import Settings
from chidao.db.database import make_engine, transaction
from chidao.domain.calendar import DayRule, WorkingCalendar
from chidao.domain.specs import parse_directive
from chidao.services.deadline_refresh import refresh_deadlines
from chidao.services.issue import issue_directive

NOW = "2027-01-20T10:00"
DECIDED = WorkingCalendar(official=[  # the package has 04–10/02/2027 off; this adds 11, 12
    DayRule(date(2027, 2, d), True, "Quyết định (thử)", "Tết") for d in (11, 12)])


def build_open_runs(dbs: Databases, requirements: int) -> str:
    engine = make_engine(build_template(dbs))
    started = time.perf_counter()
    with transaction(engine) as session:
        issue_directive(session, parse_directive({
            "number_symbol": "03/KH-BGDĐT", "issuer": "BGDDT", "issued_on": "2027-01-11",
            "title": "Báo cáo trước Tết",
            "requirements": [{"key": f"r{i}", "kind": "report", "title": f"Báo cáo {i}",
                              "to": {"descendants": {"kind": ["school", "independent_class"]}},
                              "due": "2027-02-11"} for i in range(requirements)]}),
            now=resolve_now("2027-01-11T09:00"), calendar=vietnam_calendar(),
            rules=Settings().rules())
    engine.dispose()
    print(f"{requirements} requirements cascaded in {time.perf_counter() - started:.1f} s",
          flush=True)
    dbs.settle("template")
    return "template"


def ours(url: str) -> tuple[float, int]:
    engine = make_engine(url)
    with engine.connect():
        pass
    started = time.perf_counter()
    with transaction(engine) as session:
        moved = refresh_deadlines(session, calendar=DECIDED, rules=Settings().rules(),
                                  now=resolve_now(NOW), reason="Lịch nghỉ Tết 2027")
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed, moved


def raw(dbs: Databases, name: str) -> tuple[float, int]:
    """The same moves, pre-computed, written through the driver's executemany."""
    new_due = date(2027, 2, 15)
    due_at = dbs.stamp(DECIDED.end_of_day(new_due))
    now = dbs.stamp(resolve_now(NOW))
    with dbs.raw(name) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM assignment").fetchall()]
        m, cursor = dbs.marker, conn.cursor()
        started = time.perf_counter()
        cursor.execute("BEGIN")
        cursor.executemany(f"UPDATE assignment SET due_on = {m}, due_at = {m},"
                           f" next_action_at = {m} WHERE id = {m}",
                           [(new_due, due_at, now, i) for i in ids])
        cursor.executemany(
            "INSERT INTO assignment_event (assignment_id, at, actor, from_status, to_status,"
            f" reason, by_person) VALUES ({dbs.markers(7)})",
            [(i, now, "chidao", "issued", "issued",
              "Đổi hạn 11/02/2027 → 15/02/2027: Lịch nghỉ Tết 2027", "") for i in ids])
        cursor.execute("COMMIT")
        return time.perf_counter() - started, len(ids)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requirements", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    add_database_arguments(parser)
    args = parser.parse_args()
    assert DECIDED.roll_forward(date(2027, 2, 11)) == date(2027, 2, 11) + timedelta(days=4)
    with bench_databases(args) as dbs:
        template = build_open_runs(dbs, args.requirements)
        with dbs.raw(template) as conn:
            open_runs = conn.execute("SELECT count(*) FROM assignment").fetchone()[0]
        ours_times, raw_times, moved = [], [], 0
        for i in range(args.repeat):
            baseline, expected = raw(dbs, dbs.copy(template, f"raw{i}") and f"raw{i}")
            seconds, moved = ours(dbs.copy(template, f"run{i}"))
            assert moved == expected == open_runs, (moved, expected, open_runs)
            ours_times.append(seconds)
            raw_times.append(baseline)
            print(f"run {i + 1}: refresh {seconds:.3f} s ({moved} runs moved),"
                  f" raw executemany {baseline:.3f} s", flush=True)
            dbs.drop(f"raw{i}")
            dbs.drop(f"run{i}")
    seconds, baseline = statistics.median(ours_times), statistics.median(raw_times)
    print(json.dumps({"database": args.database, "open": open_runs, "moved": moved,
                      "seconds": round(seconds, 4), "baseline_seconds": round(baseline, 4),
                      "ratio": round(seconds / baseline, 1)}))


if __name__ == "__main__":
    main()
