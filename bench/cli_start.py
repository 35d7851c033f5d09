"""What starting the `chidao` command costs: `chidao --help`, and one-shot reads on the demo
database (the An Giang story of `chidao demo`, built here in a temporary database), against
a bare `python -c pass` of the same interpreter, run interleaved in one run so that a busy
machine slows all of them alike. Measured per child process: CPU (user + system, from
getrusage(RUSAGE_CHILDREN) deltas) and wall time; medians over --repeat rounds.

The children run as an installed program does: bytecode cached (PYTHONDONTWRITEBYTECODE is
lifted and the cache lives in a temporary PYTHONPYCACHEPREFIX, filled by one warm-up round),
without a Prefect API (a one-shot read never starts Prefect).

Run: .venv/bin/python -m bench.cli_start [--repeat 15] [--database postgresql]
Last line: {"database": …, "bare_cpu_s": .., "help_cpu_s": .., "help_ratio": ..,
"read_cpu_s": .., "read_ratio": .., "read_wall_s": .., "status_cpu_s": .., ..., "goal_met": ..}
(goal: help_ratio ≤ 5 and read_cpu_s ≤ 0.5; "read" is `chidao assignments --unit MN-HONTRE`)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.databases import add_database_arguments, bench_databases

CHIDAO = str(Path(sys.executable).parent / "chidao")
STORY_AT = "2026-03-25T09:00"  # the demo's moment (chidao demo's default --now)
HELP_RATIO_GOAL = 5.0
READ_CPU_GOAL_S = 0.5


def build_demo(url: str) -> None:
    """The province demo's story (units, KH 1039/KH-SGDĐT cascaded three levels, submissions,
    a closure, an extension) written into the migrated database at `url`."""
    from chidao.config.clock import parse_instant
    from chidao.config.runtime import build_runtime, load_settings
    from chidao.demo.scenario import run_demo

    runtime = build_runtime(load_settings(database_url=url), now=STORY_AT)
    try:
        run_demo(runtime, now=parse_instant(STORY_AT), log=lambda *_a, **_k: None)
    finally:
        runtime.close()


def commands(url: str) -> dict[str, list[str]]:
    at = ["--now", STORY_AT]
    return {
        "bare": [sys.executable, "-c", "pass"],
        "help": [CHIDAO, "--help"],
        "read": [CHIDAO, "--db", url, "assignments", "--unit", "MN-HONTRE", *at],
        "read_json": [CHIDAO, "--db", url, "assignments", "--unit", "MN-HONTRE", "--json", *at],
        "status": [CHIDAO, "--db", url, "status", "1039/KH-SGDĐT", "--depth", "1", *at],
    }


def child_env(pycache: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPYCACHEPREFIX": pycache, "COLUMNS": "120"}
    for name in ("PYTHONDONTWRITEBYTECODE", "PREFECT_API_URL", "CHIDAO_DATABASE_URL"):
        env.pop(name, None)
    return env


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one child process, which must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def measure(argvs: dict[str, list[str]], repeat: int, env: dict[str, str]
            ) -> dict[str, tuple[float, float]]:
    """Median (CPU, wall) per command, the commands interleaved round by round."""
    for argv in argvs.values():  # warm-up: fills the bytecode cache
        run_once(argv, env)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in argvs}
    for _ in range(repeat):
        for name, argv in argvs.items():
            samples[name].append(run_once(argv, env))
    return {name: (statistics.median(c for c, _ in runs), statistics.median(w for _, w in runs))
            for name, runs in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    add_database_arguments(parser)
    args = parser.parse_args()
    with bench_databases(args) as dbs, tempfile.TemporaryDirectory(prefix="chidao-pyc-") as pyc:
        url = dbs.create("demo")
        build_demo(url)
        medians = measure(commands(url), args.repeat, child_env(pyc))
    bare = medians["bare"][0]
    figures = {"database": args.database, "repeat": args.repeat}
    for name, (cpu, wall) in medians.items():
        figures[f"{name}_cpu_s"] = round(cpu, 4)
        figures[f"{name}_wall_s"] = round(wall, 4)
        if name != "bare":
            figures[f"{name}_ratio"] = round(cpu / bare, 2)
    figures["goal_met"] = (figures["help_ratio"] <= HELP_RATIO_GOAL
                           and figures["read_cpu_s"] <= READ_CPU_GOAL_S)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
