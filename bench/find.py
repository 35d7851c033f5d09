"""Finding a unit by name on the national tree (36,000 units): the Ministry searching its whole
tree and a department searching its own, accent-insensitive (chidao.queries.org_tree).

Run: .venv/bin/python -m bench.find [--repeat 20] [--database postgresql]
Last line: {"database": …, "ministry_p50_ms": .., "ministry_p95_ms": .., "department_p50_ms": ..,
"department_p95_ms": .., "found": ..}
"""

from __future__ import annotations

import argparse
import json
import time

from sqlmodel import select

from bench.cascade import build_template
from bench.databases import add_database_arguments, bench_databases
from bench.web import percentiles
from chidao.db.database import make_engine, reading
from chidao.domain.units import Unit
from chidao.queries.org_tree import find_units


def timed(engine, code: str, words: str, repeat: int) -> tuple[list[float], int]:
    samples, found = [], 0
    with reading(engine) as session:
        under = session.exec(select(Unit).where(Unit.code == code)).one()
        for _ in range(repeat):
            started = time.perf_counter()
            units, _ = find_units(session, under, words)
            samples.append((time.perf_counter() - started) * 1000)
            found = len(units)
    return samples, found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    add_database_arguments(parser)
    args = parser.parse_args()
    with bench_databases(args) as dbs:
        engine = make_engine(build_template(dbs))
        ministry, found = timed(engine, "BGDDT", "mam non 00012", args.repeat)
        department, _ = timed(engine, "S00", "mam non", args.repeat)
        engine.dispose()
    (m50, m95), (d50, d95) = percentiles(ministry), percentiles(department)
    print(json.dumps({"database": args.database, "ministry_p50_ms": round(m50, 1),
                      "ministry_p95_ms": round(m95, 1), "department_p50_ms": round(d50, 1),
                      "department_p95_ms": round(d95, 1), "found": found}))


if __name__ == "__main__":
    main()
