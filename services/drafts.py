"""A unit's pre-filled upward report follows its reporters until the unit hands it in: each
computation rewrites the draft's figures and records what changed since the previous one
(`Submission.basis`, and a line of the note). A handed-in report is never touched.

How each aggregate lands in the draft (the unit reports on the same form as its reporters):
sum, mean (weighted), min, max and dates as the rollup gives them; concat as one text, a line
per reporter ("Trường X: ..."); count_true as the number of reporters that answered "có" (an
integer) and count_per_choice as {choice: number of reporters} (chidao.domain.counts), which the
unit can adjust and which the level above adds up as they are."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from ..domain.assignments import Assignment
from ..domain.calendar import LOCAL_TZ
from ..domain.directives import Citation, Directive, Requirement
from ..domain.forms import Aggregate, FieldType, FormSpec
from ..domain.reports import ReportForm, Submission, SubmissionState
from ..domain.units import Unit
from ..queries.rollup import NodeTotals
from .report_review import latest_submission


def draft_values(form: FormSpec, totals: NodeTotals) -> dict[str, Any]:
    """The totals as values of the form's own fields (see the module's docstring)."""
    values: dict[str, Any] = {}
    for f in form.fields:
        value = totals.values.get(f.key)
        if value is None:
            continue
        if f.how is Aggregate.CONCAT:
            if value and f.type is FieldType.TEXT:
                values[f.key] = "\n".join(value)
        elif f.how is Aggregate.COUNT_PER_CHOICE:
            values[f.key] = dict(value)
        elif f.type is FieldType.BOOLEAN and f.how is not Aggregate.COUNT_TRUE:
            values[f.key] = bool(value)
        elif f.type is not FieldType.CHOICE:
            values[f.key] = value
    return values


def refresh_draft(session: Session, run: Assignment, form: FormSpec, totals: NodeTotals, *,
                  now: datetime) -> Submission | None:
    """Write the run's draft from `totals` if it has none or it differs; None when nothing
    was written (no change, or the unit has handed in)."""
    assert run.id is not None
    latest = latest_submission(session, run.id)
    if latest is not None and latest.state != SubmissionState.DRAFT:
        return None
    values = draft_values(form, totals)
    before = (latest.basis or {}) if latest is not None else {}
    if latest is not None and latest.values == values and \
            before.get("reporters") == totals.reporters and before.get("missing") == totals.missing:
        return None
    basis = _basis(session, form, totals, latest, now)
    note = draft_note(totals) + (f" {change_line(basis)}" if basis["previous"] else "")
    if latest is None:
        latest = Submission(assignment_id=run.id, version=1, state=SubmissionState.DRAFT.value,
                            actor="chidao", created_at=now, values={})
    latest.values, latest.basis, latest.note = values, basis, note
    session.add(latest)
    session.flush()
    return latest


def _basis(session: Session, form: FormSpec, totals: NodeTotals, previous: Submission | None,
           now: datetime) -> dict[str, Any]:
    before = (previous.basis or {}) if previous is not None else {}
    old = dict(previous.values) if previous is not None else {}
    new = draft_values(form, totals)
    was = set(before.get("reporters", []))
    return {
        "computed_at": now.isoformat(), "reported": totals.reported,
        "expected": totals.expected, "reporters": totals.reporters, "missing": totals.missing,
        "previous": None if previous is None else {
            "computed_at": before.get("computed_at"), "values": old,
            "reporters": sorted(was)},
        "changes": [] if previous is None else [
            {"field": f.key, "label": f.label, "from": old.get(f.key), "to": new.get(f.key)}
            for f in form.fields if old.get(f.key) != new.get(f.key)],
        "added": _names(session, [c for c in totals.reporters if c not in was])
        if previous is not None else [],
        "removed": _names(session, sorted(was - set(totals.reporters))),
    }


def _names(session: Session, codes: list[str]) -> list[str]:
    if not codes:
        return []
    names: dict[str, str] = dict(session.execute(select(Unit.code, Unit.name).where(  # type: ignore[call-overload]
        Unit.code.in_(codes))).tuples().all())  # type: ignore[attr-defined]
    return [names.get(code, code) for code in codes]


def draft_note(totals: NodeTotals) -> str:
    note = f"Tổng hợp tự động từ {totals.reported}/{totals.expected} đơn vị đã báo cáo" \
           " (số liệu đã duyệt)."
    if totals.missing:
        note += f" Chưa có số liệu: {', '.join(totals.missing)}."
    return note


def change_line(basis: dict[str, Any]) -> str:
    """"Thay đổi so với lần tổng hợp 26/05/2026 08:00: so_lop 12 → 31; thêm: Trường X"."""
    previous = (basis.get("previous") or {}).get("computed_at")
    when = f" {datetime.fromisoformat(previous).astimezone(LOCAL_TZ):%d/%m/%Y %H:%M}" \
        if previous else ""
    parts = [f"{c['field']} {_shown(c['from'])} → {_shown(c['to'])}" for c in basis["changes"]]
    if basis["added"]:
        parts.append(f"thêm: {', '.join(basis['added'])}")
    if basis["removed"]:
        parts.append(f"bớt: {', '.join(basis['removed'])}")
    return f"Thay đổi so với lần tổng hợp{when}: {'; '.join(parts) or 'không'}."


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    if isinstance(value, str):
        return f"«{value[:40]}…»" if len(value) > 40 else f"«{value}»"
    return f"{value:g}" if isinstance(value, float) else str(value)


def reports_for_reporters(session: Session, run: Assignment) -> bool:
    """The run's unit has asked units below it to report on the same form for this directive:
    it hands in a consolidated report (counts allowed in count fields)."""
    requirement = session.get(Requirement, run.requirement_id)
    form = session.get(ReportForm, requirement.form_id) if requirement and \
        requirement.form_id else None
    if form is None:
        return False
    same_form = select(ReportForm.id).where(ReportForm.key == form.key)  # type: ignore[call-overload]
    return session.execute(
        select(Requirement.id).join(Directive, Directive.id == Requirement.directive_id)  # type: ignore[call-overload]
        .join(Citation, Citation.directive_id == Directive.id)
        .where(Citation.cited_id == run.directive_id, Directive.issuer_id == run.unit_id,
               Requirement.form_id.in_(same_form))).first() is not None  # type: ignore[union-attr]


def current_draft(session: Session, run: Assignment) -> dict[str, Any] | None:
    """The run's pre-filled draft while it is not handed in: its figures, note and basis."""
    latest = latest_submission(session, run.id or 0)
    if latest is None or latest.state != SubmissionState.DRAFT:
        return None
    basis = latest.basis or {}
    return {"version": latest.version, "values": latest.values, "note": latest.note,
            "computed_at": basis.get("computed_at"), "reported": basis.get("reported"),
            "expected": basis.get("expected"), "missing": basis.get("missing", []),
            "previous": basis.get("previous"), "changes": basis.get("changes", []),
            "added": basis.get("added", []), "removed": basis.get("removed", [])}
