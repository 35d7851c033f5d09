"""Amend an issued directive from its changed file (sửa đổi, bổ sung): the same work done for
a preview (in a savepoint rolled back: nothing written, and the preview is exactly what an
apply does) and for an apply (kept, with the revision, one audit row and a notice to each
unit whose runs change).

What an amendment may change: the title (trích yếu), the school year, the reminders, report
forms (a new version), and per requirement its title, targets, deadline, reminders and form;
requirements may be added or dropped. What it may not: the issuer, the number and symbol (and
so the type), the date of a numbered directive (the number is registered with its date), the
directives it is based on (căn cứ: plan runs were fulfilled by it), a requirement's kind."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session
from sqlmodel import select as model_select

from ..db.bulk import insert_rows
from ..db.lookup import assignment_by_id
from ..domain.acting import Actor
from ..domain.amendment import (
    AMEND_CANCEL_REASON,
    Amendment,
    FieldChange,
    RunChangeKind,
    notice_note,
)
from ..domain.assignments import assignment_table
from ..domain.calendar import WorkingCalendar
from ..domain.deadlines import DueContext
from ..domain.directives import Citation, Directive, Requirement, search_text
from ..domain.errors import InvalidInput
from ..domain.notifications import notification_table
from ..domain.permissions import Action, require
from ..domain.policy import NotificationKind, merge_policies
from ..domain.rules import Rules
from ..domain.specs import DirectiveSpec, RequirementSpec
from ..domain.status import Status
from ..domain.units import Unit
from ..queries.amendments import earlier_amendments
from .amend_checks import (
    check_fixed,
    check_not_recalled_by_amendment,
    issued_directive,
)
from .amend_runs import (
    Run,
    RunKey,
    Titles,
    form_names,
    moved_between,
    requirement_data,
    run_changes,
    runs_of,
    stored_words,
    told_by_the_amendment,
    untargeted,
    write_targeted,
)
from .audit import record_audit
from .deadline_refresh import refresh_deadlines
from .forms_store import form_by_ref, store_forms
from .issue import move_for_closures, parent_dues
from .status_changes import change_status

_a = assignment_table.c
_LABELS = {"title": "tên", "target": "đơn vị thực hiện", "due": "thời hạn",
           "policy": "lịch nhắc", "form_id": "biểu mẫu"}
_SHOWN = {"target": "to", "policy": "reminders", "form_id": "form"}


def amend_directive(
    session: Session, spec: DirectiveSpec, *, by: Actor, now: datetime,
    calendar: WorkingCalendar, rules: Rules, apply: bool = False, expect: str | None = None,
) -> Amendment:
    """The amendment the changed file `spec` makes to the directive issued under its key,
    applied when `apply` (and, given `expect`, only if its fingerprint is still that of the
    preview shown), else only worked out. In the caller's transaction."""
    require(by.role, Action.ISSUE)
    directive = issued_directive(session, spec)
    issuer = session.get(Unit, directive.issuer_id)
    assert issuer is not None and directive.id is not None
    check_fixed(session, spec, directive, issuer)
    if by.unit_code != issuer.code:
        raise InvalidInput("issuer", f"chỉ đơn vị ban hành ({issuer.name}) được sửa đổi,"
                           f" bổ sung văn bản {directive.number_symbol}")
    with session.begin_nested() as savepoint:
        amendment = _work(session, spec, directive, issuer, by, now, calendar, rules)
        if not apply or amendment.empty:
            savepoint.rollback()
            return amendment
        if expect is not None and expect != amendment.fingerprint():
            savepoint.rollback()
            raise InvalidInput("fingerprint", "các thay đổi đã khác với bản xem trước (có đơn"
                               " vị vừa nộp, hoặc hạn vừa đổi): vui lòng xem trước lại")
        applied = replace(amendment, applied=True)
        _record(session, directive, applied, by, now)
    return applied


