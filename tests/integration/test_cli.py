"""The `chidao` command as a user runs it: a real process, a real SQLite file."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.support.cli import CHIDAO
from tests.support.paths import EXAMPLES


@pytest.fixture
def run(tmp_path: Path):
    env = {**os.environ, "CHIDAO_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    env.pop("PREFECT_API_URL", None)

    def chidao(*args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([CHIDAO, *args], capture_output=True, text=True, env=env,
                              cwd=tmp_path, timeout=120)
        if ok:
            assert done.returncode == 0, done.stderr
        return done
    return chidao


def test_issue_submit_and_watch_the_tree(run):
    run("db", "init")
    assert "18 created" in run("units", "import", str(EXAMPLES / "units.yaml")).stdout
    out = run("directive", "issue", str(EXAMPLES / "kh-1039-sgddt-stem.yaml"),
              "--now", "2026-02-26T09:00").stdout
    assert "6 new assignments" in out
    inbox = json.loads(run("assignments", "--unit", "UBND-RACHGIA", "--json",
                           "--now", "2026-03-16T09:00").stdout)
    plan = next(r for r in inbox if r["kind"] == "plan")
    assert (plan["due_on"], plan["timeliness"]) == ("2026-03-19", "due_soon")
    run("submit", str(plan["id"]), "--unit", "UBND-RACHGIA", "--now", "2026-03-18T10:00")
    summary = json.loads(run("status", "1039/KH-SGDĐT", "--json", "--now",
                             "2026-03-20T09:00").stdout)
    assert summary["total"] == {
        "assigned": 6, "received": 1, "handed_in": 1, "accepted": 0, "late": 2, "due_soon": 0,
        "on_time": 1, "judged": 3, "units": 3, "late_units": 2, "on_time_percent": 33}
    assert [level["level"] for level in summary["levels"]] == [1]  # the three communes
    tree = run("status", "1039/KH-SGDĐT", "--depth", "1", "--now", "2026-03-20T09:00").stdout
    assert "UBND-RACHGIA · Ủy ban nhân dân phường Rạch Giá" in tree


def test_bad_input_exits_2_naming_the_field_and_writes_nothing(run, tmp_path: Path):
    run("db", "init")
    bad = tmp_path / "units.csv"
    bad.write_text("code,name,kind,parent\nS,Sở,department,\nX,Xã,people_committee,KHONG\n",
                   encoding="utf-8")
    done = run("units", "import", str(bad), ok=False)
    assert done.returncode == 2
    assert "line 3: parent: 'KHONG' is not a known unit code" in done.stderr
    good = run("units", "import", str(EXAMPLES / "units.yaml")).stdout
    assert "18 created, 0 updated, 18 units" in good  # the bad file's row S was not kept
    done = run("status", "9999/KH-SGDĐT", ok=False)
    assert done.returncode == 2 and "ref:" in done.stderr
    done = run("assignments", "--unit", "SGDDT-AG", "--now", "hôm qua", ok=False)
    assert done.returncode == 2 and "now:" in done.stderr


def test_demo_replays_the_seed_scenario(run):
    out = run("demo", "--json").stdout
    tree = json.loads(out[out.index("{"):])
    kien_hai = next(u for u in tree["units"] if u["code"] == "UBND-KIENHAI")
    assert kien_hai["directives"][0]["key"] == "kh-kien-hai-stem-2026"
    assert tree["counts"]["total"] == 22
