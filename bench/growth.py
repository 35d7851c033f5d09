"""Growth curves: each cost at three sizes, and the exponent of cost vs size (the least-squares
slope of log(seconds) against log(size): 1.0 = linear, 0 = flat).

- cascade: one directive to every school and class of a tree 0.1× / 1× / 10× the national one
  (3,270 / 32,700 / 327,000 runs created; bench.cascade);
- sweep: 100k / 1M / 5M open runs, 1% due (bench.sweep's database, commit included): linear
  in the due runs, so ≈1 against open runs too;
- sweep_fixed_due: the same databases with only the first 1,000 due runs (100 with --quick;
  and the late leads among them) left due: the cost of the open runs that are not due,
  expected ≈0;
- rollup: reading the national root's rollup (bench.rollup, queries.rollup) over 3,270 /
  32,700 / 327,000 submissions, as a running server reads it: from the kept rollup tables,
  O(the root's children), expected ≈0.

Each size is built in a process of its own, then measured in another one, whose peak RSS
(ru_maxrss, as bench/run_all.py reads it) is the size's `peak_mb` and `base_mb` its RSS just
before the measured work: the sweep's should stay flat against open runs, the others grow at
most linearly.

Run: .venv/bin/python -m bench.growth [--quick] [--curves cascade sweep rollup]
     [--repeat 3] [--database sqlite|postgresql]
(--quick: every size ÷10, for bench/run_all.py; the full sizes take several minutes.)
Last line: {"database": …, "curves": {"cascade": {"sizes": […], "seconds": […],
            "peak_mb": […], "base_mb": […], "exponent": x}, "sweep": …, "sweep_fixed_due": …,
            "rollup": …}}
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.databases import (
    Databases,
    PostgresDatabases,
    SqliteDatabases,
    add_database_arguments,
)

ROOT = Path(__file__).resolve().parent.parent
# Per curve, the three sizes' build parameter: a tree scale, or a number of requirements to
# every school and class of the national tree (32,700 runs each).
SIZES = {"cascade": (0.1, 1.0, 10.0), "sweep": (3, 31, 153), "rollup": (0.1, 1.0, 10.0)}
FIXED_DUE = 1_000  # sweep_fixed_due: due runs left, whatever the number of open runs (÷10
# with --quick)


def exponent(sizes: list[float], seconds: list[float]) -> float:
    """The least-squares slope of log(seconds) against log(size)."""
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in seconds]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


# ---- in a child process: build one size, or measure it ------------------------------------

def build(dbs: Databases, curve: str, parameter: float, quick: bool) -> dict[str, Any]:
    import bench.cascade
    from bench.sweep import build_open_runs, checkpoint

    if curve == "cascade":
        bench.cascade.build_template(dbs, "growth", scale=parameter / (10 if quick else 1))
        checkpoint(dbs, "growth")
    elif curve == "sweep":
        bench.cascade.TREE_SCALE = 0.1 if quick else 1.0
        build_open_runs(dbs, int(parameter), "growth")
    else:
        from bench.rollup import build as build_rollup
        from bench.rollup import rebuilt

        bench.cascade.TREE_SCALE = parameter / (10 if quick else 1)
        rebuilt(build_rollup(dbs))  # bench.rollup's own database, "template"; values written
        checkpoint(dbs, "template")  # raw, so the kept tables are rebuilt from them
    return {}


def measure(dbs: Databases, curve: str, repeat: int, quick: bool) -> dict[str, Any]:
    """Median seconds of `repeat` runs, the size measured, and this process's memory."""
    if curve == "sweep_fixed_due":
        leave_due(dbs, FIXED_DUE // (10 if quick else 1))
        curve = "sweep"
    measures: dict[str, Callable[[Databases, int], tuple[list[float], int, float]]] = {
        "cascade": _cascade, "sweep": _sweep, "rollup": _rollup}
    times, size, base = measures[curve](dbs, repeat)
    return {"seconds": statistics.median(times), "size": size, "peak_mb": round(peak_mb()),
            "base_mb": round(base)}


def _cascade(dbs: Databases, repeat: int) -> tuple[list[float], int, float]:
    from bench.cascade import ours

    times, base, runs = [], peak_mb(), 0
    for i in range(repeat):
        url = dbs.copy("growth", f"growth_run{i}")
        seconds, runs = ours(url)
        times.append(seconds)
        dbs.drop(f"growth_run{i}")
    return times, runs, base


def _sweep(dbs: Databases, repeat: int) -> tuple[list[float], int, float]:
    from bench.sweep import Written, checkpoint, ours

    checkpoint(dbs, "growth")
    written, times, base = Written(dbs, "growth"), [], peak_mb()
    ours(dbs.url("growth"))  # not timed: the statements compiled, the pages read once
    written.reset()
    for _ in range(repeat):
        seconds, examined, _ = ours(dbs.url("growth"))
        assert examined == len(written.before), (examined, len(written.before))
        times.append(seconds)
        written.reset()
    return times, _open_runs(dbs), base


def leave_due(dbs: Databases, due: int) -> None:
    """Only the first `due` due runs (1% of the runs are due, every 100th id) and the late
    leads among them stay due."""
    bound = due * 100
    later = dbs.stamp(datetime_of("2026-03-18T07:30"))
    m = dbs.marker
    with dbs.raw("growth") as conn:
        conn.execute(f"UPDATE assignment SET next_action_at = {m} WHERE id > {bound}"
                     f" AND next_action_at < {m}", (later, later))
        conn.execute(f"UPDATE task_holder SET due_on = NULL WHERE assignment_id > {bound}")
    dbs.settle("growth")


def _rollup(dbs: Databases, repeat: int) -> tuple[list[float], int, float]:
    from bench.rollup import ours

    times, base, reported = [], peak_mb(), 0
    for _ in range(repeat):
        _, seconds, reported = ours(dbs.url("template"), "BGDDT")  # as a running server reads
        times.append(seconds)
    return times, reported, base


def _open_runs(dbs: Databases) -> int:
    with dbs.raw("growth") as conn:
        return int(conn.execute("SELECT count(*) FROM assignment").fetchone()[0])


def datetime_of(text: str) -> Any:
    from chidao.config.clock import resolve_now

    return resolve_now(text)


# ---- the parent: every size in processes of its own ---------------------------------------

def child(args: argparse.Namespace, where: str, *step: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.growth", *step, "--at", where, "--database",
               args.database, "--repeat", str(args.repeat), *(["--quick"] if args.quick else [])]
    if args.postgres_url:
        command += ["--postgres-url", args.postgres_url]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(step)} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def curves_of(args: argparse.Namespace, dbs: Databases, where: str,
              curve: str) -> dict[str, list[dict[str, Any]]]:
    """Per curve (the sweep gives two), its points at the three sizes."""
    measured = ["sweep", "sweep_fixed_due"] if curve == "sweep" else [curve]
    points: dict[str, list[dict[str, Any]]] = {name: [] for name in measured}
    for parameter in SIZES[curve]:
        started = time.perf_counter()
        child(args, where, "--build", curve, "--parameter", str(parameter))
        built = time.perf_counter() - started
        for name in measured:
            point = child(args, where, "--measure", name)
            points[name].append(point)
            print(f"{name} at {point['size']:,}: {point['seconds']:.3f} s, peak"
                  f" {point['peak_mb']} MB (built in {built:.0f} s)", flush=True)
        for leftover in ("growth", "template"):
            dbs.drop(leftover)
    return points


