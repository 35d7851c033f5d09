"""The consolidated report of a directive's cascade: per form and period, each unit that reports
to the directive's issuer with its handed-in figures, then its own reporters and their live
subtotal; accepted and provisional (every latest handed-in report) side by side, each with its
coverage, and a flag on every handed-in figure that differs from its live subtotal."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, literal, select
from sqlmodel import Session, SQLModel, col

from ..domain.assignments import assignment_table
from ..domain.calendar import WorkingCalendar
from ..domain.directives import Directive, requirement_table
from ..domain.figures import figure_text
from ..domain.forms import Aggregate, FieldType, FormSpec
from ..domain.reports import ReportForm, SubmissionState, form_spec
from ..domain.timeliness import TimelinessJudge
from ..domain.units import Unit, subtree_bounds, unit_table
from .read_scope import figures_scope
from .rollup import NodeTotals, rollup

_a, _r, _u = assignment_table.c, requirement_table.c, unit_table.c
submission_table = SQLModel.metadata.tables["submission"]
citation_table = SQLModel.metadata.tables["citation"]
_s, _older = submission_table.c, submission_table.alias("older")
_c = citation_table.c
_COMPARED = {Aggregate.SUM, Aggregate.MEAN, Aggregate.MIN, Aggregate.MAX, Aggregate.COUNT_TRUE,
             Aggregate.COUNT_PER_CHOICE}


@dataclass
class Pair:
    """The same rollup twice: accepted figures only, and provisionally every handed-in one."""

    accepted: NodeTotals
    provisional: NodeTotals


@dataclass
class Row:
    """One unit's run: its handed-in figures, accepted (None until accepted) and provisional
    (None until handed in, or once returned)."""

    code: str
    name: str
    status: str
    accepted: dict[str, Any] | None
    provisional: dict[str, Any] | None


@dataclass
class Flag:
    field: str
    label: str
    handed_in: Any
    live: Any

    @property
    def text(self) -> str:
        return f"⚠ khác tổng cấp dưới: {self.label}: {shown(self.handed_in)} ≠ {shown(self.live)}"


@dataclass
class Block:
    """A unit reporting to the root's issuer, its reporters and their live subtotal."""

    row: Row
    reporters: list[Row] = field(default_factory=list)
    live: Pair | None = None
    flags: list[Flag] = field(default_factory=list)


@dataclass
class FormReport:
    form: FormSpec
    period: str
    as_of: datetime
    blocks: list[Block]
    total: Pair
    live: Pair | None  # every reporter below the units, added up

    @property
    def flagged(self) -> list[str]:
        return [b.row.code for b in self.blocks if b.flags]

    @property
    def flagged_names(self) -> list[str]:
        return [b.row.name for b in self.blocks if b.flags]


def consolidated(session: Session, root: Directive, *, now: datetime,
                 calendar: WorkingCalendar, soon_working_days: int = 3,
                 reader: Unit | None = None) -> list[FormReport]:
    """The report as `reader` may see it (chidao.queries.read_scope): the issuer and the units above
    it see every unit; any other unit sees its own subtree only (None: the whole cascade).
    A fixed number of statements whatever the number of units, runs and plans."""
    top = figures_scope(session, reader, root)
    reqs = _cascade_requirements(session, root)
    periods = _periods(session, [req_id for req_id, directive_id, _ in reqs
                                 if directive_id == root.id])
    judge = TimelinessJudge(now, calendar, soon_working_days)
    reports = []
    for req_id, _, stored in [r for r in reqs if r[1] == root.id]:
        form = form_spec(stored)
        lower = [r[0] for r in reqs if r[1] != root.id and r[2].key == form.key]
        for period in periods.get(req_id, []):
            reports.append(_form_report(session, top, req_id, lower, period, form, judge))
    return reports


