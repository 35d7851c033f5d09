"""No traceback reaches a CLI user: bad input, missing files, bad YAML, bad settings and an
unreachable database end with exit code 2 and `field: problem`; a bug with exit code 1, one
line, and its traceback in a log file."""

import importlib.util
import os
import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chidao.cli.main import app
from chidao.config.settings import Settings
from tests.support.cascade import issue_data, issue_file, seed_units, small, snapshot
from tests.support.cli import CHIDAO, chidao, refused


def test_a_units_file_that_does_not_exist(db_url):
    refused(chidao("--db", db_url, "units", "import", "/nonexistent.yaml"),
            "file:", "/nonexistent.yaml", "No such file")


def test_a_units_file_asking_for_a_python_object_is_refused_with_its_line(engine, db_url,
                                                                          tmp_path):
    bad = tmp_path / "units.yaml"
    bad.write_text("units:\n  - code: A\n    name: !!python/object:os.system {}\n"
                   "    kind: department\n", encoding="utf-8")
    before = snapshot(engine)
    refused(chidao("--db", db_url, "units", "import", str(bad)),
            "line 3: units:", "python/object")
    assert snapshot(engine) == before


HAS_PSYCOPG = importlib.util.find_spec("psycopg") is not None


@pytest.mark.parametrize("url", [
    pytest.param("postgresql+psycopg://x@127.0.0.1:1/x", marks=pytest.mark.skipif(
        not HAS_PSYCOPG, reason="the PostgreSQL driver is an extra (chidao[postgres])")),
    "sqlite:////nonexistent/dir/x.db"])
@pytest.mark.parametrize("command", [["status", "1039/KH-SGDĐT"], ["db", "init"],
                                     ["assignments", "--unit", "X"]])
def test_an_unreachable_database(url, command):
    line = refused(chidao(*command, CHIDAO_DATABASE_URL=url), "database_url: cannot use",
                   url.split("://")[0])
    assert re.search(r"Connection refused|unable to open database file", line)


def test_a_database_driver_that_is_not_installed_is_named():
    refused(chidao("status", "x", CHIDAO_DATABASE_URL="postgresql+pg8000://x@127.0.0.1:1/x"),
            "database_url:", "needs the pg8000 driver, which is not installed")


def test_a_malformed_database_url_names_the_setting():
    refused(chidao("status", "x", CHIDAO_DATABASE_URL="khong-phai-url"),
            "CHIDAO_DATABASE_URL:", "'khong-phai-url' is not a database URL")


def test_a_database_without_the_schema_says_to_run_db_init(tmp_path):
    refused(chidao("--db", f"sqlite:///{tmp_path / 'empty.db'}", "status", "x"),
            "database: no chidao schema", "chidao db init")


def test_the_school_year_end_is_checked_as_a_pair():
    refused(chidao("status", "x", CHIDAO_SCHOOL_YEAR_END_MONTH="6"),
            "CHIDAO_SCHOOL_YEAR_END_DAY: 31/06 does not exist", "30 days")
    refused(chidao("status", "x", CHIDAO_SCHOOL_YEAR_END_MONTH="13"),
            "CHIDAO_SCHOOL_YEAR_END_MONTH:")
    assert Settings(school_year_end_month=6, school_year_end_day=30).school_year_end_day == 30


def test_a_new_deadline_that_does_not_exist(engine, db_url):
    seed_units(engine)
    issue_file(engine, "kh-1039-sgddt-stem.yaml", "2026-02-26T09:00")
    before = snapshot(engine)
    refused(chidao("--db", db_url, "extend", "1039/KH-SGDĐT", "--requirement",
                   "ke-hoach-trien-khai", "--subtree", "UBND-RACHGIA", "--to", "31/02/2026",
                   "--unit", "SGDDT-AG", "--reason", "lũ"),
            "to: '31/02/2026' does not exist")
    assert snapshot(engine) == before


def test_the_untouched_demo_inbox_of_lai_son(tmp_path):
    db = tmp_path / "demo.db"
    assert chidao("demo", "--db", str(db)).exit_code == 0
    done = chidao("--db", f"sqlite:///{db}", "assignments", "--unit", "MN-LAISON",
                  "--now", "2026-03-25T09:00", COLUMNS="400")
    assert done.exit_code == 0, done.output
    assert "hoạt động giáo dục STEM" in done.output  # a run done on time: no timeliness style
    assert "hoàn thành đúng hạn" in done.output


def test_brackets_typed_by_users_are_shown_as_typed(engine, db_url):
    seed_units(engine)
    title = "[/] Báo cáo [bold]nhanh[/bold] \\[x] :thumbs_up:"  # (no emoji either)
    data = small(title=title)
    data["requirements"][0]["title"] = title
    issue_data(engine, data, "2026-03-02T09:00")
    for args in (["status", "55/KH-SGDĐT"], ["assignments", "--unit", "UBND-KIENHAI"]):
        done = chidao("--db", db_url, *args, "--now", "2026-03-03T09:00",
                      COLUMNS="400")
        assert done.exit_code == 0, done.output
        assert title in done.output


def test_a_bug_exits_1_with_one_line_and_the_traceback_in_a_log(engine, db_url, monkeypatch):
    seed_units(engine)
    issue_file(engine, "kh-1039-sgddt-stem.yaml", "2026-02-26T09:00")

    def broken(*_args, **_kwargs):
        raise RuntimeError("hỏng [bold]")
    # (the command imports its query when it runs: patch it where it lives)
    monkeypatch.setattr("chidao.queries.inbox.unit_assignments", broken)
    done = chidao("--db", db_url, "assignments", "--unit", "SGDDT-AG")
    assert done.exit_code == 1
    assert "Unexpected error RuntimeError: hỏng [bold]" in done.output
    log = Path(re.search(r"traceback is in (\S+)", done.output)[1])
    try:
        assert "Traceback" in log.read_text() and "RuntimeError: hỏng" in log.read_text()
    finally:
        log.unlink()
    debug = CliRunner().invoke(app, ["--db", db_url, "assignments", "--unit", "SGDDT-AG"],
                               env={"CHIDAO_DEBUG": "1"})
    assert isinstance(debug.exception, RuntimeError)  # developers get the traceback


def test_the_installed_command_prints_no_traceback(tmp_path):
    env = {**os.environ, "CHIDAO_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    env.pop("CHIDAO_DEBUG", None)
    done = subprocess.run([CHIDAO, "units", "import", "/nonexistent.yaml"], env=env,
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr + done.stdout
    assert done.stderr.startswith("Error file: cannot read '/nonexistent.yaml'")
