"""`chidao status` at scale (chidao.cli.status, chidao.queries.status_summary) on the demo's
An Giang cascade (the Sở's plan, Kiên Hải's plan citing it, Hòn Tre's citing that), with an
accepted, a waived and an unrelated directive's runs added: the per-level summary, a focused
branch, the tree of counts to a depth, the late units and the streamed full tree, each checked
against the runs counted by hand in this file, and against the cascade page's counts."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from chidao.config.clock import parse_instant
from chidao.db.database import reading
from chidao.db.lookup import directive_by_ref, unit_by_code
from chidao.demo.scenario import run_demo
from chidao.domain.assignments import assignment_table
from chidao.domain.status import Status
from chidao.domain.units import UnitKind, unit_table
from chidao.queries import status_summary
from chidao.queries.cascade_view import cascade_view
from chidao.queries.listings import due_window
from tests.support.cascade import act, issue_data, runs, small
from tests.support.cli import chidao, refused

STORY = "2026-03-25T09:00"
KH = "1039/KH-SGDĐT"
FAMILY = ("2026:1039/KH-SGDĐT", "kh-kien-hai-stem-2026", "kh-mn-hon-tre-stem-2026")
AWAITING = {Status.ISSUED, Status.RECEIVED, Status.RETURNED}  # the unit still owes the work
_a, _u = assignment_table.c, unit_table.c


@pytest.fixture
def demo(runtime, db_url):
    """The demo at its story's moment, plus: Kiên Hải accepts Lại Sơn's plan, the Sở waives
    Rạch Giá's report, and an unrelated directive (55/KH) goes to the communes."""
    run_demo(runtime, now=parse_instant(STORY), log=lambda _line: None)
    laison = runs(runtime.engine, "kh-kien-hai-stem-2026")[("MN-LAISON", "mn-ke-hoach", "")]
    act(runtime.engine, laison.id, Status.ACCEPTED, "UBND-KIENHAI", when="2026-03-23T09:00")
    report = next(run for (code, key, _), run in runs(runtime.engine, FAMILY[0]).items()
                  if code == "UBND-RACHGIA" and key != "ke-hoach-trien-khai")
    act(runtime.engine, report.id, Status.WAIVED, "SGDDT-AG", "Đã báo cáo chung",
        when="2026-03-23T09:00")
    issue_data(runtime.engine, small(), "2026-03-02T09:00")
    return db_url


def status(db_url: str, *args: str) -> Any:
    done = chidao("--db", db_url, "status", KH, "--now", STORY, *args)
    assert done.exit_code == 0, done.output
    return done


def hand_rows(db_url: str) -> list[Any]:
    """Every run of the family's three directives, with its unit, read plainly."""
    from sqlalchemy import create_engine

    from chidao.domain.directives import directive_table

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(
                select(_u.code, _u.path, _u.depth, _u.kind, _a.status, _a.due_on, _a.due_at)
                .join(unit_table, _u.id == _a.unit_id)
                .join(directive_table, directive_table.c.id == _a.directive_id)
                .where(directive_table.c.key.in_(FAMILY))))
    finally:
        engine.dispose()


def by_hand(rows: list[Any], now: datetime) -> dict[str, int]:
    live = [r for r in rows if r.status not in (Status.CANCELLED, Status.WAIVED)]
    late = [r for r in live if r.status in AWAITING and r.due_at <= now]
    return {"assigned": len(live), "received": sum(r.status != Status.ISSUED for r in live),
            "handed_in": sum(r.status in (Status.SUBMITTED, Status.ACCEPTED) for r in live),
            "accepted": sum(r.status == Status.ACCEPTED for r in live), "late": len(late),
            "units": len({r.code for r in live}), "late_units": len({r.code for r in late})}


def below(rows: list[Any], path: str) -> list[Any]:
    return [r for r in rows if r.path.startswith(path)]