def _cascade_requirements(session: Session, root: Directive
                          ) -> list[tuple[int, int, ReportForm]]:
    """(requirement id, directive id, form) of every requirement with a form of `root` and of
    the directives issued down the cascade from it (one recursive query)."""
    cascade = select(literal(root.id).label("id")).cte("cascade", recursive=True)
    cascade = cascade.union(select(_c.directive_id).join(cascade, _c.cited_id == cascade.c.id))
    rows = session.execute(
        select(_r.id, _r.directive_id, ReportForm)
        .join(ReportForm, col(ReportForm.id) == _r.form_id)
        .where(_r.directive_id.in_(select(cascade.c.id))).order_by(_r.id)).all()
    return [(req_id, directive_id, form) for req_id, directive_id, form in rows]


def _periods(session: Session, requirement_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for req_id, period in session.execute(
            select(_a.requirement_id, _a.period).where(_a.requirement_id.in_(requirement_ids))
            .distinct().order_by(_a.period)):
        found.setdefault(req_id, []).append(period)
    return found


def _pair(session: Session, requirement_ids: list[int], period: str, node: Unit,
          form: FormSpec) -> list[Pair]:
    """[node, child, ...] as pairs (children that have runs in both: all of them)."""
    accepted, provisional = (
        rollup(session, requirement_ids=requirement_ids, period=period, node=node, form=form,
               accepted_only=only, provenance=True) for only in (True, False))
    by_code = {n.code: n for n in provisional}
    return [Pair(a, by_code.get(a.code, a)) for a in accepted]


def _form_report(session: Session, top: Unit, req_id: int, lower: list[int],
                 period: str, form: FormSpec, judge: TimelinessJudge) -> FormReport:
    """`top`: the top of what the reader sees, the directive's issuer or the reader. A reader
    below the directive's addressees sees its own runs of the plans down the cascade."""
    rows = _runs(session, [req_id], period, judge, top)
    if not rows and lower:
        return _own_report(session, top, lower, period, form, judge)
    total = _pair(session, [req_id], period, top, form)[0]
    live, live_by_code, below = None, {}, []
    if lower:
        live, *children = _pair(session, lower, period, top, form)
        live_by_code = {p.accepted.code: p for p in children}
        below = _runs(session, lower, period, judge, top)
    blocks = []
    for row, unit_id, path in rows:
        block = Block(row)
        if live is not None:
            block.live = live_by_code.get(row.code) or _block_live(
                session, top, live, unit_id, path, row, lower, period, form)
            block.reporters = [r for r, _, p in below if p.startswith(path) and p != path]
            block.flags = flags(form, row.provisional, block.live.accepted)
        blocks.append(block)
    return FormReport(form, period, judge.now, blocks, total, live)


def _block_live(session: Session, top: Unit, live: Pair, unit_id: int, path: str, row: Row,
                lower: list[int], period: str, form: FormSpec) -> Pair:
    """The live subtotal of a block that is not among the top's children with reporters: the
    top itself (its subtotal is the live total), a child of the top without a run of the
    plans in its subtree (nothing to add up), or a deeper unit (its own rollup: a directive
    addressed below the issuer's children)."""
    if unit_id == top.id:
        return live
    if path.rsplit("/", 2)[0] + "/" == top.path:  # a child of the top: no reporter below it
        return Pair(*(NodeTotals(unit_id, row.code, row.name, 0, 0, {}, [], [])
                      for _ in range(2)))
    unit = session.get(Unit, unit_id)
    assert unit is not None
    return _pair(session, lower, period, unit, form)[0]


def _own_report(session: Session, top: Unit, lower: list[int], period: str, form: FormSpec,
                judge: TimelinessJudge) -> FormReport:
    """The runs of the plans down the cascade within `top`'s subtree, each a block."""
    blocks = [Block(row) for row, _, _ in _runs(session, lower, period, judge, top)]
    return FormReport(form, period, judge.now, blocks, _pair(session, lower, period, top, form)[0],
                      None)


def _runs(session: Session, requirement_ids: list[int], period: str, judge: TimelinessJudge,
          under: Unit) -> list[tuple[Row, int, str]]:
    """(row, unit id, unit path) of each run of these requirements below `under`, in tree
    order, with its latest submission (one query); `under` itself when it has runs too."""
    low, high = subtree_bounds(under.path)
    newest = select(func.max(_older.c.version)).where(
        _older.c.assignment_id == _a.id).scalar_subquery()
    found = session.execute(
        select(_u.id, _u.path, _u.code, _u.name, _a.status, _a.due_on, _a.due_at, _s.state,
               _s["values"])
        .join(unit_table, _u.id == _a.unit_id)
        .outerjoin(submission_table, and_(_s.assignment_id == _a.id, _s.version == newest))
        .where(_a.requirement_id.in_(requirement_ids), _a.period == period,
               _u.path >= low, _u.path < high).order_by(_u.path))
    rows = []
    for unit_id, path, code, name, status, due_on, due_at, state, values in found:
        label = status.label
        timeliness = judge.timeliness(status, due_on, due_at)
        if timeliness is not None:
            label += f" · {timeliness.label}"
        handed_in = state in (SubmissionState.SUBMITTED, SubmissionState.ACCEPTED)
        rows.append((Row(code, name, label,
                         dict(values) if state == SubmissionState.ACCEPTED else None,
                         dict(values) if handed_in else None), unit_id, path))
    return rows


def flags(form: FormSpec, handed_in: dict[str, Any] | None, live: NodeTotals) -> list[Flag]:
    """Each figure the unit handed in that differs from its reporters' accepted subtotal (a
    field the subtotal has no figure for is not compared; texts and dates are not)."""
    if handed_in is None:
        return []
    found = []
    for f in form.fields:
        mine, theirs = handed_in.get(f.key), live.values.get(f.key)
        if f.how not in _COMPARED or f.type is FieldType.DATE or mine is None or theirs is None:
            continue
        if not _same(f.choices, mine, theirs):
            found.append(Flag(f.key, f.label, mine, theirs))
    return found


def _same(choices: list[str], mine: Any, theirs: Any) -> bool:
    if isinstance(theirs, dict):
        mine = {mine: 1} if isinstance(mine, str) else mine
        return {c: mine.get(c, 0) for c in choices} == {c: theirs.get(c, 0) for c in choices}
    if isinstance(mine, bool | int | float) and isinstance(theirs, int | float):
        return math.isclose(float(mine), float(theirs), rel_tol=1e-9, abs_tol=1e-9)
    return bool(mine == theirs)


def shown(value: Any) -> str:
    """A figure as people read it: Có/Không, "tốt: 2, khá: 1", one text line per item
    (chidao.domain.figures)."""
    return figure_text(value)


def coverage(totals: NodeTotals) -> str:
    return f"{totals.reported}/{totals.expected}"


def report_data(reports: list[FormReport]) -> list[dict[str, Any]]:
    """The reports as JSON: what `chidao report --json` prints."""
    return [{"form": r.form.key, "period": r.period, "as_of": r.as_of.isoformat(),
             "total": _pair_data(r.total), "live_total": _pair_data(r.live),
             "flagged": r.flagged,
             "units": [_row_data(b.row) | {
                 "live": _pair_data(b.live), "flags": [f.__dict__ | {"text": f.text}
                                                       for f in b.flags],
                 "reporters": [_row_data(x) for x in b.reporters]} for b in r.blocks]}
            for r in reports]


def _row_data(row: Row) -> dict[str, Any]:
    return {"code": row.code, "name": row.name, "status": row.status,
            "accepted": row.accepted, "provisional": row.provisional}


def _pair_data(pair: Pair | None) -> dict[str, Any] | None:
    if pair is None:
        return None
    return {view: {"values": t.values, "reported": t.reported, "expected": t.expected,
                   "coverage": coverage(t), "missing": t.missing}
            for view, t in (("accepted", pair.accepted), ("provisional", pair.provisional))}
