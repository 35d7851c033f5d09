"""A one-shot `chidao` command loads only what it uses: neither Prefect (about a second) nor
Alembic (migrations) unless it runs a flow or migrates. Seen from the real command with
Python's import-time log (PYTHONPROFILEIMPORTTIME), so nothing in the process is patched."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cascade import seed_units

CHIDAO = str(Path(sys.executable).parent / "chidao")
HEAVY = ("prefect", "alembic")


def imported_heavy_packages(args: list[str], db_url: str, cwd: Path) -> set[str]:
    """Which of HEAVY the command `chidao ARGS` imported (it must succeed)."""
    env = {**os.environ, "CHIDAO_DATABASE_URL": db_url, "PYTHONPROFILEIMPORTTIME": "1"}
    env.pop("PREFECT_API_URL", None)
    done = subprocess.run([CHIDAO, *args], env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    modules = re.findall(r"^import time:\s+\d+ \|\s+\d+ \| +(\S+)$", done.stderr, re.MULTILINE)
    assert "chidao.cli.main" in modules  # the log is there: an empty set below means something
    return {name.split(".")[0] for name in modules} & set(HEAVY)


@pytest.mark.parametrize("args", [
    ["--help"],
    ["outbox"],
    ["outbox", "--json"],
    ["assignments", "--unit", "SGDDT-AG", "--now", "2026-03-16T09:00"],
    ["calendar", "2026", "--unit", "SGDDT-AG"],
    ["calendar", "check"],
    ["calendar", "apply", "--now", "2026-03-16T09:00"],
    ["closure", "add", "MN-HONTRE", "--from", "16/03/2026", "--to", "16/03/2026", "--reason",
     "Ngập", "--now", "2026-03-13T15:00"],
    ["closure", "list"],
    ["delegate", "list"],
    ["audit", "--json"],
    ["preview", "--at", "2026-03-16T07:30"],
    ["deliver", "--dry-run", "--now", "2026-03-16T07:30"],
    ["sweep", "--dry-run", "--now", "2026-03-16T07:30"],
], ids=" ".join)
def test_one_shot_command_imports_neither_prefect_nor_alembic(args, engine, db_url, tmp_path):
    seed_units(engine)
    assert imported_heavy_packages(args, db_url, tmp_path) == set()


def test_db_init_imports_alembic_to_migrate(tmp_path):
    new = f"sqlite:///{tmp_path / 'new.db'}"
    assert imported_heavy_packages(["db", "init"], new, tmp_path) == {"alembic"}
    assert imported_heavy_packages(["db", "init"], new, tmp_path) == set()  # now current


def test_db_init_on_a_current_schema_loads_no_alembic(db_url, tmp_path):
    assert imported_heavy_packages(["db", "init"], db_url, tmp_path) == set()


def test_db_init_upgrades_an_older_schema_with_alembic(tmp_path):
    from sqlalchemy import create_engine, text

    from chidao.db.database import migrate, schema_head

    old = f"sqlite:///{tmp_path / 'old.db'}"
    migrate(old, "0014")
    assert imported_heavy_packages(["db", "init"], old, tmp_path) == {"alembic"}
    engine = create_engine(old)
    try:
        with engine.connect() as connection:
            stored = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    finally:
        engine.dispose()
    assert stored == [(schema_head(),)]



# What no help text needs: the database layer, the settings, the rich console, the calendar,
# the file formats and the servers. (Typer and Click are what `--help` is made of.)
NOT_FOR_HELP = ("sqlalchemy", "sqlmodel", "pydantic", "pydantic_settings", "rich", "holidays",
                "yaml", "prefect", "alembic", "fastapi", "starlette", "uvicorn", "openpyxl",
                "docx", "pdfplumber", "jinja2", "aiosmtplib", "apscheduler")
EVERY_HELP = """
import sys
import typer
from chidao.cli.main import app

def paths(command, prefix):
    yield prefix
    for name, sub in getattr(command, "commands", {}).items():
        yield from paths(sub, [*prefix, name])

for path in paths(typer.main.get_command(app), []):
    try:
        app([*path, "--help"], prog_name="chidao", standalone_mode=False)
    except SystemExit as stop:
        assert not stop.code, (path, stop.code)
    print("helped:", " ".join(path) or "chidao", file=sys.stderr)
print("loaded:", *sorted({name.split(".")[0] for name in sys.modules}))
"""


def test_help_of_the_command_and_of_each_subcommand_loads_no_database_code(tmp_path):
    """`chidao --help` and `chidao X --help` (every command and group, in one process): Typer
    builds the help from the signatures alone; what the commands use loads when they run."""
    env = {**os.environ, "CHIDAO_DATABASE_URL": f"sqlite:///{tmp_path / 'none.db'}"}
    done = subprocess.run([sys.executable, "-c", EVERY_HELP], env=env, cwd=tmp_path,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    helped = done.stderr.count("helped:")
    assert helped > 40 and "helped: calendar year" in done.stderr  # every command was shown
    loaded = set(done.stdout.splitlines()[-1].split()[1:]) & set(NOT_FOR_HELP)
    # (Typer coerces every option's value, the group's --db too, with a pydantic TypeAdapter:
    # `chidao X --help` loads pydantic, not what chidao builds on it.)
    assert loaded - {"pydantic"} == set()
    assert not (tmp_path / "none.db").exists()  # and no database was opened


def test_the_installed_help_loads_no_database_code(tmp_path):
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    done = subprocess.run([CHIDAO, "--help"], env=env, cwd=tmp_path, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "Usage: chidao" in done.stdout, done.stderr[-3000:]
    modules = re.findall(r"^import time:\s+\d+ \|\s+\d+ \| +(\S+)$", done.stderr, re.MULTILINE)
    assert "chidao.cli.main" in modules
    assert {name.split(".")[0] for name in modules} & set(NOT_FOR_HELP) == set()
