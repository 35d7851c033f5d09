"""Scheduled aggregation: once a level's cut-off has passed, each unit that must report up
gets a draft of its own report pre-filled with its subtree's totals and who is missing, and
the draft follows its reporters' accepted figures until the unit hands it in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from chidao.domain.assignments import Assignment, assignment_table
from chidao.domain.directives import Citation, Directive, requirement_table
from chidao.domain.reports import ReportForm, SubmissionState
from chidao.domain.status import AWAITING_UNIT
from chidao.domain.units import Unit
from chidao.queries.rollup import rollup
from chidao.services.drafts import refresh_draft
from chidao.services.forms_store import form_spec
from chidao.services.report_review import latest_submission

_a, _r = assignment_table.c, requirement_table.c


@dataclass
class AggregateRun:
    created: list[int] = field(default_factory=list)  # draft submission ids
    updated: list[int] = field(default_factory=list)

    @property
    def drafts(self) -> list[int]:
        return self.created + self.updated


def aggregate(session: Session, *, now: datetime) -> AggregateRun:
    """Create the drafts that are due and bring the ones not yet handed in up to date with
    their reporters' accepted figures; idempotent (an unchanged draft is not written)."""
    done = AggregateRun()
    for (issuer_id, period, form_id), (requirement_ids, upward) in _due(session, now).items():
        issuer = session.get(Unit, issuer_id)
        form = session.get(ReportForm, form_id)
        assert issuer is not None and form is not None
        spec = form_spec(form)  # one rollup per level and period, whatever the number of runs
        totals = rollup(session, requirement_ids=sorted(requirement_ids), period=period,
                        node=issuer, form=spec, provenance=True)[0]
        for run in upward.values():
            is_new = latest_submission(session, run.id or 0) is None
            draft = refresh_draft(session, run, spec, totals, now=now)
            if draft is not None:
                (done.created if is_new else done.updated).append(int(draft.id or 0))
    return done


def _due(session: Session, now: datetime) -> dict[tuple[int, str, int], tuple[
        set[int], dict[int, Assignment]]]:
    """Per (issuer, period, form): the closed requirements its reporters answer and its own
    upward runs whose report is not handed in yet (no submission, or a draft)."""
    due: dict[tuple[int, str, int], tuple[set[int], dict[int, Assignment]]] = {}
    closed = session.execute(
        select(_a.requirement_id, _a.period, _a.directive_id, _r.form_id)
        .join(requirement_table, _r.id == _a.requirement_id)
        .where(_r.form_id.is_not(None), _a.due_at <= now)
        .group_by(_a.requirement_id, _a.period, _a.directive_id, _r.form_id)).all()
    for requirement_id, period, directive_id, form_id in closed:
        directive = session.get(Directive, directive_id)
        form = session.get(ReportForm, form_id)
        assert directive is not None and form is not None
        open_runs = [run for run in _upward_runs(session, directive, form, period)
                     if _not_handed_in(session, run)]
        if open_runs:
            requirements, runs = due.setdefault((directive.issuer_id, period, form_id),
                                                 (set(), {}))
            requirements.add(requirement_id)
            runs.update({run.id or 0: run for run in open_runs})
    return due


def _not_handed_in(session: Session, run: Assignment) -> bool:
    latest = latest_submission(session, run.id or 0)
    return latest is None or latest.state == SubmissionState.DRAFT


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
