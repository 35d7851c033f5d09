"""Rollup benchmark: 32,700 accepted submissions × 10 fields on the national tree, rolled up
for the Ministry (national total and each of the 34 departments) and for one department (its
~98 communes) from the kept rollup tables, and the full rebuild of those tables (repair), each
next to raw SQL run through the driver in the same run (paired: each repeat runs both, in
alternating order; medians reported).

Run: .venv/bin/python -m bench.rollup [--repeat 5] [--database postgresql]
Last line: {"database": …, "submissions": N, "read_root_ms": reading the national root and its
            34 children (as a running server does), "read_root_cold_ms": the same on a new
            engine (its statements compiled), "rebuild_seconds": a full rebuild, committed
            (DELETE of the old rows, then per table one INSERT … SELECT),
            "rebuild_group_by_seconds": THE yardstick: the rebuild's own two SELECTs (runs and
            values grouped per node and summed into every ancestor through unit_ancestor,
            every part of both the all-values and the accepted-only aggregates), compiled by
            chidao.services.rollup_store.rebuild_selects and run raw, their rows fetched:
            the same GROUP BY over the same rows without writing them,
            "rebuild_ratio": rebuild / that (goal ≤ 1.5),
            "group_by_seconds": an easier, older yardstick: one raw GROUP BY field of the
            accepted values (10 groups, 4 aggregates, no tree),
            "rebuild_field_ratio": rebuild / that,
            "node_group_by_seconds": another older one: the accepted values grouped per
            (parent unit, field), 4 aggregates, "rebuild_node_ratio": rebuild / that,
            "seconds": read (s), "baseline_seconds": the GROUP BY field,
            "ratio": read / that}
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time

from sqlalchemy import select

from bench.cascade import build_template
from bench.databases import Databases, add_database_arguments, bench_databases
from chidao.config.calendar_source import vietnam_calendar
from chidao.config.clock import resolve_now
from chidao.config.settings import Settings
from chidao.db.database import make_engine, reading, transaction
from chidao.domain.directives import requirement_table
from chidao.domain.reports import form_spec
from chidao.domain.specs import parse_directive
from chidao.domain.units import Unit
from chidao.queries.rollup import rollup
from chidao.services.forms_store import form_by_ref
from chidao.services.issue import issue_directive
from chidao.services.rollup_store import rebuild, rebuild_selects

FIELDS = [{"key": f"chi_tieu_{i}", "label": f"Chỉ tiêu {i}", "type": "integer", "min": 0}
          for i in range(8)]
FIELDS += [{"key": "ty_le", "label": "Tỷ lệ", "type": "decimal", "aggregate": "mean",
            "weight": "chi_tieu_0"},
           {"key": "dat_chuan", "label": "Đạt chuẩn", "type": "boolean"}]


def build(dbs: Databases) -> str:
    url = build_template(dbs)
    engine = make_engine(url)
    with transaction(engine) as session:
        issue_directive(session, parse_directive({
            "number_symbol": "19/KH-BGDĐT", "issuer": "BGDDT", "issued_on": "2026-03-02",
            "title": "Thống kê giáo dục mầm non",
            "forms": [{"key": "thong-ke", "title": "Thống kê", "fields": FIELDS}],
            "requirements": [{"key": "tk", "kind": "report", "form": "thong-ke",
                              "title": "Báo cáo thống kê",
                              "to": {"descendants": {"kind": ["school", "independent_class"]}},
                              "due": "2026-05-29"}]}),
            now=resolve_now("2026-03-02T09:00"), calendar=vietnam_calendar(),
            rules=Settings().rules())
    engine.dispose()
    rng = random.Random(7)
    with dbs.raw("template") as conn:
        runs = conn.execute("SELECT id, unit_id, requirement_id FROM assignment").fetchall()
        rows = []
        for run_id, unit_id, requirement_id in runs:
            weight = float(rng.randint(10, 300))
            numbers = [weight] + [float(rng.randint(0, 50)) for _ in range(7)]
            rows += [(run_id, f"chi_tieu_{i}", requirement_id, "", unit_id, n, None, None, True)
                     for i, n in enumerate(numbers)]
            rows.append((run_id, "ty_le", requirement_id, "", unit_id,
                         float(rng.randint(50, 100)), None, weight, True))
            rows.append((run_id, "dat_chuan", requirement_id, "", unit_id,
                         float(rng.randint(0, 1)), None, None, True))
        conn.execute("BEGIN")
        conn.cursor().executemany("INSERT INTO report_value (assignment_id, field,"
                                  " requirement_id, period, unit_id, number, text, weight,"
                                  f" accepted) VALUES ({dbs.markers(9)})", rows)
        conn.execute("UPDATE assignment SET status = 'accepted'")
        conn.execute("COMMIT")
    dbs.settle("template")
    print(f"{len(runs)} submissions, {len(rows)} values", flush=True)
    return url


def ours(url: str, node_code: str) -> tuple[float, float, int]:
    """(seconds of the first read on a new engine: statements compiled; of the next read, as a
    running server reads; the node's reported count)."""
    engine = make_engine(url)
    times = []
    with reading(engine) as session:
        node = session.execute(select(Unit).where(Unit.code == node_code)).scalar_one()
        requirement_id, directive_id = session.execute(select(
            requirement_table.c.id, requirement_table.c.directive_id).where(
            requirement_table.c.key == "tk")).one()
        form = form_spec(form_by_ref(session, "thong-ke", field="form",
                                     directive_id=directive_id))
        for _ in range(2):
            started = time.perf_counter()
            nodes = rollup(session, requirement_ids=[requirement_id], period="", node=node,
                           form=form)
            times.append(time.perf_counter() - started)
    engine.dispose()
    return times[0], times[1], nodes[0].reported


def rebuilt(url: str) -> float:
    """A full rebuild of the rollup tables, committed."""
    engine = make_engine(url)
    started = time.perf_counter()
    with transaction(engine) as session:
        rebuild(session)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def rebuild_sql(url: str) -> list[str]:
    """The SELECTs of the rebuild, as the database receives them (values inlined)."""
    engine = make_engine(url)
    sql = [str(rows.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
           for _, rows in rebuild_selects()]
    engine.dispose()
    return sql


def raw_rebuild_select(dbs: Databases, sql: list[str]) -> float:
    """The rebuild's SELECTs run raw through the driver, their rows fetched."""
    with dbs.raw("template") as conn:
        started = time.perf_counter()
        for statement in sql:
            conn.execute(statement).fetchall()
        return time.perf_counter() - started


def raw(dbs: Databases) -> float:
    with dbs.raw("template") as conn:
        started = time.perf_counter()
        conn.execute("SELECT field, count(*), sum(number), min(number), max(number)"
                     " FROM report_value WHERE accepted GROUP BY field").fetchall()
        return time.perf_counter() - started


def raw_by_node(dbs: Databases) -> float:
    """The same GROUP BY keyed as the rebuild's main pass: per parent unit and field."""
    with dbs.raw("template") as conn:
        started = time.perf_counter()
        conn.execute("SELECT u.parent_id, v.field, count(*), sum(v.number), min(v.number),"
                     " max(v.number) FROM report_value v JOIN unit u ON u.id = v.unit_id"
                     " WHERE v.accepted GROUP BY u.parent_id, v.field").fetchall()
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    add_database_arguments(parser)
    args = parser.parse_args()
    with bench_databases(args) as dbs:
        db = build(dbs)
        national, cold, department, baseline, rebuilds, by_node = [], [], [], [], [], []
        selects, sql = [], rebuild_sql(db)
        for repeat in range(args.repeat):  # paired, in alternating order
            if repeat % 2:
                selects.append(raw_rebuild_select(dbs, sql))
            rebuilds.append(rebuilt(db))
            if not repeat % 2:
                selects.append(raw_rebuild_select(dbs, sql))
            baseline.append(raw(dbs))
            by_node.append(raw_by_node(dbs))
        dbs.settle("template")  # the rebuilt tables analysed, as autovacuum soon would
        for _ in range(args.repeat):
            first, seconds, reported = ours(db, "BGDDT")
            national.append(seconds)
            cold.append(first)
            department.append(ours(db, "S00")[1])
        print(f"ministry (national + 34 departments): {statistics.median(national):.4f} s;"
              f" one department (its communes): {statistics.median(department):.4f} s;"
              f" rebuild: {statistics.median(rebuilds):.3f} s;"
              f" its SELECT raw: {statistics.median(selects):.3f} s;"
              f" raw GROUP BY field: {statistics.median(baseline):.3f} s")
    seconds, raw_seconds = statistics.median(national), statistics.median(baseline)
    rebuild_seconds, select_seconds = statistics.median(rebuilds), statistics.median(selects)
    print(json.dumps({"database": args.database, "submissions": reported,
                      "read_root_ms": round(seconds * 1000, 2),
                      "read_root_cold_ms": round(statistics.median(cold) * 1000, 2),
                      "rebuild_seconds": round(rebuild_seconds, 4),
                      "rebuild_group_by_seconds": round(select_seconds, 4),
                      "rebuild_ratio": round(rebuild_seconds / select_seconds, 2),
                      "group_by_seconds": round(raw_seconds, 4),
                      "rebuild_field_ratio": round(rebuild_seconds / raw_seconds, 2),
                      "node_group_by_seconds": round(statistics.median(by_node), 4),
                      "rebuild_node_ratio": round(rebuild_seconds / statistics.median(by_node),
                                                  2),
                      "seconds": round(seconds, 4),
                      "baseline_seconds": round(raw_seconds, 4),
                      "ratio": round(seconds / raw_seconds, 3)}))


if __name__ == "__main__":
    main()
