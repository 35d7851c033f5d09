"""Aggregate benchmark: the Ministry asks the 34 departments of the synthetic national tree for
a report; each department asks all its schools (descendants) on the same form; 31,700 schools'
figures are accepted. Times one `aggregate` run that creates the 34 drafts, one with nothing
changed (what every scheduled run costs until the departments hand in), and one after 1,000
more acceptances (drafts brought up to date).

Run: .venv/bin/python -m bench.aggregate [--database sqlite|postgresql]
Last line: {"database": …, "schools": N, "first_seconds": …, "unchanged_seconds": …,
            "updated_seconds": …, "updated": N}
"""

from __future__ import annotations

import argparse
import json
import random
import time
from typing import Any

from sqlalchemy import Engine, select, text

from bench.cascade import build_template
from bench.databases import add_database_arguments, bench_databases
from chidao.config.calendar_source import vietnam_calendar
from chidao.config.clock import resolve_now
from chidao.config.settings import Settings
from chidao.db.database import make_engine, transaction
from chidao.domain.specs import parse_directive
from chidao.domain.units import Unit
from chidao.services.aggregate import AggregateRun, aggregate
from chidao.services.issue import issue_directive

FIELDS = [{"key": f"c{i}", "label": f"Chỉ tiêu {i}", "type": "integer", "min": 0}
          for i in range(6)]
FIELDS += [{"key": "dat", "label": "Đạt chuẩn", "type": "boolean"},
           {"key": "muc", "label": "Mức", "type": "choice", "choices": ["tốt", "khá", "đạt"]}]
INSERT = text("INSERT INTO report_value (assignment_id, field, requirement_id, period, unit_id,"
              " number, text, weight, accepted) VALUES (:a, :f, :r, '', :u, :n, :t, NULL, true)")


def issue(engine: Engine, data: dict[str, Any], when: str) -> None:
    with transaction(engine) as session:
        issue_directive(session, parse_directive(data), now=resolve_now(when),
                        calendar=vietnam_calendar(), rules=Settings().rules())


def build(engine: Engine) -> list[Any]:
    issue(engine, {"number_symbol": "19/KH-BGDĐT", "issuer": "BGDDT", "issued_on": "2026-03-02",
                   "title": "Thống kê", "forms": [{"key": "tk", "title": "Thống kê",
                                                   "fields": FIELDS}],
                   "requirements": [{"key": "tk", "kind": "report", "form": "tk",
                                     "title": "Báo cáo của Sở", "to": {"children": {}},
                                     "due": "2026-06-30"}]}, "2026-03-02T09:00")
    with transaction(engine) as session:
        departments = list(session.execute(select(Unit.code).where(  # type: ignore[call-overload]
            Unit.depth == 1)).scalars())
    for number, code in enumerate(departments, start=1):
        issue(engine, {"number_symbol": f"{number}/KH-SGDĐT", "issuer": code,
                       "issued_on": "2026-03-05", "title": "Thống kê của Sở",
                       "based_on": ["19/KH-BGDĐT"],
                       "requirements": [{"key": "tk-truong", "kind": "report", "form": "tk",
                                         "title": "Báo cáo của trường", "due": "2026-05-29",
                                         "to": {"descendants": {
                                             "kind": ["school", "independent_class"]}}}]},
              "2026-03-05T09:00")
    with engine.connect() as conn:
        return list(conn.execute(text(
            "SELECT a.id, a.unit_id, a.requirement_id FROM assignment a JOIN requirement r"
            " ON r.id = a.requirement_id WHERE r.key = 'tk-truong'")))


def accept(engine: Engine, runs: list[Any], rng: random.Random) -> None:
    rows = []
    for run_id, unit_id, requirement_id in runs:
        one = {"a": run_id, "r": requirement_id, "u": unit_id, "t": None}
        rows += [one | {"f": f"c{i}", "n": float(rng.randint(0, 50))} for i in range(6)]
        rows.append(one | {"f": "dat", "n": float(rng.randint(0, 1))})
        rows.append(one | {"f": "muc", "n": None, "t": rng.choice(["tốt", "khá", "đạt"])})
    with engine.begin() as conn:
        conn.execute(INSERT, rows)


def timed(engine: Engine, when: str) -> tuple[float, AggregateRun]:
    started = time.perf_counter()
    with transaction(engine) as session:
        done = aggregate(session, now=resolve_now(when))
    return time.perf_counter() - started, done


def main() -> None:
    parser = argparse.ArgumentParser()
    add_database_arguments(parser)
    args = parser.parse_args()
    with bench_databases(args) as dbs:
        engine = make_engine(build_template(dbs))
        runs = build(engine)
        rng = random.Random(7)
        accept(engine, runs[:-1000], rng)
        first, created = timed(engine, "2026-06-01T08:00")
        unchanged, same = timed(engine, "2026-06-01T08:05")
        accept(engine, runs[-1000:], rng)
        updated, changed = timed(engine, "2026-06-01T08:10")
        engine.dispose()
    print(f"first: {first:.3f} s ({len(created.created)} drafts); unchanged: {unchanged:.3f} s"
          f" ({len(same.drafts)} written); after 1,000 more: {updated:.3f} s"
          f" ({len(changed.updated)} updated)")
    print(json.dumps({"database": args.database, "schools": len(runs),
                      "first_seconds": round(first, 3), "unchanged_seconds": round(unchanged, 3),
                      "updated_seconds": round(updated, 3), "updated": len(changed.updated)}))


if __name__ == "__main__":
    main()
