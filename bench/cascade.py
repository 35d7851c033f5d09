"""Cascade benchmark: one directive from the Ministry to every school and independent class of
a synthetic national tree, next to plain sqlite3 executemany of the same rows in the same run.

Run: .venv/bin/python bench/cascade.py [--repeat 3]
Last line: {"units": N, "seconds": ours, "baseline_seconds": raw, "ratio": ours/raw}
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config.database import make_engine, migrate, transaction  # noqa: E402
from domain.calendar import vietnam_calendar  # noqa: E402
from domain.specs import parse_directive  # noqa: E402
from flows.clock import resolve_now  # noqa: E402
from flows.issue import issue_directive  # noqa: E402
from flows.national_tree import national_rows  # noqa: E402
from flows.units_import import import_units  # noqa: E402

DIRECTIVE = {
    "number_symbol": "17/KH-BGDĐT", "issuer": "BGDDT", "issued_on": "2026-02-26",
    "title": "Kế hoạch triển khai giáo dục STEM trong giáo dục mầm non",
    "requirements": [{
        "key": "ke-hoach", "kind": "plan", "title": "Xây dựng kế hoạch của cơ sở",
        "to": {"descendants": {"kind": ["school", "independent_class"]}},
        "due": {"working_days_after_issue": 20}}],
}
COLUMNS = ("requirement_id, directive_id, unit_id, period, due_on, due_at, status,"
           " status_changed_at, submitted_at, fulfilled_by_id, next_action_at, created_at")


def build_template(folder: Path) -> Path:
    path = folder / "template.db"
    migrate(f"sqlite:///{path}")
    engine = make_engine(f"sqlite:///{path}")
    started = time.perf_counter()
    with transaction(engine) as session:
        result = import_units(session, national_rows(), now=resolve_now("2026-01-05T08:00"))
    print(f"tree: {result.total} units imported in {time.perf_counter() - started:.2f} s")
    engine.dispose()
    return path


def ours(db: Path) -> tuple[float, int]:
    engine = make_engine(f"sqlite:///{db}")
    spec = parse_directive(DIRECTIVE)
    calendar = vietnam_calendar()
    calendar.add_working_days(spec.issued_on, 30)  # warm the holiday table, as a server would
    with engine.connect():
        pass  # open the connection (pragmas) outside the timing, as a pooled server would
    started = time.perf_counter()
    with transaction(engine) as session:
        result = issue_directive(session, spec, now=resolve_now("2026-02-26T09:00"),
                                 calendar=calendar)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed, result.created


def raw(db: Path, source: Path) -> tuple[float, int]:
    """The same rows, pre-built as tuples, through plain sqlite3 executemany in one transaction."""
    with sqlite3.connect(source) as src:
        rows = src.execute(f"SELECT {COLUMNS} FROM assignment").fetchall()
        directive = src.execute("SELECT * FROM directive").fetchall()
        requirement = src.execute("SELECT * FROM requirement").fetchall()
    conn = sqlite3.connect(db, isolation_level=None)
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    for table, values in (("directive", directive), ("requirement", requirement)):
        conn.executemany(f"INSERT INTO {table} VALUES ({','.join('?' * len(values[0]))})", values)
    placeholders = ",".join("?" * 12)
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO assignment ({COLUMNS}) VALUES ({placeholders})", rows)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="chidao-bench-") as tmp:
        folder = Path(tmp)
        template = build_template(folder)
        ours_times, raw_times, units = [], [], 0
        for i in range(args.repeat):
            mine, theirs = folder / f"ours{i}.db", folder / f"raw{i}.db"
            shutil.copy(template, mine)
            shutil.copy(template, theirs)
            seconds, units = ours(mine)
            baseline, count = raw(theirs, mine)
            assert count == units, (count, units)
            ours_times.append(seconds)
            raw_times.append(baseline)
            print(f"run {i + 1}: ours {seconds:.3f} s, raw executemany {baseline:.3f} s")
    seconds, baseline = statistics.median(ours_times), statistics.median(raw_times)
    print(json.dumps({"units": units, "seconds": round(seconds, 4),
                      "baseline_seconds": round(baseline, 4),
                      "ratio": round(seconds / baseline, 2)}))


if __name__ == "__main__":
    main()
