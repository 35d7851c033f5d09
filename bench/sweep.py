"""Sweep benchmark: 1,000,000+ open runs on a national tree, 1% due, 2% with a chủ trì (0.1%
past their own deadline: late-lead notices), next to the driver's raw executemany (sqlite3 /
psycopg) of the SAME notification rows and the same assignment updates, on the same database
in the same run.

How: a first sweep (not timed) writes what a sweep writes; those notification rows and the
due runs' new (next_action_at, stage_cursor, last_stage) are read back, and the database is
reset (notifications deleted, the due runs' columns put back). Then each repetition times our
sweep and the raw write of the captured rows, in alternating order, resetting after each, each
in one transaction with its commit. The medians are compared.

Run: .venv/bin/python -m bench.sweep [--requirements 31] [--repeat 5] [--database postgresql]
Last line: {"database": …, "open_runs": N, "due": M, "notifications": K, "seconds": ours,
            "baseline_seconds": raw, "ratio": ours/raw}
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import date
from typing import Any

from bench.cascade import build_template
from bench.databases import Databases, add_database_arguments, bench_databases
from chidao.config.calendar_source import vietnam_calendar
from chidao.config.clock import resolve_now
from chidao.config.settings import Settings
from chidao.db.database import make_engine, transaction
from chidao.domain.specs import parse_directive
from chidao.notifications.sweep import NOTIFICATION_COLUMNS, sweep
from chidao.services.issue import issue_directive

NOW = "2026-03-16T07:31"  # one minute after the d-3 reminders of runs due 19/03/2026
MOVED = ("next_action_at", "stage_cursor", "last_stage")  # what the sweep sets on a due run
PER_DIRECTIVE = 31  # requirements per issued directive while building


def build_open_runs(dbs: Databases, requirements: int, name: str = "template") -> str:
    """The national tree, `requirements` reports to every school and class; every run past its
    d-7 reminder, 1% of them due for d-3 now; a chủ trì on 2% of the runs, 0.1% of the runs'
    chủ trì past their own deadline (13/03). Returns the database's name."""
    engine = make_engine(build_template(dbs, name))
    started = time.perf_counter()
    for first in range(0, requirements, PER_DIRECTIVE):
        count = min(PER_DIRECTIVE, requirements - first)
        with transaction(engine) as session:
            issue_directive(session, parse_directive({
                "number_symbol": f"{18 + first}/KH-BGDĐT", "issuer": "BGDDT",
                "issued_on": "2026-03-02", "title": "Các nhiệm vụ năm học",
                "requirements": [{"key": f"r{first + i}", "kind": "report",
                                  "title": f"Báo cáo {first + i}",
                                  "to": {"descendants": {"kind": ["school", "independent_class"]}},
                                  "due": "2026-03-19"} for i in range(count)]}),
                now=resolve_now("2026-03-02T09:00"), calendar=vietnam_calendar(),
                rules=Settings().rules())
    engine.dispose()
    print(f"{requirements} requirements cascaded in {time.perf_counter() - started:.1f} s",
          flush=True)
    mark_due(dbs, name)
    add_leads(dbs, name)
    dbs.settle(name)
    checkpoint(dbs, name)
    return name


def checkpoint(dbs: Databases, name: str) -> None:
    """SQLite: move the build's write-ahead log into the database file now, so that the first
    measured commit does not pay for it."""
    if dbs.kind == "sqlite":
        with dbs.raw(name) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def mark_due(dbs: Databases, name: str, every: int = 100) -> None:
    """Every run past d-7; one run in `every` due for d-3 now, the rest at d-1."""
    due_at = dbs.stamp(resolve_now("2026-03-16T07:30"))  # the d-3 stage, due now
    later = dbs.stamp(resolve_now("2026-03-18T07:30"))  # d-1: not yet
    cursor = dbs.stamp(resolve_now("2026-03-10T07:30"))  # d-7 already sent
    m = dbs.marker
    with dbs.raw(name) as conn:
        conn.execute(f"UPDATE assignment SET stage_cursor = {m}, last_stage = '2026-03-19/d-7',"
                     f" next_action_at = CASE WHEN MOD(id, {every}) = 0 THEN {m} ELSE {m} END",
                     (cursor, due_at, later))


def add_leads(dbs: Databases, name: str) -> None:
    """A chủ trì (a user of the run's unit) on every 50th run; on every 1000th, their own
    deadline (13/03) has passed: the sweep tells the head (a late-lead notice)."""
    m, at = dbs.marker, dbs.stamp(resolve_now("2026-03-03T08:00"))
    own_due = date(2026, 3, 13) if dbs.kind == "postgresql" else "2026-03-13"
    with dbs.raw(name) as conn:
        conn.execute("BEGIN")
        conn.execute("INSERT INTO app_user (username, full_name, unit_id, role, password_hash,"
                     " email, created_at) SELECT 'lead' || id, 'Nguyễn Văn ' || id, unit_id,"
                     f" 'staff', '', '', {m} FROM assignment WHERE MOD(id, 50) = 0", (at,))
        conn.execute("INSERT INTO task_holder (assignment_id, user_id, role, due_on, note,"
                     " assigned_by, assigned_at) SELECT a.id, u.id, 'lead', CASE WHEN"
                      f" MOD(a.id, 1000) = 0 THEN {m} END, '', 'bench', u.created_at"
                     " FROM assignment a JOIN app_user u ON u.username = 'lead' || a.id",
                     (own_due,))
        conn.execute("COMMIT")


