"""The `chidao` program (chidao.cli.main.run) starts with the garbage collector off, since its
imports make no garbage; a command collects as usual once it has its runtime, so a long one
(the worker, the server, a national cascade) does not grow with its cyclic garbage."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support.cascade import seed_units

SPY = """
import gc, sys
import chidao.queries.inbox as inbox

seen = []
real = inbox.unit_assignments

def spy(*args, **kwargs):
    seen.append(gc.isenabled())
    return real(*args, **kwargs)

inbox.unit_assignments = spy
sys.argv = ["chidao", "assignments", "--unit", "SGDDT-AG", "--now", "2026-03-16T09:00"]
from chidao.cli.main import run
try:
    run()
except SystemExit as stop:
    print("exit", stop.code, "collector on in the command:", seen)
"""


def test_the_command_runs_with_the_collector_on_after_its_start(engine, db_url, tmp_path):
    seed_units(engine)
    env = {**os.environ, "CHIDAO_DATABASE_URL": db_url}
    done = subprocess.run([sys.executable, "-c", SPY], env=env, cwd=tmp_path,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "exit 0 collector on in the command: [True]"


def test_the_command_line_leaves_the_collector_of_its_caller_alone(engine, db_url):
    import gc

    from tests.support.cli import chidao

    seed_units(engine)
    assert gc.isenabled()
    done = chidao("--db", db_url, "assignments", "--unit", "SGDDT-AG")
    assert done.exit_code == 0, done.output
    assert gc.isenabled() and gc.get_freeze_count() == 0  # (nothing frozen in a test run)