def _work(session: Session, spec: DirectiveSpec, directive: Directive, issuer: Unit,
          by: Actor, now: datetime, calendar: WorkingCalendar, rules: Rules) -> Amendment:
    assert directive.id is not None
    before = runs_of(session, directive.id)
    fields, redated = _directive_fields(directive, spec)
    store_forms(session, spec.forms, issuer_id=issuer.id or 0, now=now)
    stored = _requirements(session, directive.id)
    titles = Titles({r.id or 0: r.title for r in stored.values()}, {},
                    {r.id or 0: r.key for r in stored.values()},
                    form_names(session, stored.values()), {})
    targeted, due_changed = _amend_requirements(session, directive, spec, stored, fields,
                                                titles)
    if redated:
        due_changed = {r.id or 0 for r, _ in targeted}
    dropped_before, kept_before = earlier_amendments(session, directive.id)
    for key in sorted(set(stored) - {s.key for s in spec.requirements} - dropped_before):
        fields.append(FieldChange(f"requirements[{key}]", "Bỏ nhiệm vụ", stored[key].title, ""))
    ctx = DueContext(issued_on=spec.issued_on, school_year=spec.resolved_school_year,
                     school_year_end=rules.school_year_end,
                     parent_dues=parent_dues(session, issuer, _cited(session, directive.id)))
    keys = write_targeted(session, directive, issuer, targeted, ctx, calendar, now)
    _check_retargeted(session, before, keys, titles)
    cancelled, kept = untargeted(before, keys)
    kept = [r for r in kept if r.id not in kept_before]
    for run in cancelled:
        change_status(session, assignment_by_id(session, run.id), Status.CANCELLED,
                      actor=by.unit_code, reason=AMEND_CANCEL_REASON, now=now,
                      by_person=by.person, on_behalf_of=by.behalf)
    middle = runs_of(session, directive.id)
    added = sorted(set(middle) - set(before))
    told_by_the_amendment(session, added, now)
    moved = refresh_deadlines(
        session, calendar=calendar, rules=rules, now=now, actor=by.unit_code,
        reason=f"sửa đổi, bổ sung văn bản {directive.number_symbol}",
        requirement_ids=sorted(due_changed)) if due_changed else 0
    derived = moved - moved_between(middle, runs_of(session, directive.id)) if moved else 0
    fresh = {middle[rid].requirement_id for rid in added} - due_changed
    if fresh:  # a closed unit newly given a task gets back the days, as at issue
        move_for_closures(session, sorted(fresh), spec.issued_on, calendar, rules, now)
    after = runs_of(session, directive.id)
    changes = run_changes(session, before, after, cancelled, kept, titles)
    return Amendment(directive.id, directive.key, directive.number_symbol, directive.title,
                     directive.revision, tuple(fields), tuple(changes), derived_moved=derived,
                     requirement_keys=tuple(r.key for r in spec.requirements))


def _check_retargeted(session: Session, before: dict[int, Run], keys: set[RunKey],
                      titles: Titles) -> None:
    again = [r for r in before.values() if r.key in keys and r.status is Status.CANCELLED]
    names = {}
    for run in again:
        unit = session.get(Unit, run.unit_id)
        names[run.id] = (f"{unit.name if unit else run.unit_id},"
                         f" «{titles.new.get(run.requirement_id, '')}»")
    check_not_recalled_by_amendment(session, [r.id for r in again], names)


def _amend_requirements(
    session: Session, directive: Directive, spec: DirectiveSpec,
    stored: dict[str, Requirement], fields: list[FieldChange], titles: Titles,
) -> tuple[list[tuple[Requirement, RequirementSpec]], set[int]]:
    """The file's requirements, created or updated (their changes listed in `fields`, their
    titles and forms in `titles`); and the ids of those whose deadline rule changed."""
    targeted, due_changed = [], set()
    for index, req_spec in enumerate(spec.requirements):
        requirement, changed = _requirement(session, directive, spec, index, stored, fields)
        rid = requirement.id or 0
        targeted.append((requirement, req_spec))
        titles.new[rid], titles.keys[rid] = requirement.title, requirement.key
        if changed:
            due_changed.add(rid)
    titles.new_forms = form_names(session, [r for r, _ in targeted])
    return targeted, due_changed


def _requirements(session: Session, directive_id: int) -> dict[str, Requirement]:
    return {r.key: r for r in session.exec(
        model_select(Requirement).where(Requirement.directive_id == directive_id)
        .order_by(Requirement.id))}  # type: ignore[arg-type]


def _cited(session: Session, directive_id: int) -> list[Directive]:
    ids = [c for c in session.exec(model_select(Citation.cited_id).where(
        Citation.directive_id == directive_id)) if c is not None]
    return [d for d in (session.get(Directive, i) for i in ids) if d is not None]


