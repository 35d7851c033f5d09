"""Run every benchmark on every database at hand, each in its own process, and collect one
JSON of results: per benchmark, the goal, whether it is met on every database, and per database
each figure next to its raw baseline from the same run (same driver, same database), whether the
goal is met there, and the process's peak RSS. The last printed line is that JSON; it is also
written to bench/results/run_all.json.

Run: bash run bench  (starts a throwaway PostgreSQL on 127.0.0.1, then runs this on both), or
     .venv/bin/python bench/run_all.py [--postgres-url URL]  (SQLite only without a URL)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent  # the benchmarks run as modules of the package bench/, from here
RSS_LIMIT_MB = 500

GOALS: dict[str, tuple[str, Any]] = {
    "cli_start": ("chidao --help ≤ 5× a bare python -c pass (CPU); a one-shot read on the demo "
                  "≤ 0.5 s CPU", lambda r: r["help_ratio"] <= 5 and r["read_cpu_s"] <= 0.5),
    "status_national": ("summary of the national Ministry plan ≤ 1 s (CPU of the command's "
                        "process; wall beside it)", lambda r: r["summary_cpu_seconds"] <= 1),
    "cascade": ("ratio ≤ 2 (against the driver's executemany)", lambda r: r["ratio"] <= 2),
    "sweep": ("≤ 2× the driver's raw executemany of the same notification rows and updates (1M "
              "open runs, 1% due)", lambda r: r["ratio"] <= 2),
    "deliver": ("≥ 80% of raw aiosmtplib", lambda r: r["ratio"] >= 0.8),
    "rollup": ("national root read ≤ 10 ms; full rebuild ≤ 1.5 × one GROUP BY",
               lambda r: r["read_root_ms"] <= 10 and r["rebuild_ratio"] <= 1.5),
    "web": ("p95 ≤ 50 ms root, ≤ 50 ms commune; cascade view p95 ≤ 5 × a minimal page's",
            lambda r: r["p95_ms"] <= 50 and r["commune_p95_ms"] <= 50 and r["ratio"] <= 5),
    "growth": ("cost exponent ≤ 1.2 (cascade, sweep at 1% due, rollup read); sweep with a fixed "
               "number due ≤ 0.3, its peak RSS flat (± 10 MB)",
               lambda r: all(r["curves"][c]["exponent"] <= 1.2
                             for c in ("cascade", "sweep", "rollup"))
               and r["curves"]["sweep_fixed_due"]["exponent"] <= 0.3
               and max(r["curves"]["sweep_fixed_due"]["peak_mb"])
               - min(r["curves"]["sweep_fixed_due"]["peak_mb"]) <= 10),
    "history": ("with 10M closed runs beside the open ones (--quick: 1M beside 100k): sweep, "
                "inbox, dashboard ≤ 1.2× without (PostgreSQL)",
                lambda r: all(r[k]["ratio"] <= 1.2 for k in ("sweep", "inbox", "dashboard"))),
    "load": ("200 clients × 60 s: 0 errors (p95 next to a minimal FastAPI page)",
             lambda r: r["errors"] == 0),
}


# Arguments beyond --database, and the databases a benchmark runs on (default: every one at hand)
ARGUMENTS = {"growth": ["--quick"], "history": ["--quick"]}
ONLY_ON = {"history": ("postgresql",)}


# Runs a benchmark as __main__ and reports that process's own peak RSS on stderr.
WRAPPER = """
import atexit, resource, runpy, sys
atexit.register(lambda: print("PEAK_RSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                              file=sys.stderr))
sys.argv = sys.argv[1:]
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""


def run(name: str, database: str, postgres_url: str | None) -> dict[str, Any]:
    started = time.perf_counter()
    env = {**os.environ, "CHIDAO_BENCH_POSTGRES_URL": postgres_url or ""}
    done = subprocess.run([sys.executable, "-c", WRAPPER, f"bench.{name}",
                           "--database", database, *ARGUMENTS.get(name, [])], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=1800)
    peaks = [int(line.split()[1]) for line in done.stderr.splitlines()
             if line.startswith("PEAK_RSS_KB")]
    peak_mb = (peaks[-1] if peaks else 0) / 1024
    if done.returncode != 0:
        return {"error": done.stderr[-2000:], "goal_met": False}
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures.pop("database", None)
    print(f"{name} on {database}: {figures} ({time.perf_counter() - started:.0f} s)", flush=True)
    met = GOALS[name][1](figures) and peak_mb <= RSS_LIMIT_MB
    return {**figures, "peak_rss_mb": round(peak_mb), "goal_met": bool(met)}


def benchmark(name: str, databases: list[str], postgres_url: str | None) -> dict[str, Any]:
    per_database = {database: run(name, database, postgres_url) for database in databases
                    if database in ONLY_ON.get(name, databases)}
    if not per_database:
        return {"goal": GOALS[name][0], "goal_met": None,
                "skipped": f"runs on {', '.join(ONLY_ON[name])} only"}
    return {"goal": f"{GOALS[name][0]}; peak RSS ≤ {RSS_LIMIT_MB} MB",
            "goal_met": all(r["goal_met"] for r in per_database.values()), **per_database}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres-url", default=os.environ.get("CHIDAO_BENCH_POSTGRES_URL"))
    parser.add_argument("--only", nargs="*", choices=list(GOALS), default=list(GOALS))
    args = parser.parse_args()
    databases = ["sqlite", "postgresql"] if args.postgres_url else ["sqlite"]
    results = {name: benchmark(name, databases, args.postgres_url) for name in args.only}
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "run_all.json").write_text(json.dumps(results, ensure_ascii=False, indent=2),
                                      encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