def ours(url: str) -> tuple[float, int, int]:
    """Our sweep in one transaction, commit included: (seconds, runs examined, rows written)."""
    engine = make_engine(url)
    with engine.connect():
        pass  # open the connection (pragmas) outside the timing, as a pooled worker would
    cal, send_at = vietnam_calendar(), Settings().send_from
    started = time.perf_counter()
    with transaction(engine) as session:
        report = sweep(session, now=resolve_now(NOW), calendar=cal, send_at=send_at)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed, report.examined, len(report.notifications)


class Written:
    """What a sweep wrote to database `name`, read back, and how to undo it."""

    def __init__(self, dbs: Databases, name: str) -> None:
        self.dbs, self.name = dbs, name
        now = dbs.stamp(resolve_now(NOW))
        with dbs.raw(name) as conn:  # before the sweep: the due runs as they are
            self.before = conn.execute(
                f"SELECT {', '.join(MOVED)}, id FROM assignment"
                f" WHERE next_action_at <= {dbs.marker} ORDER BY id", (now,)).fetchall()
        self.notifications: list[Any] = []
        self.after: list[Any] = []

    def capture(self) -> None:
        """Read back what the sweep just wrote."""
        ids = ", ".join(str(row[-1]) for row in self.before) or "NULL"
        with self.dbs.raw(self.name) as conn:
            self.notifications = conn.execute(
                f"SELECT {', '.join(NOTIFICATION_COLUMNS)} FROM notification ORDER BY id"
            ).fetchall()
            self.after = conn.execute(f"SELECT {', '.join(MOVED)}, id FROM assignment"
                                      f" WHERE id IN ({ids}) ORDER BY id").fetchall()

    def reset(self) -> None:
        """Back to the state before the sweep (not timed)."""
        with self.dbs.raw(self.name) as conn:
            conn.execute("BEGIN")
            conn.execute("DELETE FROM notification")
            conn.cursor().executemany(self._update_sql(), self.before)
            conn.execute("COMMIT")

    def raw(self) -> float:
        """The captured rows through the driver's executemany, in one transaction."""
        columns = ", ".join(NOTIFICATION_COLUMNS)
        markers = self.dbs.markers(len(NOTIFICATION_COLUMNS))
        with self.dbs.raw(self.name) as conn:
            cursor = conn.cursor()
            started = time.perf_counter()
            cursor.execute("BEGIN")
            cursor.executemany(f"INSERT INTO notification ({columns}) VALUES ({markers})",
                               self.notifications)
            cursor.executemany(self._update_sql(), self.after)
            cursor.execute("COMMIT")
            return time.perf_counter() - started

    def _update_sql(self) -> str:
        m = self.dbs.marker
        return f"UPDATE assignment SET {', '.join(f'{c} = {m}' for c in MOVED)} WHERE id = {m}"


def paired(dbs: Databases, name: str, repeat: int) -> dict[str, Any]:
    """Our sweep and the raw write of the same rows, `repeat` times each, alternating."""
    url, written = dbs.url(name), Written(dbs, name)
    _, examined, count = ours(url)  # the first sweep: what a sweep writes
    written.capture()
    assert examined == len(written.before) and count == len(written.notifications), (
        examined, len(written.before), count, len(written.notifications))
    written.reset()
    ours_times, raw_times = [], []
    for i in range(repeat):
        for step in ("ours", "raw") if i % 2 == 0 else ("raw", "ours"):
            if step == "ours":
                seconds, again, rows = ours(url)
                assert (again, rows) == (examined, count), (again, rows, examined, count)
                ours_times.append(seconds)
            else:
                raw_times.append(written.raw())
            written.reset()
        print(f"run {i + 1}: sweep {ours_times[-1]:.3f} s, raw executemany of the same"
              f" {count} notifications and {examined} updates {raw_times[-1]:.3f} s", flush=True)
    seconds, baseline = statistics.median(ours_times), statistics.median(raw_times)
    return {"due": examined, "notifications": count, "seconds": round(seconds, 4),
            "baseline_seconds": round(baseline, 4), "ratio": round(seconds / baseline, 2)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requirements", type=int, default=31)
    parser.add_argument("--repeat", type=int, default=5)
    add_database_arguments(parser)
    args = parser.parse_args()
    with bench_databases(args) as dbs:
        name = build_open_runs(dbs, args.requirements)
        with dbs.raw(name) as conn:
            open_runs = conn.execute("SELECT count(*) FROM assignment").fetchone()[0]
        figures = paired(dbs, name, args.repeat)
    print(json.dumps({"database": args.database, "open_runs": open_runs, **figures}))


if __name__ == "__main__":
    main()