@pytest.mark.parametrize("focus", [None, "UBND-KIENHAI", "MN-HONTRE"])
def test_the_summary_per_level_is_the_runs_counted_by_hand(demo, focus):
    rows, now = hand_rows(demo), parse_instant(STORY)
    assert {r.status for r in rows} >= {Status.ACCEPTED, Status.WAIVED, Status.SUBMITTED}
    path, depth = _units(demo)[focus or "SGDDT-AG"]
    shown = json.loads(status(demo, *(["--unit", focus] if focus else []), "--json").stdout)
    assert shown["focus"]["code"] == (focus or "SGDDT-AG") and shown["directives"] == 3
    levels: dict[int, list[Any]] = defaultdict(list)
    for row in below(rows, path):
        levels[row.depth - depth].append(row)
    expected = {level: by_hand(group, now) for level, group in levels.items()}
    expected = {level: counts for level, counts in expected.items() if counts["assigned"]}
    assert {lv["level"]: {k: lv[k] for k in expected[lv["level"]]} for lv in shown["levels"]} \
        == expected
    assert {lv["level"]: lv["kinds"] for lv in shown["levels"]} == {
        level: [k.label for k in UnitKind if k in {r.kind for r in group
                                                   if r.status not in (Status.CANCELLED,
                                                                       Status.WAIVED)}]
        for level, group in levels.items() if level in expected}
    total = by_hand(below(rows, path), now)
    assert {k: shown["total"][k] for k in total} == total
    text = status(demo, *(["--unit", focus] if focus else [])).stdout
    total_line = next(line for line in text.splitlines() if line.split()[:1] == ["Cộng"])
    assert total_line.split()[1:] == [str(total[k]) for k in (
        "units", "assigned", "received", "handed_in", "accepted", "late", "late_units")]


def test_the_summary_agrees_with_the_cascade_page(demo, runtime):
    now = parse_instant(STORY)
    _, soon = due_window(now, runtime.calendar, runtime.rules.due_soon_working_days)
    assert status_summary.soon_until(now, runtime.calendar,
                                     runtime.rules.due_soon_working_days) == soon
    with reading(runtime.engine) as session:
        root = directive_by_ref(session, KH)
        top = unit_by_code(session, "SGDDT-AG")
        for code in ("SGDDT-AG", "UBND-KIENHAI", "UBND-PHUQUOC", "MN-HONTRE", "MN-LAISON"):
            focus = status_summary.status_focus(session, root, code)
            levels = status_summary.level_summary(session, focus, now=now, soon=soon)
            page = cascade_view(session, root, top=top, focus=unit_by_code(session, code),
                                now=now, soon=soon)
            assert sum((lv.counts for lv in levels), type(page.total)()) == page.total, code


def test_depth_gives_each_node_its_subtree_counts(demo):
    rows, now = hand_rows(demo), parse_instant(STORY)
    units = _units(demo)  # code -> (path, depth)
    top_path, top_depth = units["SGDDT-AG"]
    with_runs = [units[r.code][0] for r in rows if r.status not in (Status.CANCELLED,
                                                                     Status.WAIVED)]
    for depth in (1, 2):
        shown = json.loads(status(demo, "--depth", str(depth), "--json").stdout)
        assert max(node["level"] for node in shown) == depth
        assert {node["code"] for node in shown} == {
            code for code, (path, level) in units.items()
            if path.startswith(top_path) and level - top_depth <= depth
            and any(p.startswith(path) for p in with_runs)}
        for node in shown:
            counts = by_hand(below(rows, units[node["code"]][0]), now)
            assert {k: node["counts"][k] for k in counts} == counts, node["code"]
            assert node["level"] == units[node["code"]][1] - top_depth
        shown_codes = [node["code"] for node in shown]
        assert shown_codes == depth_first("SGDDT-AG", set(shown_codes), units)
    text = status(demo, "--unit", "UBND-KIENHAI", "--depth", "1").stdout.splitlines()
    assert text[3].startswith("UBND-KIENHAI · ") and text[4].startswith("  MN-")


def depth_first(code: str, keep: set[str], units: dict[str, tuple[str, int]]) -> list[str]:
    """The outline's order by hand: a unit, then each child's outline, children by code."""
    path, depth = units[code]
    children = sorted(c for c, (p, d) in units.items() if p.startswith(path) and d == depth + 1)
    return [code] + [c for child in children if child in keep
                     for c in depth_first(child, keep, units)]


