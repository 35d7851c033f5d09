"""Scheduled aggregation: once a level's cut-off has passed, each unit that must report up
gets a draft of its own report pre-filled with its subtree's totals and who is missing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from domain.assignments import Assignment, assignment_table
from domain.directives import Citation, Directive, requirement_table
from domain.forms import Aggregate, FieldType, FormSpec
from domain.reports import ReportForm, Submission, SubmissionState
from domain.status import AWAITING_UNIT
from domain.units import Unit
from flows.forms_store import form_spec
from flows.rollup import NodeTotals, rollup

_a, _r = assignment_table.c, requirement_table.c


def aggregate(session: Session, *, now: datetime) -> list[int]:
    """Create the drafts that are due; idempotent (a run with any submission is skipped)."""
    created = []
    closed = session.execute(
        select(_a.requirement_id, _a.period, _a.directive_id, _r.form_id)
        .join(requirement_table, _r.id == _a.requirement_id)
        .where(_r.form_id.is_not(None), _a.due_at <= now)
        .group_by(_a.requirement_id, _a.period, _a.directive_id, _r.form_id)).all()
    for requirement_id, period, directive_id, form_id in closed:
        directive = session.get(Directive, directive_id)
        form = session.get(ReportForm, form_id)
        assert directive is not None and form is not None
        issuer = session.get(Unit, directive.issuer_id)
        assert issuer is not None
        waiting = [run for run in _upward_runs(session, directive, form, period)
                   if not session.execute(select(Submission.id).where(  # type: ignore[call-overload]
                       Submission.assignment_id == run.id)).first()]
        if not waiting:
            continue
        spec = form_spec(form)  # one rollup per level and period, whatever the number of runs
        totals = rollup(session, requirement_ids=[requirement_id], period=period,
                        node=issuer, form=spec, provenance=True)[0]
        for upward in waiting:
            assert upward.id is not None
            draft = Submission(assignment_id=upward.id, version=1,
                               state=SubmissionState.DRAFT.value,
                               values=draft_values(spec, totals), note=draft_note(totals),
                               actor="chidao", created_at=now)
            session.add(draft)
            session.flush()
            created.append(int(draft.id or 0))
    return created


def _upward_runs(session: Session, directive: Directive, form: ReportForm,
                 period: str) -> list[Assignment]:
    """The issuer's own open runs, in the directives it cites, that report on the same form."""
    cited = [c for (c,) in session.execute(select(Citation.cited_id).where(  # type: ignore[call-overload]
        Citation.directive_id == directive.id, Citation.cited_id.is_not(None)))]  # type: ignore[union-attr]
    if not cited:
        return []
    same_form = select(ReportForm.id).where(ReportForm.key == form.key)  # type: ignore[call-overload]
    ids = session.execute(
        select(_a.id).join(requirement_table, _r.id == _a.requirement_id)
        .where(_a.unit_id == directive.issuer_id, _a.directive_id.in_(cited),
               _a.period == period, _r.form_id.in_(same_form),
               _a.status.in_([s.value for s in AWAITING_UNIT]))).scalars().all()
    return [a for i in ids if (a := session.get(Assignment, i)) is not None]


def draft_values(form: FormSpec, totals: NodeTotals) -> dict[str, Any]:
    """The totals that fit the form's own fields (sums, means, extremes, joined texts)."""
    values: dict[str, Any] = {}
    for f in form.fields:
        value = totals.values.get(f.key)
        if value is None:
            continue
        if f.type in (FieldType.INTEGER, FieldType.DECIMAL) and isinstance(value, int | float):
            values[f.key] = value
        elif f.how is Aggregate.CONCAT:
            values[f.key] = "\n".join(value)
        elif f.type is FieldType.DATE:
            values[f.key] = value
    return values


def draft_note(totals: NodeTotals) -> str:
    note = f"Tổng hợp tự động từ {totals.reported}/{totals.expected} đơn vị đã báo cáo."
    if totals.missing:
        note += f" Chưa có số liệu: {', '.join(totals.missing)}."
    return note
