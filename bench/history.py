"""History benchmark (PostgreSQL): does a decade of closed runs slow down what is read and
swept today? Two databases hold the same national tree and open runs of this school year (a
Ministry directive to every school and class, read by the national dashboard, and reports
making up `--open` runs, 1% due for the sweep); "with" also holds `--history` closed runs
(accepted, cancelled, waived) of past school years and the audit event closing each, loaded on
the server (INSERT … SELECT generate_series). Timed on both, alternated, medians of `--repeat`:
  sweep         notifications.sweep.sweep, 1% of the open runs due (rolled back each time);
  inbox         queries.inbox.unit_assignments (what a unit owes) for `--units` schools;
  dashboard     the Ministry's directive page's counts: queries.listings.directive_units
                and queries.directive_page.requirement_texts;
  inbox_closed  (not in the goal) the inbox page's newest closed runs, recent_closed.
`--before-indexes` then downgrades both to the revision before 0017 and measures again.

Run: .venv/bin/python -m bench.history --database postgresql [--history N] [--open M]
     [--quick] [--repeat 5] [--before-indexes] [--explain]
Last line: {"database": "postgresql", "history_rows": N, "open_rows": M, "history_events": E,
            "sweep": {"without_ms", "with_ms", "ratio"}, "inbox": {…}, "dashboard": {…},
            "inbox_closed": {…}, "load_seconds": …, "before_indexes": {…} | null,
            "goal_met": sweep, inbox and dashboard ratios ≤ 1.2}
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from bench.cascade import DIRECTIVE, build_template
from bench.databases import Databases, add_database_arguments, bench_databases
from bench.plans import print_plans
from chidao.config.calendar_source import vietnam_calendar
from chidao.config.clock import resolve_now
from chidao.config.settings import Settings
from chidao.db.database import alembic_config, make_engine, transaction
from chidao.domain.accounts import User
from chidao.domain.directives import Directive
from chidao.domain.specs import parse_directive
from chidao.domain.units import Unit, unit_table
from chidao.notifications.sweep import sweep
from chidao.queries.directive_page import requirement_texts
from chidao.queries.inbox import recent_closed, unit_assignments
from chidao.queries.listings import directive_units, due_window
from chidao.services.accounts import add_user
from chidao.services.issue import issue_directive

NOW = "2026-03-16T07:31"  # one minute after the d-3 reminders of the runs due 19/03/2026
GOAL = 1.2  # with history ÷ without, for each figure
LEAVES = ("school", "independent_class")
PER_DIRECTIVE = 1000  # runs per past directive: ~1,000 units each, as a Sở's directive (issue 18)
SHOWN = 200  # closed runs the inbox page shows (chidao.web.pages_inbox.SHOWN)
READINGS = ("sweep", "inbox", "dashboard", "inbox_closed")


def build_current(dbs: Databases, open_rows: int) -> tuple[int, int]:
    """Database "without": the tree, the dashboard's directive, the reports making up
    `open_rows` open runs (1% due now), the Ministry's user. (directive id, leaf count)."""
    engine = make_engine(build_template(dbs, "without"))
    now, cal, rules = resolve_now("2026-03-02T09:00"), vietnam_calendar(), Settings().rules()
    started = time.perf_counter()
    with transaction(engine) as session:
        leaves = len(session.execute(select(unit_table.c.id).where(
            unit_table.c.kind.in_(LEAVES))).all())
        board = issue_directive(session, parse_directive(DIRECTIVE), now=now, calendar=cal,
                                rules=rules).directive_id
        reports = max(1, round(open_rows / leaves) - 1)
        issue_directive(session, parse_directive({
            "number_symbol": "18/KH-BGDĐT", "issuer": "BGDDT", "issued_on": "2026-03-02",
            "title": "Các nhiệm vụ năm học",
            "requirements": [{"key": f"r{i}", "kind": "report", "title": f"Báo cáo {i}",
                              "to": {"descendants": {"kind": list(LEAVES)}},
                              "due": "2026-03-19"} for i in range(reports)]}),
            now=now, calendar=cal, rules=rules)
        add_user(session, username="bo", full_name="Bộ", unit_code="BGDDT", role="staff",
                 password="mat-khau-bench-2026", now=now)
    engine.dispose()
    print(f"current: {reports + 1} requirements cascaded in"
          f" {time.perf_counter() - started:.1f} s", flush=True)
    _stage_ladder(dbs)
    dbs.settle("without")
    return board, leaves


def _stage_ladder(dbs: Databases) -> None:
    """Every open run past its d-7 reminder, 1% of them due for d-3 now (as bench.sweep)."""
    m = dbs.marker
    with dbs.raw("without") as conn:
        conn.execute(f"UPDATE assignment SET stage_cursor = {m}, last_stage = '2026-03-19/d-7',"
                     f" next_action_at = CASE WHEN MOD(id, 100) = 0 THEN {m} ELSE {m} END",
                     tuple(dbs.stamp(resolve_now(t)) for t in (
                         "2026-03-10T07:30", "2026-03-16T07:30", "2026-03-18T07:30")))