def _units(db_url: str) -> dict[str, tuple[str, int]]:
    from sqlalchemy import create_engine

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return {code: (path, depth) for code, path, depth
                    in conn.execute(select(_u.code, _u.path, _u.depth))}
    finally:
        engine.dispose()


def test_late_lists_the_late_units_with_their_oldest_deadline(demo, runtime):
    rows, now = hand_rows(demo), parse_instant(STORY)
    today = date(2026, 3, 25)
    late: dict[str, list[Any]] = defaultdict(list)
    for r in rows:
        if r.status in AWAITING and r.due_at <= now:
            late[r.code].append(r)
    assert len(late) >= 2
    shown = json.loads(status(demo, "--late", "--json").stdout)
    assert {u["code"]: (u["deadline"], u["late_runs"], u["days_late"], u["working_days_late"])
            for u in shown} == {
        code: (min(r.due_on for r in runs_).isoformat(), len(runs_),
               (today - min(r.due_on for r in runs_)).days,
               runtime.calendar.working_days_between(min(r.due_on for r in runs_), today))
        for code, runs_ in late.items()}
    assert [u["deadline"] for u in shown] == sorted(u["deadline"] for u in shown)
    kien_hai = json.loads(status(demo, "--late", "--json", "--unit", "UBND-KIENHAI").stdout)
    path, _ = _units(demo)["UBND-KIENHAI"]
    assert {u["code"] for u in kien_hai} == {c for c, rs in late.items()
                                             if rs[0].path.startswith(path)}
    units = _units(demo)
    top_depth = units["SGDDT-AG"][1]
    shallow = json.loads(status(demo, "--late", "--json", "--depth", "1").stdout)
    assert {u["code"] for u in shallow} == {c for c in late if units[c][1] - top_depth <= 1}
    assert {u["level"] for u in shown} > {u["level"] for u in shallow}  # deeper ones left out
    text = status(demo, "--late").stdout
    assert text.splitlines()[-1] == f"{len(late)} đơn vị trễ hạn"


def test_the_tree_lists_every_live_run_under_its_unit(demo):
    rows = hand_rows(demo)
    shown = json.loads(status(demo, "--tree", "--json").stdout)
    unit, listed = None, []
    for row in shown:
        if row["type"] == "unit":
            unit = row["code"]
        else:
            listed.append((unit, row["status"]))
    assert sorted(listed) == sorted((r.code, r.status.value) for r in rows
                                    if r.status not in (Status.CANCELLED, Status.WAIVED))


def test_the_tree_is_written_as_its_rows_are_read(demo, monkeypatch):
    """Each line is out before the next row is read: the command holds one row at a time."""
    real, seen = status_summary.tree_rows, []

    def watched(*args: Any, **kwargs: Any) -> Any:
        for row in real(*args, **kwargs):
            sys.stdout.flush()
            seen.append(len(sys.stdout.buffer.getvalue().decode().splitlines()))
            yield row

    monkeypatch.setattr(status_summary, "tree_rows", watched)
    lines = status(demo, "--tree").stdout.splitlines()
    assert len(seen) == len(lines) - 3 > 10  # the heading (2 lines and a blank), a line a row
    assert seen == [3 + i for i in range(len(seen))]  # row i read when i rows were printed


def test_bad_focus_or_depth_exits_2_naming_the_field(demo):
    def refused_status(*args: str) -> str:
        return refused(chidao("--db", demo, "status", KH, "--now", STORY, *args))

    assert "unit: 'KHONG' is not a known unit code" in refused_status("--unit", "KHONG")
    line = refused_status("--unit", "BGDDT")  # above the issuer
    assert "unit: 'BGDDT'" in line and "not in the tree of 1039/KH-SGDĐT" in line
    line = refused_status("--unit", "MN-HONTRE-VP")  # below the issuer, but given nothing
    assert "unit: 'MN-HONTRE-VP'" in line and "has no run" in line
    assert "depth: 0 is not a number of levels" in refused_status("--depth", "0")
    assert "late:" in refused_status("--late", "--tree")
    done = chidao("--db", demo, "status", KH, "--depth", "hai")
    assert done.exit_code == 2 and "--depth" in done.output
