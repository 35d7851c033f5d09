"""Sweep benchmark: 1,000,000+ open runs on a national tree, 1% due, next to the raw indexed
query of the same due rows in the same run.

Run: .venv/bin/python -m bench.sweep [--requirements 31] [--repeat 3] [--database postgresql]
Last line: {"database": …, "open": N, "due": M, "seconds": ours, "baseline_seconds": raw,
            "ratio": ours/raw}
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from bench.cascade import build_template
from bench.databases import Databases, add_database_arguments, bench_databases
from chidao.config.calendar_source import vietnam_calendar
from chidao.config.clock import resolve_now
from chidao.config.settings import Settings
from chidao.db.database import make_engine, transaction
from chidao.domain.specs import parse_directive
from chidao.notifications.sweep import sweep
from chidao.services.issue import issue_directive

NOW = "2026-03-16T07:31"  # one minute after the d-3 reminders of runs due 19/03/2026


def build_open_runs(dbs: Databases, requirements: int) -> str:
    """The national tree, `requirements` reports to every school and class; every run past its
    d-7 reminder, 1% of them due for d-3 now. Returns the template's name."""
    engine = make_engine(build_template(dbs))
    started = time.perf_counter()
    with transaction(engine) as session:
        issue_directive(session, parse_directive({
            "number_symbol": "18/KH-BGDĐT", "issuer": "BGDDT", "issued_on": "2026-03-02",
            "title": "Các nhiệm vụ năm học",
            "requirements": [{"key": f"r{i}", "kind": "report", "title": f"Báo cáo {i}",
                              "to": {"descendants": {"kind": ["school", "independent_class"]}},
                              "due": "2026-03-19"} for i in range(requirements)]}),
            now=resolve_now("2026-03-02T09:00"), calendar=vietnam_calendar(),
            rules=Settings().rules())
    engine.dispose()
    print(f"{requirements} requirements cascaded in {time.perf_counter() - started:.1f} s",
          flush=True)
    due_at = dbs.stamp(resolve_now("2026-03-16T07:30"))  # the d-3 stage, due now
    later = dbs.stamp(resolve_now("2026-03-18T07:30"))  # d-1: not yet
    cursor = dbs.stamp(resolve_now("2026-03-10T07:30"))  # d-7 already sent
    m = dbs.marker
    with dbs.raw("template") as conn:
        conn.execute(f"UPDATE assignment SET stage_cursor = {m}, last_stage = '2026-03-19/d-7',"
                     f" next_action_at = CASE WHEN MOD(id, 100) = 0 THEN {m} ELSE {m} END",
                     (cursor, due_at, later))
    dbs.settle("template")
    return "template"


def ours(url: str) -> tuple[float, int, int]:
    engine = make_engine(url)
    with engine.connect():
        pass
    cal, send_at = vietnam_calendar(), Settings().send_from
    started = time.perf_counter()
    with transaction(engine) as session:
        report = sweep(session, now=resolve_now(NOW), calendar=cal, send_at=send_at)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed, report.examined, len(report.notifications)


def raw(dbs: Databases, name: str) -> tuple[float, int]:
    with dbs.raw(name) as conn:
        now = dbs.stamp(resolve_now(NOW))
        started = time.perf_counter()
        rows = conn.execute(f"SELECT id FROM assignment WHERE next_action_at <= {dbs.marker}",
                            (now,)).fetchall()
        return time.perf_counter() - started, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requirements", type=int, default=31)
    parser.add_argument("--repeat", type=int, default=3)
    add_database_arguments(parser)
    args = parser.parse_args()
    with bench_databases(args) as dbs:
        template = build_open_runs(dbs, args.requirements)
        with dbs.raw(template) as conn:
            open_runs = conn.execute("SELECT count(*) FROM assignment").fetchone()[0]
        ours_times, raw_times, due = [], [], 0
        for i in range(args.repeat):
            url = dbs.copy(template, f"run{i}")
            baseline, due = raw(dbs, f"run{i}")
            seconds, examined, written = ours(url)
            assert examined == due == written, (examined, due, written)
            ours_times.append(seconds)
            raw_times.append(baseline)
            print(f"run {i + 1}: sweep {seconds:.3f} s ({written} notifications),"
                  f" raw indexed query {baseline:.3f} s", flush=True)
            dbs.drop(f"run{i}")
    seconds, baseline = statistics.median(ours_times), statistics.median(raw_times)
    print(json.dumps({"database": args.database, "open": open_runs, "due": due,
                      "seconds": round(seconds, 4),
                      "baseline_seconds": round(baseline, 4),
                      "ratio": round(seconds / baseline, 1)}))


if __name__ == "__main__":
    main()