HISTORY_SQL = [
    # the leaves, numbered; one past directive (and its one requirement) per PER_DIRECTIVE runs
    "CREATE TEMP TABLE leaf AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, code"
    " FROM unit WHERE kind IN ('school', 'independent_class')",
    "CREATE TEMP TABLE past AS SELECT d, date '2016-09-20' + (d * 3450 / %(dirs)s)::int AS due"
    " FROM generate_series(0, %(dirs)s - 1) AS d",
    "INSERT INTO directive (key, number, number_value, symbol, doc_type, issuer_id, issued_on,"
    " issue_year, title, school_year, issued_at, recalled_at, recall_reason, revision,"
    " search_text) SELECT 'lich-su-' || d, d::text, d, 'KH-BGDĐT', doc_type, issuer_id,"
    " due - 30, 1900 + d, 'Nhiệm vụ năm học cũ ' || d, extract(year FROM due - 240)::int || '-'"
    " || extract(year FROM due + 125)::int, (due - 30)::timestamptz, NULL, '', 1, search_text"
    " FROM past, directive WHERE directive.id = %(board)s",
    "ALTER TABLE past ADD COLUMN directive_id int, ADD COLUMN requirement_id int",
    "UPDATE past SET directive_id = directive.id FROM directive"
    " WHERE directive.key = 'lich-su-' || past.d",
    "INSERT INTO requirement (directive_id, key, kind, title, target, due, policy, form_id)"
    " SELECT past.directive_id, r.key, r.kind, r.title, r.target, r.due, r.policy, r.form_id"
    " FROM past, requirement AS r WHERE r.directive_id = %(board)s",
    "UPDATE past SET requirement_id = requirement.id FROM requirement"
    " WHERE requirement.directive_id = past.directive_id",
    "ANALYZE leaf", "ANALYZE past",
    # closed runs: 85% accepted (handed in two days early), 10% cancelled, 5% waived
    "INSERT INTO assignment (requirement_id, directive_id, unit_id, period, due_on, due_at,"
    " status, status_changed_at, submitted_at, next_action_at, stage_cursor, last_stage,"
    " created_at) SELECT p.requirement_id, p.directive_id, leaf.id, '', p.due,"
    " p.due + time '10:00', s.status, p.due + time '10:00' + interval '1 day',"
    " CASE WHEN s.status = 'accepted' THEN p.due + time '03:00' - interval '2 days' END, NULL,"
    " p.due + time '00:30' - interval '3 days', p.due || '/d-3', (p.due - 30)::timestamptz"
    " FROM generate_series(0, %(rows)s - 1) AS g"
    " JOIN past AS p ON p.d = g / %(per)s"
    " JOIN leaf ON leaf.n = (g %% %(per)s + (g / %(per)s) * 7919) %% %(leaves)s"
    " CROSS JOIN LATERAL (SELECT CASE WHEN g %% 20 < 2 THEN 'cancelled'"
    " WHEN g %% 20 = 2 THEN 'waived' ELSE 'accepted' END AS status) AS s",
    # the audit event that closed each of them
    "INSERT INTO assignment_event (assignment_id, at, actor, from_status, to_status, reason,"
    " by_person, on_behalf_of) SELECT a.id, a.status_changed_at, 'BGDDT', CASE a.status WHEN"
    " 'accepted' THEN 'submitted' ELSE 'received' END, a.status, CASE a.status WHEN"
    " 'accepted' THEN '' ELSE 'Không còn áp dụng' END, '', '' FROM assignment AS a"
    " JOIN past ON past.directive_id = a.directive_id",
]


