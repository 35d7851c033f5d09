"""Scheduled aggregation: once a level's cut-off has passed, each unit that must report up
gets a draft of its own report pre-filled with its subtree's totals and who is missing, and
the draft follows its reporters' accepted figures until the unit hands it in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlmodel import Session, SQLModel, col
from sqlmodel import select as model_select

from ..domain.assignments import Assignment, assignment_table
from ..domain.directives import directive_table, requirement_table
from ..domain.reports import ReportForm, SubmissionState, form_spec
from ..domain.status import AWAITING_UNIT
from ..domain.units import Unit
from ..queries.rollup import rollup
from .drafts import refresh_draft

_a, _d, _r = assignment_table.c, directive_table.c, requirement_table.c
_c = SQLModel.metadata.tables["citation"].c
_s = SQLModel.metadata.tables["submission"].c
report_form_table = SQLModel.metadata.tables["report_form"]
_f = report_form_table.c


@dataclass
class AggregateRun:
    created: list[int] = field(default_factory=list)  # draft submission ids
    updated: list[int] = field(default_factory=list)

    @property
    def drafts(self) -> list[int]:
        return self.created + self.updated


def aggregate(session: Session, *, now: datetime) -> AggregateRun:
    """Create the drafts that are due and bring the ones not yet handed in up to date with
    their reporters' accepted figures; idempotent (an unchanged draft is not written).
    What is due is found in five statements; then one rollup per unit that reports up, and
    each draft read and written."""
    done = AggregateRun()
    due, issuers, forms, latest = _due(session, now)
    for (issuer_id, period, form_id), (requirement_ids, upward) in due.items():
        spec = form_spec(forms[form_id])  # one rollup per level and period, whatever the runs
        totals = rollup(session, requirement_ids=sorted(requirement_ids), period=period,
                        node=issuers[issuer_id], form=spec, provenance=True)[0]
        for run in upward.values():
            is_new = (run.id or 0) not in latest
            draft = refresh_draft(session, run, spec, totals, now=now)
            if draft is not None:
                (done.created if is_new else done.updated).append(int(draft.id or 0))
                latest[run.id or 0] = SubmissionState.DRAFT
    return done


Due = dict[tuple[int, str, int], tuple[set[int], dict[int, Assignment]]]


def _due(session: Session, now: datetime) -> tuple[Due, dict[int, Unit], dict[int, ReportForm],
                                                   dict[int, str]]:
    """Per (issuer, period, form): the closed requirements its reporters answer and its own
    upward runs whose report is not handed in yet (no submission, or a draft); with the
    issuers, the forms and the state of each upward run's latest submission."""
    closed = session.execute(
        select(_a.requirement_id, _a.period, _a.directive_id, _r.form_id, _d.issuer_id,
               _f.key)
        .join(requirement_table, _r.id == _a.requirement_id)
        .join(directive_table, _d.id == _a.directive_id)
        .join(report_form_table, _f.id == _r.form_id)
        .where(_a.due_at <= now)
        .group_by(_a.requirement_id, _a.period, _a.directive_id, _r.form_id, _d.issuer_id,
                  _f.key)
        .order_by(_a.requirement_id, _a.period, _a.directive_id, _r.form_id)).all()
    forms = {f.id or 0: f for f in session.exec(model_select(ReportForm).where(
        col(ReportForm.id).in_({form_id for _, _, _, form_id, _, _ in closed})))}
    upward = _upward_runs(session, {directive_id for _, _, directive_id, *_ in closed})
    latest = _latest_states(session, [run.id or 0 for runs in upward.values() for run, _ in runs])
    issuers = {u.id or 0: u for u in session.exec(model_select(Unit).where(
        col(Unit.id).in_({issuer_id for _, _, _, _, issuer_id, _ in closed})))}
    due: Due = {}
    for requirement_id, period, directive_id, form_id, issuer_id, form_key in closed:
        open_runs = [run for run, key in upward.get(directive_id, [])
                     if run.period == period and key == form_key
                     and latest.get(run.id or 0, SubmissionState.DRAFT) == SubmissionState.DRAFT]
        if open_runs:
            requirements, runs = due.setdefault((issuer_id, period, form_id), (set(), {}))
            requirements.add(requirement_id)
            runs.update({run.id or 0: run for run in open_runs})
    return due, issuers, forms, latest


def _upward_runs(session: Session, directive_ids: set[int]
                 ) -> dict[int, list[tuple[Assignment, str]]]:
    """Per directive: its issuer's own open runs in the directives it cites, each with the key
    of its form (one statement)."""
    citing = directive_table.alias("citing")
    found: dict[int, list[tuple[Assignment, str]]] = {}
    seen: set[tuple[int, int]] = set()
    for directive_id, run, key in session.execute(
            select(_c.directive_id, Assignment, ReportForm.key)  # type: ignore[call-overload]
            .join(citing, citing.c.id == _c.directive_id)
            .join(Assignment, and_(col(Assignment.directive_id) == _c.cited_id,
                                   col(Assignment.unit_id) == citing.c.issuer_id))
            .join(requirement_table, _r.id == col(Assignment.requirement_id))
            .join(ReportForm, col(ReportForm.id) == _r.form_id)
            .where(_c.directive_id.in_(directive_ids),
                   col(Assignment.status).in_(list(AWAITING_UNIT)))
            .order_by(col(Assignment.id))):
        if (directive_id, run.id) not in seen:  # a plan citing the same directive twice
            seen.add((directive_id, run.id))
            found.setdefault(directive_id, []).append((run, key))
    return found


def _latest_states(session: Session, run_ids: list[int]) -> dict[int, str]:
    """run id -> the state of its latest submission (runs without one are left out)."""
    newest = select(_s.assignment_id, func.max(_s.version).label("version")).where(
        _s.assignment_id.in_(run_ids)).group_by(_s.assignment_id).subquery()
    found = session.execute(select(_s.assignment_id, _s.state).join(newest, and_(
        newest.c.assignment_id == _s.assignment_id, newest.c.version == _s.version)))
    return dict(found.tuples().all())
