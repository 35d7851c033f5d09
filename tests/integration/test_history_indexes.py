"""Years of closed runs (history) must not slow down what is read and swept today: the sweep's
and the unit inbox's statements are answered from the partial indexes of open runs (migration
0017), on SQLite and on PostgreSQL; the inbox page shows the newest closed runs as it did when
it read them all (bench/history.py measures the time)."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from bench.plans import sent_selects
from chidao.config.clock import resolve_now
from chidao.db.database import reading, transaction
from chidao.domain.status import Status
from chidao.domain.units import Unit
from chidao.notifications.sweep import sweep
from chidao.queries.inbox import recent_closed, unit_assignments
from tests.support.cascade import act, issue_data, issue_file, runs, seed_units, small

NOW = resolve_now("2026-03-20T08:00")


def plan(engine: Any, statement: str, parameters: Any, *, without: str | None = None) -> str:
    """The plan of `statement` with index `without` dropped and full scans discouraged (in a
    transaction rolled back): it names an index only if the WHERE lets the planner use it."""
    with engine.connect() as conn:
        if without:
            conn.exec_driver_sql(f"DROP INDEX {without}")
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            rows = conn.exec_driver_sql("EXPLAIN " + statement, parameters).scalars().all()
        else:
            rows = [r[-1] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                        parameters)]
        conn.rollback()
    return "\n".join(rows)


def a_school(engine: Any) -> Unit:
    with reading(engine) as session:
        return session.exec(select(Unit).where(Unit.code == "MN-HONTRE")).one()


def test_a_units_open_runs_are_read_through_the_partial_index_of_open_runs(engine, calendar):
    seed_units(engine)
    issue_file(engine, "kh-1039-sgddt-stem.yaml", "2026-02-26T09:00")
    unit = a_school(engine)
    with reading(engine) as session:
        found = sent_selects(engine, lambda: unit_assignments(session, unit, now=NOW,
                                                            calendar=calendar), "assignment")
    [(statement, parameters)] = found
    assert "ix_assignment_open_unit" in plan(engine, statement, parameters,
                                             without="ix_assignment_unit_status")


def test_the_sweep_reads_due_runs_through_the_partial_index_of_watched_runs(engine, calendar):
    seed_units(engine)
    issue_file(engine, "kh-1039-sgddt-stem.yaml", "2026-02-26T09:00")
    with transaction(engine) as session:
        found = sent_selects(engine, lambda: sweep(session, now=NOW, calendar=calendar,
                                                 send_at=resolve_now("2026-03-20T07:30").time(),
                                                 dry_run=True), "assignment")
    due = [s for s in found if "next_action_at <=" in s[0]]
    assert due, found
    assert "ix_assignment_next_action_at" in plan(engine, *due[0])


def test_the_inbox_page_shows_the_newest_closed_runs_as_when_it_read_them_all(engine, calendar):
    """recent_closed(limit) = the unit's closed runs, latest deadline first (equal deadlines
    in the inbox's order), cut at `limit`: what the page took from all of the unit's runs."""
    seed_units(engine)
    dues = ["2026-04-10", "2026-03-31", "2026-04-10", "2026-05-15", "2026-03-31", "2026-04-30"]
    issued = issue_data(engine, small(requirements=[
        {"key": f"r{i}", "kind": "report", "title": f"Báo cáo {i}",
         "to": {"units": ["MN-HONTRE"]}, "due": due} for i, due in enumerate(dues)]),
        "2026-03-02T09:00")
    unit = a_school(engine)
    theirs = sorted(runs(engine, issued.key).values(), key=lambda r: r.id or 0)
    assert len(theirs) == len(dues)
    for run, target in zip(theirs, (Status.WAIVED, Status.CANCELLED, Status.WAIVED,
                                    Status.CANCELLED), strict=False):
        act(engine, run.id or 0, target, "SGDDT-AG", reason="Không còn áp dụng",
            when="2026-03-12T09:00")
    with reading(engine) as session:
        every = unit_assignments(session, unit, now=NOW, calendar=calendar,
                                 include_closed=True)
        shown = sorted((r for r in every if not r.status.is_open), key=lambda r: r.due_on,
                       reverse=True)
        for limit in (1, 2, 3, 4, 10):
            assert recent_closed(session, unit, now=NOW, calendar=calendar,
                                 limit=limit) == shown[:limit]
        owed = unit_assignments(session, unit, now=NOW, calendar=calendar)
    assert len(shown) == 4 and len(owed) == 2
    assert owed == [r for r in every if r.status.is_open]
    assert [r.due_on.isoformat() for r in shown] == [
        "2026-05-15", "2026-04-10", "2026-04-10", "2026-03-31"]