def summary(points: list[dict[str, Any]]) -> dict[str, Any]:
    sizes, seconds = [p["size"] for p in points], [p["seconds"] for p in points]
    return {"sizes": sizes, "seconds": [round(s, 4) for s in seconds],
            "peak_mb": [p["peak_mb"] for p in points], "base_mb": [p["base_mb"] for p in points],
            "exponent": round(exponent(sizes, seconds), 2)}


def databases_at(args: argparse.Namespace, where: str) -> Databases:
    if args.database == "sqlite":
        return SqliteDatabases(Path(where))
    if not args.postgres_url:
        raise SystemExit("--database postgresql needs --postgres-url or"
                         " CHIDAO_BENCH_POSTGRES_URL")
    dbs = PostgresDatabases(args.postgres_url)
    dbs.prefix = where
    return dbs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--curves", nargs="*", choices=list(SIZES), default=list(SIZES))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="every size ÷10")
    parser.add_argument("--at", help=argparse.SUPPRESS)  # children: the folder / prefix
    parser.add_argument("--build", choices=list(SIZES), help=argparse.SUPPRESS)
    parser.add_argument("--parameter", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    add_database_arguments(parser)
    args = parser.parse_args()
    if args.build:
        print(json.dumps(build(databases_at(args, args.at), args.build, args.parameter,
                               args.quick)))
        return
    if args.measure:
        print(json.dumps(measure(databases_at(args, args.at), args.measure, args.repeat,
                                 args.quick)))
        return
    with tempfile.TemporaryDirectory(prefix="chidao-growth-") as tmp:
        where = tmp if args.database == "sqlite" else f"growth_{Path(tmp).name[-8:].lower()}_"
        dbs = databases_at(args, where)
        try:
            points: dict[str, list[dict[str, Any]]] = {}
            for curve in args.curves:
                points.update(curves_of(args, dbs, where, curve))
        finally:
            for leftover in ("growth", "template", *(f"growth_run{i}"
                                                      for i in range(args.repeat))):
                dbs.drop(leftover)
    print(json.dumps({"database": args.database, "quick": args.quick,
                      "curves": {name: summary(p) for name, p in points.items()}}))


if __name__ == "__main__":
    main()
