"""`chidao status` of the national demo's Ministry plan (20/KH-BGDĐT: a plan from each of the
34 Sở, a report from each of the 32,700 schools and classes) on the synthetic national tree
(36,056 units): the default per-level summary, `--depth 2`, `--late` and the full `--tree`,
each as a user runs it (the installed command in its own process: wall and CPU seconds,
median of `--repeat`; peak RSS) and the summary also in process (the command through Typer's
runner, imports warm). Next to them in the same run: `chidao --help` (what any command costs
to start) and the driver's own GROUP BY of the same runs per level (the yardstick of the
in-process time). The goal (≤ 1 s) is checked on the summary's CPU seconds: on a shared
machine its wall time measures the neighbours too (both are printed).

Run: .venv/bin/python -m bench.status_national [--repeat 3] [--database postgresql]
     [--old-tree: also the whole tree as the command built it before, in process]
Last line: {"database", "units", "runs", "summary_seconds", "lines", "depth2_seconds",
            "late_seconds", "goal_met", …}
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from bench.cascade import build_template
from bench.databases import Databases, add_database_arguments, bench_databases
from chidao.cli.main import app
from chidao.config.calendar_source import vietnam_calendar
from chidao.config.clock import resolve_now
from chidao.config.settings import Settings
from chidao.db.database import make_engine, transaction
from chidao.demo.scenario import NATIONAL_DIRECTIVE
from chidao.domain.specs import parse_directive
from chidao.services.issue import issue_directive

CHIDAO = str(Path(sys.executable).with_name("chidao"))
REF = NATIONAL_DIRECTIVE["number_symbol"]
STORY_AT = "2026-03-25T09:00"  # the demo's moment: the 34 Sở plans are late
AFTER_YEAR = "2026-07-01T09:00"  # every report's deadline passed: 32,734 late units
PER_LEVEL = ("SELECT u.depth, COUNT(*), SUM(CASE WHEN a.status <> 'issued' THEN 1 ELSE 0 END),"
             " SUM(CASE WHEN a.status IN ('submitted', 'accepted') THEN 1 ELSE 0 END),"
             " COUNT(DISTINCT a.unit_id) FROM assignment a JOIN unit u ON u.id = a.unit_id"
             " WHERE a.directive_id = {directive} AND a.status NOT IN ('cancelled', 'waived')"
             " GROUP BY u.depth")


def build(dbs: Databases) -> tuple[str, int, int, int]:
    url = build_template(dbs)
    engine = make_engine(url)
    started = time.perf_counter()
    with transaction(engine) as session:
        issued = issue_directive(session, parse_directive(NATIONAL_DIRECTIVE),
                                 now=resolve_now("2026-02-26T09:00"),
                                 calendar=vietnam_calendar(), rules=Settings().rules())
    print(f"{REF}: {issued.created} runs issued in {time.perf_counter() - started:.1f} s",
          flush=True)
    engine.dispose()
    dbs.settle("template")
    with dbs.raw("template") as conn:
        units = conn.execute("SELECT COUNT(*) FROM unit").fetchone()[0]
    return url, units, issued.created, issued.directive_id


# Runs the command as a child of this small process: a child forked from the benchmark itself
# would report the benchmark's own peak RSS as its own (Linux keeps the high-water mark across
# fork and exec). Prints the child's wall seconds, CPU seconds and peak RSS on stderr.
MEASURE = """
import os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print("MEASURED", time.perf_counter() - started, usage.ru_utime + usage.ru_stime,
      usage.ru_maxrss, file=sys.stderr)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def command(url: str, *args: str) -> tuple[float, float, int, float]:
    """The installed command in its own process: wall and CPU seconds, lines printed, peak
    RSS (MB)."""
    env = {**os.environ, "CHIDAO_DATABASE_URL": url, "COLUMNS": "200"}
    env.pop("PREFECT_API_URL", None)
    process = subprocess.Popen([sys.executable, "-S", "-c", MEASURE, CHIDAO, *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert process.stdout is not None and process.stderr is not None
    lines = sum(1 for _ in process.stdout)
    measured = process.stderr.read().decode().split()
    assert process.wait() == 0, (args, measured)
    return float(measured[-3]), float(measured[-2]), lines, int(measured[-1]) / 1024

def timed(repeat: int, url: str, *args: str) -> dict[str, Any]:
    runs = [command(url, *args) for _ in range(repeat)]
    return {"seconds": statistics.median(r[0] for r in runs),
            "cpu_seconds": statistics.median(r[1] for r in runs), "lines": runs[0][2],
            "peak_mb": max(r[3] for r in runs)}


def in_process(repeat: int, url: str) -> float:
    """The summary through Typer's runner in this process (imports done by a first call)."""
    runner, times = CliRunner(), []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        done = runner.invoke(app, ["--db", url, "status", REF, "--now", STORY_AT])
        times.append(time.perf_counter() - started)
        assert done.exit_code == 0, done.output
    return statistics.median(times[1:])


def old_tree(url: str) -> tuple[float, int]:
    """What `chidao status` printed before the summary: the whole tree built in Python
    (chidao.queries.status_tree, still the demo's) and drawn by rich; seconds, lines."""
    import io

    from rich.console import Console

    from chidao.cli.render import cascade_tree
    from chidao.db.database import reading
    from chidao.db.lookup import directive_by_ref
    from chidao.queries.status_tree import status_tree

    engine, out = make_engine(url), io.StringIO()
    started = time.perf_counter()
    with reading(engine) as session:
        tree = status_tree(session, directive_by_ref(session, REF),
                           now=resolve_now(STORY_AT), calendar=vietnam_calendar())
    Console(file=out, width=200).print(cascade_tree(tree))
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed, out.getvalue().count("\n")


def yardstick(dbs: Databases, repeat: int, directive: int) -> float:
    times = []
    with dbs.raw("template") as conn:
        for _ in range(repeat):
            started = time.perf_counter()
            conn.execute(PER_LEVEL.format(directive=int(directive))).fetchall()
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--old-tree", action="store_true",
                        help="Also time the tree the command printed before (slow: ~30 s).")
    add_database_arguments(parser)
    args = parser.parse_args()
    r = args.repeat
    with bench_databases(args) as dbs:
        url, units, runs, directive = build(dbs)
        start = timed(r, url, "--help")
        summary = timed(r, url, "status", REF, "--now", STORY_AT)
        depth2 = timed(r, url, "status", REF, "--now", STORY_AT, "--depth", "2")
        late = timed(r, url, "status", REF, "--now", STORY_AT, "--late")
        late_all = timed(1, url, "status", REF, "--now", AFTER_YEAR, "--late")
        tree = timed(1, url, "status", REF, "--now", STORY_AT, "--tree")
        inside, raw = in_process(r, url), yardstick(dbs, r, directive)
        old = old_tree(url) if args.old_tree else None
    for name, figures in (("--help", start), ("summary", summary), ("--depth 2", depth2),
                          ("--late", late), ("--late after the year", late_all),
                          ("--tree", tree)):
        print(f"{name}: {figures['seconds']:.3f} s ({figures['cpu_seconds']:.3f} s CPU),"
              f" {figures['lines']} lines,"
              f" peak {figures['peak_mb']:.0f} MB", flush=True)
    print(json.dumps({
        "database": args.database, "units": units, "runs": runs,
        "summary_seconds": round(summary["seconds"], 3),
        "summary_cpu_seconds": round(summary["cpu_seconds"], 3), "lines": summary["lines"],
        "depth2_seconds": round(depth2["seconds"], 3), "depth2_lines": depth2["lines"],
        "late_seconds": round(late["seconds"], 3), "late_lines": late["lines"],
        "late_all_seconds": round(late_all["seconds"], 3), "late_all_lines": late_all["lines"],
        "tree_seconds": round(tree["seconds"], 3), "tree_lines": tree["lines"],
        "tree_peak_mb": round(tree["peak_mb"]), "summary_peak_mb": round(summary["peak_mb"]),
        "tree_cpu_seconds": round(tree["cpu_seconds"], 3),
        "start_seconds": round(start["seconds"], 3),
        "start_cpu_seconds": round(start["cpu_seconds"], 3),
        "summary_in_process_seconds": round(inside, 4), "yardstick_seconds": round(raw, 4),
        "ratio": round(inside / raw, 2),
        **({"old_tree_seconds": round(old[0], 2), "old_tree_lines": old[1]} if old else {}),
        "goal_met": summary["cpu_seconds"] <= 1}))


if __name__ == "__main__":
    main()
