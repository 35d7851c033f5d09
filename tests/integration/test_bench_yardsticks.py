"""The benches' yardsticks are fair: the sweep's raw executemany writes exactly the rows our
sweep wrote, and the reset between repetitions puts the database back; the growth bench's
scaled trees are valid unit trees of the announced size; its exponent is the log-log slope.
(SQLite files the benches make themselves: no timing is asserted.)"""

from __future__ import annotations

from pathlib import Path

import pytest

import bench.cascade
from bench.cascade import build_template
from bench.cascade import ours as cascade
from bench.databases import SqliteDatabases
from bench.growth import exponent
from bench.sweep import MOVED, Written, build_open_runs
from bench.sweep import ours as sweep
from chidao.notifications.sweep import NOTIFICATION_COLUMNS

pytestmark = pytest.mark.sqlite_only


@pytest.mark.parametrize("power", [1.0, 0.0, 0.5, 2.0])
def test_the_exponent_is_the_slope_of_log_seconds_against_log_size(power):
    sizes = [3_270, 32_700, 327_000]
    assert exponent(sizes, [2e-5 * s ** power for s in sizes]) == pytest.approx(power)


def test_a_scaled_tree_is_imported_and_the_cascade_reaches_its_schools_and_classes(tmp_path):
    dbs = SqliteDatabases(tmp_path)
    url = build_template(dbs, "tree", scale=0.01)
    with dbs.raw("tree") as conn:
        kinds = dict(conn.execute("SELECT kind, count(*) FROM unit GROUP BY kind").fetchall())
    assert kinds == {"ministry": 1, "department": 34, "people_committee": 33, "school": 153,
                     "independent_class": 174}
    assert cascade(url)[1] == 153 + 174


def _state(dbs: SqliteDatabases, name: str) -> tuple[list[tuple], list[tuple]]:
    with dbs.raw(name) as conn:
        notes = conn.execute(f"SELECT {', '.join(NOTIFICATION_COLUMNS)} FROM notification"
                             " ORDER BY assignment_id, stage").fetchall()
        runs = conn.execute(f"SELECT id, {', '.join(MOVED)} FROM assignment ORDER BY id"
                            ).fetchall()
    return notes, runs


def test_the_sweep_yardstick_writes_what_the_sweep_wrote_and_the_reset_undoes_it(
        tmp_path: Path, monkeypatch):
    monkeypatch.setattr(bench.cascade, "TREE_SCALE", 0.1)  # 3,270 schools and classes
    dbs = SqliteDatabases(tmp_path)
    name = build_open_runs(dbs, 1, "runs")
    untouched = _state(dbs, name)
    written = Written(dbs, name)
    assert [row[-1] for row in written.before] == list(range(100, 3_271, 100))  # 1% due
    _, examined, count = sweep(dbs.url(name))
    swept = _state(dbs, name)
    written.capture()
    # a d-3 reminder per due run, and the heads of the three leads past their own deadline
    assert (examined, count, len(written.notifications)) == (32, 35, 35)
    assert sum(row[2] == "lead_late" for row in written.notifications) == 3
    written.reset()
    assert _state(dbs, name) == untouched
    written.raw()
    assert _state(dbs, name) == swept
    written.reset()
    assert sweep(dbs.url(name))[1:] == (32, 35)
    assert _state(dbs, name) == swept