def _directive_fields(directive: Directive, spec: DirectiveSpec) -> tuple[list[FieldChange],
                                                                           bool]:
    """The directive's own changes, written; and whether its deadlines' basis moved (the
    date of an unnumbered directive, the school year)."""
    fields = []
    if spec.title != directive.title:
        fields.append(FieldChange("title", "Trích yếu", directive.title, spec.title))
        directive.title = spec.title
        directive.search_text = search_text(directive.doc_type, directive.number,
                                            directive.symbol, spec.title)
    redated = False
    if spec.issued_on != directive.issued_on:  # only unnumbered ones get here
        fields.append(FieldChange("issued_on", "Ngày ban hành",
                                  f"{directive.issued_on:%d/%m/%Y}", f"{spec.issued_on:%d/%m/%Y}"))
        directive.issued_on, directive.issue_year = spec.issued_on, spec.issued_on.year
        redated = True
    if spec.resolved_school_year != directive.school_year:
        fields.append(FieldChange("school_year", "Năm học", directive.school_year,
                                  spec.resolved_school_year))
        directive.school_year = spec.resolved_school_year
        redated = True
    return fields, redated


def _requirement(session: Session, directive: Directive, spec: DirectiveSpec, index: int,
                 stored: dict[str, Requirement], fields: list[FieldChange]
                 ) -> tuple[Requirement, bool]:
    """The requirement of `spec.requirements[index]`, created or updated; whether its
    deadline rule changed (a new one's runs get theirs as they are written)."""
    req_spec, field = spec.requirements[index], f"requirements[{index}]"
    assert directive.id is not None
    policy = merge_policies(*(p.model_dump(exclude_unset=True) if p else None
                              for p in (spec.reminders, req_spec.reminders)))
    form_id = form_by_ref(session, req_spec.form, field=f"{field}.form",
                          directive_id=directive.id).id if req_spec.form else None
    data = requirement_data(req_spec, policy, form_id)
    existing = stored.get(req_spec.key)
    if existing is None:
        requirement = Requirement(directive_id=directive.id, key=req_spec.key, **data)
        session.add(requirement)
        session.flush()
        fields.append(FieldChange(f"requirements[{req_spec.key}]", "Bổ sung nhiệm vụ", "",
                                  req_spec.title))
        return requirement, False
    if existing.kind != data["kind"]:
        raise InvalidInput(f"{field}.kind", f"không đổi được loại nhiệm vụ '{req_spec.key}'"
                           f" ({existing.kind} → {data['kind']}): bỏ nhiệm vụ này và thêm"
                           " một nhiệm vụ với khóa (key) khác")
    changed = [name for name in _LABELS if getattr(existing, name) != data[name]]
    title = existing.title
    for name in changed:
        fields.append(FieldChange(f"requirements[{req_spec.key}].{_SHOWN.get(name, name)}",
                                  f"Nhiệm vụ «{title}»: {_LABELS[name]}",
                                  stored_words(session, name, getattr(existing, name)),
                                  stored_words(session, name, data[name])))
        setattr(existing, name, data[name])
    session.add(existing)
    session.flush()
    return existing, "due" in changed


def _record(session: Session, directive: Directive, amendment: Amendment, by: Actor,
            now: datetime) -> None:
    """The revision, one audit row, one notice per changed run to its unit."""
    directive.revision = amendment.revision + 1
    session.add(directive)
    counts = amendment.counts()
    record_audit(session, by, "directive.amend", subject_type="directive",
                 subject_id=amendment.directive_id, now=now, detail=amendment.as_json(),
                 summary=f"Sửa đổi, bổ sung văn bản {amendment.number_symbol} (lần"
                 f" {directive.revision}): {counts['added']} bổ sung, {counts['cancelled']}"
                 f" thu hồi, {counts['moved']} đổi hạn, {len(amendment.fields)} thay đổi"
                 " nội dung")
    per_run: dict[int, list[Any]] = {}
    for change in amendment.runs:
        if change.kind is not RunChangeKind.KEPT and change.assignment_id is not None:
            per_run.setdefault(change.assignment_id, []).append(change)
    units = _unit_ids(session, per_run)
    stage = f"{NotificationKind.AMENDED.value}/r{directive.revision}"
    insert_rows(session, notification_table, ("assignment_id", "stage", "kind", "to_unit_id",
                                              "note", "created_at"),
                [(rid, stage, NotificationKind.AMENDED.value, units[rid], notice_note(found),
                  now) for rid, found in sorted(per_run.items())],
                unique=("assignment_id", "stage"))
    session.flush()


def _unit_ids(session: Session, per_run: dict[int, Any]) -> dict[int, int]:
    ids = sorted(per_run)
    found: dict[int, int] = {}
    for start in range(0, len(ids), 1000):
        rows = session.execute(
            select(_a.id, _a.unit_id).where(_a.id.in_(ids[start:start + 1000])))
        found.update((int(rid), int(uid)) for rid, uid in rows)
    return found
