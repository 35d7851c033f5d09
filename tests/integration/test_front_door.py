"""One front door: the CLI, the web and the demo build their engine, calendar, clock and rules
the same way, so the same directive gets the same deadline wherever it is issued; bad settings
stop a long-running command at start-up with the variable's name."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from chidao.domain.assignments import assignment_table
from chidao.domain.directives import directive_table
from tests.support.paths import EXAMPLES
from tests.web_fixtures import csrf_of

CHIDAO = str(Path(sys.executable).parent / "chidao")
# Issued by the Sở to the units under it, due "at the end of the school year".
DIRECTIVE = {"number_symbol": "77/KH-SGDĐT", "issuer": "SGDDT-AG", "issued_on": "2026-03-02",
             "title": "Tổng kết năm học", "requirements": [
                 {"key": "tong-ket", "kind": "report", "title": "Báo cáo tổng kết",
                  "to": {"children": {}}, "due": "end_of_school_year"}]}
JUNE_30 = {"CHIDAO_SCHOOL_YEAR_END_MONTH": "6", "CHIDAO_SCHOOL_YEAR_END_DAY": "30"}


@pytest.fixture
def school_year_ends_30_06(monkeypatch):
    """Set before the web app is built (list it before `web`): its settings read them."""
    for name, value in JUNE_30.items():
        monkeypatch.setenv(name, value)


def _due_days(url_or_engine, number: str = "77") -> set[date]:
    from sqlalchemy import create_engine

    engine = create_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    a, d = assignment_table.c, directive_table.c
    with engine.connect() as conn:
        days = set(conn.execute(select(a.due_on).join(directive_table, d.id == a.directive_id)
                                .where(d.number == number)).scalars())
    if isinstance(url_or_engine, str):
        engine.dispose()
    return days


def _issue_from_the_cli(tmp_path: Path) -> set[date]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {**os.environ, **JUNE_30, "CHIDAO_DATABASE_URL": url}
    env.pop("PREFECT_API_URL", None)
    file = tmp_path / "tong-ket.yaml"
    file.write_text(yaml.safe_dump(DIRECTIVE, allow_unicode=True), encoding="utf-8")
    for args in (["db", "init"], ["units", "import", str(EXAMPLES / "units.yaml")],
                 ["directive", "issue", str(file), "--now", "2026-03-02T09:00"]):
        done = subprocess.run([CHIDAO, *args], capture_output=True, text=True, env=env,
                              cwd=tmp_path, timeout=120)
        assert done.returncode == 0, done.stderr
    return _due_days(url)


def test_the_cli_and_the_web_give_the_same_school_year_end(school_year_ends_30_06, web, engine,
                                                           tmp_path):
    from_cli = _issue_from_the_cli(tmp_path)
    client = web.client("chuyenvien.so")
    csrf = csrf_of(client.get("/directives/new").text)
    response = client.post("/directives", data={
        "csrf": csrf, "yaml": yaml.safe_dump(DIRECTIVE, allow_unicode=True)},
        follow_redirects=False)
    assert response.status_code == 303, response.text
    from_web = _due_days(engine)
    assert from_cli == from_web == {date(2026, 6, 30)}


def test_the_api_issues_with_the_same_school_year_end(school_year_ends_30_06, web, engine):
    token = web.tokens["chuyenvien.so"]
    response = web.client().post("/api/directives", json=DIRECTIVE,
                                 headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.text
    assert _due_days(engine) == {date(2026, 6, 30)}


def test_the_demo_year_end_report_does_not_follow_the_school_year_end_setting(tmp_path):
    """KH 1039's "báo cáo tổng kết năm học" is the edu_year_end report (the Ministry's 30/06
    less a commune's 5 working days: Tue 23/06/2026), whatever day the school year ends."""
    env = {**os.environ, **JUNE_30}
    env.pop("PREFECT_API_URL", None)
    db = tmp_path / "demo.db"
    done = subprocess.run([CHIDAO, "demo", "--db", str(db), "--json"], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    # the plans are due 19/03, Phú Quốc's moved to 27/03 by the story's gia hạn
    assert _due_days(f"sqlite:///{db}", number="1039") == {date(2026, 6, 23), date(2026, 3, 19),
                                                            date(2026, 3, 27)}


@pytest.mark.parametrize("command", ["serve", "worker", "sweep"])
def test_an_impossible_school_year_end_stops_at_start_up(command, tmp_path):
    env = {**os.environ, "CHIDAO_SCHOOL_YEAR_END_MONTH": "6", "CHIDAO_SCHOOL_YEAR_END_DAY": "31",
           "CHIDAO_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    env.pop("PREFECT_API_URL", None)
    env.pop("CHIDAO_DEBUG", None)
    args = [CHIDAO, command] + (["--port", "1"] if command == "serve" else [])
    done = subprocess.run(args, capture_output=True, text=True, env=env, cwd=tmp_path,
                          timeout=60)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr.startswith("Error CHIDAO_SCHOOL_YEAR_END_DAY: 31/06 does not exist")
    assert "http://" not in done.stdout  # nothing started, nothing announced


def test_a_prefect_flow_names_the_bad_setting(monkeypatch):
    from chidao.config.runtime import opened_runtime
    from chidao.domain.errors import InvalidInput

    monkeypatch.setenv("CHIDAO_SCHOOL_YEAR_END_MONTH", "2")
    monkeypatch.setenv("CHIDAO_SCHOOL_YEAR_END_DAY", "29")
    with pytest.raises(InvalidInput) as refused, opened_runtime(database_url="sqlite://"):
        pass
    assert str(refused.value).startswith("CHIDAO_SCHOOL_YEAR_END_DAY: 29/02 does not exist")


ONE_SHOT = """
import sys
from chidao.cli.main import app
try:
    app(sys.argv[1:], prog_name="chidao")
except SystemExit as stop:
    assert stop.code == 0, stop.code
leaked = sorted(m for m in sys.modules if m == "prefect" or m.startswith("prefect."))
print("PREFECT" if leaked else "NO PREFECT")
"""


def test_one_shot_commands_do_not_import_prefect(tmp_path):
    env = {**os.environ, "CHIDAO_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    env.pop("PREFECT_API_URL", None)
    file = tmp_path / "tong-ket.yaml"
    file.write_text(yaml.safe_dump(DIRECTIVE, allow_unicode=True), encoding="utf-8")
    for args in (["db", "init"], ["units", "import", str(EXAMPLES / "units.yaml")],
                 ["directive", "issue", str(file), "--now", "2026-03-02T09:00"],
                 ["sweep", "--now", "2026-03-02T10:00"], ["deliver", "--now", "2026-03-02T10:05"],
                 ["aggregate", "--now", "2026-03-02T10:10"]):
        done = subprocess.run([sys.executable, "-c", ONE_SHOT, *args], capture_output=True,
                              text=True, env=env, cwd=tmp_path, timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stdout.rstrip().endswith("NO PREFECT"), (args, done.stdout)
