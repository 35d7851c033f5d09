"""Only the front door reads the wall clock: ruff's banned-api rule (TID251, pyproject.toml)
refuses datetime.now and friends anywhere but chidao.config.clock, the tests and the benches."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUFF = str(Path(sys.executable).parent / "ruff")
READS = {"datetime.now": "from datetime import UTC, datetime\n\nx = datetime.now(UTC)\n",
         "date.today": "from datetime import date\n\nx = date.today()\n",
         "time.time": "import time\n\nx = time.time()\n",
         "utcnow": "import datetime as dt\n\nx = dt.datetime.utcnow()\n"}


def ruff(path: str, source: str) -> subprocess.CompletedProcess[str]:
    """`ruff check` of `source` as if it were the file `path` of the repository."""
    return subprocess.run([RUFF, "check", "--no-cache", "--output-format", "concise",
                           "--stdin-filename", path, "-"], input=source, capture_output=True,
                          text=True, cwd=ROOT, timeout=60)


@pytest.mark.parametrize("read", sorted(READS))
@pytest.mark.parametrize("path", ["web/pages_board.py", "services/issue.py", "flows/runner.py",
                                  "config/runtime.py"])
def test_reading_the_wall_clock_outside_the_front_door_fails_the_lint(path, read):
    done = ruff(path, READS[read])
    assert done.returncode == 1 and "TID251" in done.stdout, done.stdout + done.stderr


@pytest.mark.parametrize("path", ["config/clock.py", "tests/unit/test_x.py", "bench/x.py"])
def test_the_clock_module_tests_and_benches_may(path):
    done = ruff(path, READS["datetime.now"])
    assert done.returncode == 0, done.stdout + done.stderr
