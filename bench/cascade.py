"""Cascade benchmark: one directive from the Ministry to every school and independent class of
a synthetic national tree, next to the driver's plain executemany of the same rows (sqlite3 or
psycopg) in the same run, on the same database.

Run: .venv/bin/python -m bench.cascade [--repeat 3] [--database sqlite|postgresql]
Last line: {"database": …, "units": N, "seconds": ours, "baseline_seconds": raw, "ratio": …}
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from bench.databases import Databases, add_database_arguments, bench_databases
from chidao.config.calendar_source import vietnam_calendar
from chidao.config.clock import resolve_now
from chidao.config.settings import Settings
from chidao.db.database import make_engine, transaction
from chidao.demo.national_tree import (
    COMMUNES,
    DEPARTMENTS,
    INDEPENDENT_CLASSES,
    PRESCHOOLS,
    national_rows,
)
from chidao.domain.specs import parse_directive
from chidao.domain.unit_tree import UnitRow
from chidao.services.issue import issue_directive
from chidao.services.units_import import import_units

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


# The size of the tree build_template makes when not told: 1 = the national tree (32,700
# schools and classes); bench.growth sets it for benchmarks that build their own databases.
TREE_SCALE = 1.0


def tree_rows(scale: float) -> list[UnitRow]:
    """The national tree (scale 1) or one like it with `scale` × its communes, schools and
    classes (e.g. 0.1: 3,270 schools and classes; 10: 327,000) under the same 34 Sở."""
    if scale == 1:
        return national_rows()
    rows = [UnitRow(1, "BGDDT", "Bộ Giáo dục và Đào tạo", "ministry", None,
                    ["vanthu@moet.gov.vn"], "BGDĐT")]
    rows += [UnitRow(len(rows) + 1 + d, f"S{d:02d}", f"Sở Giáo dục và Đào tạo {d}", "department",
                     "BGDDT", [f"vanthu.sgddt{d}@gov.vn"], "SGDĐT") for d in range(DEPARTMENTS)]
    communes = max(1, round(COMMUNES * scale))
    rows += [UnitRow(len(rows) + 1 + c, f"S{c % DEPARTMENTS:02d}-X{c:05d}", f"Ủy ban nhân dân xã"
                     f" {c}", "people_committee", f"S{c % DEPARTMENTS:02d}",
                     [f"ubnd{c}@gov.vn"], "UBND") for c in range(communes)]
    schools = round(PRESCHOOLS * scale)
    for s in range(schools + round(INDEPENDENT_CLASSES * scale)):
        commune = rows[1 + DEPARTMENTS + s % communes].code
        school = s < schools
        code = f"{commune}-{'MN' if school else 'L'}{s:06d}"
        rows.append(UnitRow(len(rows) + 1, code, f"Trường Mầm non {s}" if school else
                            f"Nhóm trẻ độc lập {s}", "school" if school else "independent_class",
                            commune, [f"{code.lower()}@truong.edu.vn"], "MN" if school else ""))
    return rows


def build_template(dbs: Databases, name: str = "template", scale: float | None = None) -> str:
    """A migrated database `name` holding the national tree (or one `scale` times as wide:
    `tree_rows`); returns its URL."""
    url = dbs.create(name)
    engine = make_engine(url)
    started = time.perf_counter()
    rows = tree_rows(TREE_SCALE if scale is None else scale)
    with transaction(engine) as session:
        result = import_units(session, rows, now=resolve_now("2026-01-05T08:00"))
    print(f"tree: {result.total} units imported in {time.perf_counter() - started:.2f} s"
          f" ({dbs.kind})", flush=True)
    engine.dispose()
    dbs.settle(name)
    return url


def ours(url: str) -> tuple[float, int]:
    engine = make_engine(url)
    spec = parse_directive(DIRECTIVE)
    calendar = vietnam_calendar()
    calendar.add_working_days(spec.issued_on, 30)  # warm the holiday table, as a server would
    with engine.connect():
        pass  # open the connection (pragmas) outside the timing, as a pooled server would
    started = time.perf_counter()
    with transaction(engine) as session:
        result = issue_directive(session, spec, now=resolve_now("2026-02-26T09:00"),
                                 calendar=calendar, rules=Settings().rules())
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed, result.created


def raw(dbs: Databases, name: str, source: str) -> tuple[float, int]:
    """The same rows, pre-built as tuples, through the driver's executemany in one
    transaction."""
    with dbs.raw(source) as src:
        rows = src.execute(f"SELECT {COLUMNS} FROM assignment").fetchall()
        directive = src.execute("SELECT * FROM directive").fetchall()
        requirement = src.execute("SELECT * FROM requirement").fetchall()
    with dbs.raw(name) as conn:
        cursor = conn.cursor()
        for table, values in (("directive", directive), ("requirement", requirement)):
            cursor.executemany(f"INSERT INTO {table} VALUES ({dbs.markers(len(values[0]))})",
                               dbs.rows(values))
        started = time.perf_counter()
        cursor.execute("BEGIN")
        cursor.executemany(f"INSERT INTO assignment ({COLUMNS}) VALUES ({dbs.markers(12)})",
                           rows)
        cursor.execute("COMMIT")
        elapsed = time.perf_counter() - started
    return elapsed, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    add_database_arguments(parser)
    args = parser.parse_args()
    with bench_databases(args) as dbs:
        build_template(dbs)
        ours_times, raw_times, units = [], [], 0
        for i in range(args.repeat):
            mine = dbs.copy("template", f"ours{i}")
            dbs.copy("template", f"raw{i}")
            seconds, units = ours(mine)
            baseline, count = raw(dbs, f"raw{i}", f"ours{i}")
            assert count == units, (count, units)
            ours_times.append(seconds)
            raw_times.append(baseline)
            print(f"run {i + 1}: ours {seconds:.3f} s, raw executemany {baseline:.3f} s",
                  flush=True)
            dbs.drop(f"ours{i}")
            dbs.drop(f"raw{i}")
    seconds, baseline = statistics.median(ours_times), statistics.median(raw_times)
    print(json.dumps({"database": args.database, "units": units, "seconds": round(seconds, 4),
                      "baseline_seconds": round(baseline, 4),
                      "ratio": round(seconds / baseline, 2)}))


if __name__ == "__main__":
    main()