def load_history(dbs: Databases, board: int, rows: int, leaves: int) -> tuple[float, int]:
    """Database "with": a copy of "without" plus `rows` closed runs of past school years and
    their closing events. (seconds, events)."""
    dbs.copy("without", "with")
    per = min(PER_DIRECTIVE, leaves, rows)
    params = {"rows": rows, "per": per, "dirs": -(-rows // per), "leaves": leaves,
              "board": board}
    started = time.perf_counter()
    with dbs.raw("with") as conn:
        conn.execute("BEGIN")
        for sql in HISTORY_SQL:
            step = time.perf_counter()
            done = conn.execute(sql, params if "%(" in sql else None)
            print(f"  {sql[:48]}… {done.rowcount} rows, {time.perf_counter() - step:.1f} s",
                  flush=True)
        conn.execute("COMMIT")
        events = done.rowcount
    dbs.settle("with")
    return time.perf_counter() - started, events


def downgrade_before_indexes(dbs: Databases) -> None:
    """Both databases one revision down from 0017 (its partial indexes removed)."""
    from alembic import command

    for name in ("without", "with"):
        command.downgrade(alembic_config(dbs.url(name)), "0017-1")
        dbs.settle(name)


class Readings:
    """The three readings on one database, each timed in milliseconds."""

    def __init__(self, url: str, board: int, units: int) -> None:
        self.engine = make_engine(url)
        self.calendar, self.settings = vietnam_calendar(), Settings()
        self.now = resolve_now(NOW)
        with Session(self.engine) as session:
            ids = session.execute(select(unit_table.c.id).where(
                unit_table.c.kind.in_(LEAVES)).order_by(unit_table.c.id)).scalars().all()
            step = max(1, len(ids) // units)
            self.units = [session.get(Unit, i) for i in ids[::step][:units]]
            self.user = session.execute(select(User).where(User.username == "bo")).scalar_one()
            self.directive = session.get(Directive, board)
            session.expunge_all()

    def sweep(self) -> tuple[float, int]:
        with Session(self.engine) as session:
            session.begin()
            started = time.perf_counter()
            report = sweep(session, now=self.now, calendar=self.calendar,
                           send_at=self.settings.send_from)
            session.flush()
            elapsed = time.perf_counter() - started
            session.rollback()
        return elapsed * 1000, report.examined

    def inbox(self) -> tuple[float, int]:
        with Session(self.engine) as session:
            started = time.perf_counter()
            count = sum(len(unit_assignments(session, unit, now=self.now,
                                             calendar=self.calendar)) for unit in self.units)
            return (time.perf_counter() - started) * 1000, count

    def inbox_closed(self) -> tuple[float, int]:
        with Session(self.engine) as session:
            started = time.perf_counter()
            count = sum(len(recent_closed(session, unit, now=self.now, calendar=self.calendar,
                                          limit=SHOWN)) for unit in self.units)
            return (time.perf_counter() - started) * 1000, count

    def dashboard(self) -> tuple[float, int]:
        now, soon = due_window(self.now, self.calendar,
                               self.settings.rules().due_soon_working_days)
        with Session(self.engine) as session:
            started = time.perf_counter()
            units, total = directive_units(session, self.user, self.directive, now=now,
                                           soon=soon, page=0)
            texts = requirement_texts(session, self.directive.id or 0)
            elapsed = time.perf_counter() - started
        return elapsed * 1000, sum(u["total"] for u in units) + len(texts)


def explain(readings: dict[str, Readings]) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the statements on assignment each reading sends, per
    side: what touches the history."""
    for name in READINGS:
        for side, reading in readings.items():
            print_plans(reading.engine, f"{name} {side}", getattr(reading, name))


def measure(readings: dict[str, Readings], repeat: int) -> dict[str, Any]:
    """Each reading on "without" then "with", `repeat` times (one warm-up round first)."""
    figures: dict[str, Any] = {}
    for name in READINGS:
        times: dict[str, list[float]] = {"without": [], "with": []}
        for i in range(repeat + 1):
            for side in ("without", "with"):
                reading: Callable[[], tuple[float, int]] = getattr(readings[side], name)
                ms, count = reading()
                if i:
                    times[side].append(ms)
                print(f"{name} {side}: {ms:.1f} ms ({count} rows)", flush=True)
        without, with_ = statistics.median(times["without"]), statistics.median(times["with"])
        figures[name] = {"without_ms": round(without, 1), "with_ms": round(with_, 1),
                         "ratio": round(with_ / without, 2)}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--history", type=int, default=10_000_000)
    parser.add_argument("--open", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="1M history, 100k open")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--units", type=int, default=40, help="inboxes read per inbox reading")
    parser.add_argument("--explain", action="store_true",
                        help="print the plans of the readings' statements first")
    parser.add_argument("--before-indexes", action="store_true",
                        help="then downgrade to the revision before 0017 and measure again")
    add_database_arguments(parser)
    args = parser.parse_args()
    if args.quick:
        args.history, args.open = 1_000_000, 100_000
    if args.database != "postgresql":
        raise SystemExit("bench.history runs on PostgreSQL: --database postgresql")
    with bench_databases(args) as dbs:
        board, leaves = build_current(dbs, args.open)
        load_seconds, events = load_history(dbs, board, args.history, leaves)
        print(f"history: {args.history} runs, {events} events in {load_seconds:.1f} s",
              flush=True)
        with dbs.raw("without") as conn:
            open_rows = conn.execute("SELECT count(*) FROM assignment").fetchone()[0]
        figures = read_both(dbs, board, args)
        before = None
        if args.before_indexes:
            downgrade_before_indexes(dbs)
            before = read_both(dbs, board, args)
    print(json.dumps({"database": "postgresql", "history_rows": args.history,
                      "open_rows": open_rows, "history_events": events, **figures,
                      "load_seconds": round(load_seconds, 1), "before_indexes": before,
                      "goal_met": all(figures[f]["ratio"] <= GOAL
                                      for f in ("sweep", "inbox", "dashboard"))}))


def read_both(dbs: Databases, board: int, args: argparse.Namespace) -> dict[str, Any]:
    readings = {side: Readings(dbs.url(side), board, args.units)
                for side in ("without", "with")}
    try:
        if args.explain:
            explain(readings)
        return measure(readings, args.repeat)
    finally:
        for reading in readings.values():
            reading.engine.dispose()


if __name__ == "__main__":
    main()
