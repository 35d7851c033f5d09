"""Issue a directive: store it, resolve its requirements to units and deadlines, write one
assignment per (requirement, unit, period) in bulk, and fulfil the issuer's own plan runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session
from sqlmodel import select as model_select

from ..db.bulk import insert_fanout
from ..db.lookup import find_directive, unit_by_code
from ..domain.accounts import Role
from ..domain.acting import Actor
from ..domain.assignments import assignment_table, next_action_at
from ..domain.calendar import WorkingCalendar
from ..domain.deadlines import DueContext, is_level_dependent, resolve_due
from ..domain.directives import Citation, Directive, Requirement, requirement_table
from ..domain.errors import InvalidInput
from ..domain.permissions import OPERATOR, Action, require
from ..domain.policy import PolicySpec, merge_policies
from ..domain.rules import Rules
from ..domain.selectors import target_statement
from ..domain.specs import DirectiveSpec, RequirementSpec
from ..domain.status import Status
from ..domain.units import Unit, unit_table
from ..files.directive_files import load_directive_file
from ..queries.closures import closures_over
from ..queries.read_scope import may_cite
from .audit import record_audit
from .deadline_refresh import refresh_deadlines
from .forms_store import form_by_ref, store_forms
from .fulfilment import fulfil_plans

_assignment = assignment_table
# An issued directive changes by amendment, its effects shown first (chidao.services.amend).
_AMEND_HINT = "; to amend the issued directive: chidao amend FILE (shows the changes first)"


@dataclass(frozen=True)
class IssueResult:
    directive_id: int
    key: str
    created: int
    total: int
    fulfilled: list[int]


def issue_directive(
    session: Session, spec: DirectiveSpec, *, now: datetime, calendar: WorkingCalendar,
    rules: Rules, role: Role | str = OPERATOR, by: Actor | None = None,
) -> IssueResult:
    """Idempotent: issuing the same directive again creates nothing new. `rules` are the
    runtime's (the school year's end); `role` is the issuing user's (the CLI and the cascade
    act as OPERATOR); `by`, when given, is who issues (over `role`; a person issues only for
    their own unit), named in the audit."""
    if by is not None:
        role = by.role
        if by.user_id is not None and by.unit_code != spec.issuer:
            raise InvalidInput("issuer", "chỉ được ban hành văn bản của đơn vị mình")
    require(role, Action.ISSUE)
    issuer = unit_by_code(session, spec.issuer, field="issuer")
    _check_symbol(spec, issuer)
    directive = _store_directive(session, spec, issuer, now)
    assert directive.id is not None
    cited = _store_citations(session, directive.id, spec.based_on, issuer)
    store_forms(session, spec.forms, issuer_id=directive.issuer_id, now=now)
    ctx = DueContext(
        issued_on=spec.issued_on, school_year=spec.resolved_school_year,
        school_year_end=rules.school_year_end,
        parent_dues=parent_dues(session, issuer, cited),
    )
    before = _count(session, directive.id)
    requirement_ids: list[int] = []
    for index, req_spec in enumerate(spec.requirements):
        field = f"requirements[{index}]"
        requirement = _store_requirement(session, directive.id, req_spec, field, spec.reminders)
        assert requirement.id is not None
        requirement_ids.append(requirement.id)
        fan_out(session, directive.id, requirement.id, req_spec, issuer, field, ctx=ctx,
                calendar=calendar, now=now)
    move_for_closures(session, requirement_ids, spec.issued_on, calendar, rules, now)
    fulfilled = fulfil_plans(session, issuer, directive, cited, now=now)
    total = _count(session, directive.id)
    if total > before or before == 0:
        _audit_issue(session, by or Actor(unit_code=issuer.code, role=Role(role)), directive,
                     total - before, now)
    return IssueResult(directive.id, directive.key, total - before, total, fulfilled)


def _audit_issue(session: Session, by: Actor, directive: Directive, created: int,
                 now: datetime) -> None:
    record_audit(session, by, "directive.issue", subject_type="directive",
                 subject_id=directive.id or 0, now=now,
                 summary=f"Ban hành {directive.number_symbol}: {directive.title}"
                         f" ({created} nhiệm vụ giao)",
                 detail={"key": directive.key, "runs_created": created})


def fan_out(
    session: Session, directive_id: int, requirement_id: int, spec: RequirementSpec,
    issuer: Unit, field: str, *, ctx: DueContext, calendar: WorkingCalendar, now: datetime,
) -> list[tuple[str, list[int]]]:
    """The requirement's runs for every unit it targets, per level and period, in bulk (one
    already there stays: unique key); issuing and amending both call it."""
    written = []
    for kind, unit_ids in _by_level(spec, _target_units(session, spec, issuer, field)).items():
        dues = resolve_due(spec.due, ctx, calendar, field_name=f"{field}.due",
                           receiver_kind=kind)
        for period, due_on in dues:
            insert_fanout(session, _assignment, _run_fields(
                directive_id, requirement_id, period, due_on, calendar, now,
            ), "unit_id", unit_ids, unique=("requirement_id", "unit_id", "period"))
            written.append((period, unit_ids))
    return written


def issue_directive_file(
    session: Session, path: Path, *, now: datetime, calendar: WorkingCalendar, rules: Rules,
    max_bytes: int,
) -> IssueResult:
    """The cascade: load, validate and issue one directive file (at most `max_bytes`), in the
    caller's transaction. The CLI and the Prefect flow `cascade` both run this."""
    spec = load_directive_file(path, max_bytes)
    return issue_directive(session, spec, now=now, calendar=calendar, rules=rules)


def move_for_closures(
    session: Session, requirement_ids: list[int], issued_on: date, calendar: WorkingCalendar,
    rules: Rules, now: datetime,
) -> None:
    """A unit closed (or to be closed) at issue gets back the working days its closure takes
    from the new task, as an open run does when a closure is declared."""
    closed = closures_over(session, ending_from=issued_on)
    if not closed:
        return
    labels = sorted({c.label for found in closed.values() for c in found})
    refresh_deadlines(session, calendar=calendar, rules=rules, now=now,
                      reason=f"đơn vị nghỉ: {'; '.join(labels)}", requirement_ids=requirement_ids,
                      unit_ids=set(closed))


def _check_symbol(spec: DirectiveSpec, issuer: Unit) -> None:
    if issuer.symbol and issuer.symbol not in spec.symbol.split("-"):
        raise InvalidInput(
            "number_symbol",
            f"symbol '{spec.symbol}' does not contain the issuer's abbreviation '{issuer.symbol}'",
        )


def _store_directive(
    session: Session, spec: DirectiveSpec, issuer: Unit, now: datetime
) -> Directive:
    fields: dict[str, Any] = {
        "number": spec.number, "number_value": int(spec.number) if spec.number else None,
        "symbol": spec.symbol, "doc_type": spec.resolved_doc_type.value,
        "issuer_id": issuer.id, "issued_on": spec.issued_on, "issue_year": spec.issued_on.year,
        "title": spec.title, "school_year": spec.resolved_school_year,
    }
    existing = session.exec(
        model_select(Directive).where(Directive.key == spec.resolved_key)).first()
    if existing is not None:
        for name, value in fields.items():
            if getattr(existing, name) != value:
                raise InvalidInput(
                    name, f"differs from directive '{existing.key}' already issued"
                    f" ({getattr(existing, name)!r} there, {value!r} here){_AMEND_HINT}",
                )
        return existing
    if spec.number is not None:
        clash = session.exec(model_select(Directive).where(
            Directive.issuer_id == issuer.id, Directive.issue_year == spec.issued_on.year,
            Directive.number_value == int(spec.number))).first()
        if clash is not None:
            raise InvalidInput("number_symbol", f"number {spec.number} is already used in"
                               f" {spec.issued_on.year} by {clash.number_symbol} ('{clash.key}')")
    directive = Directive(key=spec.resolved_key, issued_at=now, **fields)
    session.add(directive)
    session.flush()
    return directive


def _store_citations(session: Session, directive_id: int, refs: list[str],
                     issuer: Unit) -> list[Directive]:
    stored = {c.ref_text for c in session.exec(
        model_select(Citation).where(Citation.directive_id == directive_id))}
    cited: list[Directive] = []
    for index, ref in enumerate(refs):
        target = find_directive(session, ref)
        if target is not None and target.recalled_at is not None and ref not in stored:
            raise InvalidInput(f"based_on[{index}]", f"'{ref}' đã bị thu hồi ngày"
                               f" {target.recalled_at:%d/%m/%Y}: không căn cứ văn bản đã thu hồi")
        if target is not None:
            if not may_cite(session, issuer, target):
                raise InvalidInput(f"based_on[{index}]", f"'{ref}': đơn vị {issuer.code} không"
                                   " được căn cứ văn bản này (văn bản không giao cho đơn vị,"
                                   " không do đơn vị hay cấp trên của đơn vị ban hành)")
            cited.append(target)
        if ref not in stored:
            session.add(Citation(directive_id=directive_id, ref_text=ref,
                                 cited_id=target.id if target else None))
    session.flush()
    return cited


def parent_dues(
    session: Session, issuer: Unit, cited: list[Directive]
) -> dict[str, dict[str, Any]]:
    if not cited:
        return {}
    rows = session.execute(
        select(requirement_table.c.key, _assignment.c.period, _assignment.c.due_on)
        .join(requirement_table, requirement_table.c.id == _assignment.c.requirement_id)
        .where(_assignment.c.unit_id == issuer.id,
               _assignment.c.directive_id.in_([d.id for d in cited]))
    )
    dues: dict[str, dict[str, Any]] = {}
    for key, period, due_on in rows:
        dues.setdefault(key, {})[period] = due_on
    return dues


def _store_requirement(
    session: Session, directive_id: int, spec: RequirementSpec, field: str,
    directive_reminders: PolicySpec | None,
) -> Requirement:
    data: dict[str, Any] = {
        "kind": spec.kind.value, "title": spec.title,
        "target": spec.to.model_dump(mode="json", exclude_defaults=True),
        "due": spec.due.model_dump(mode="json", exclude_defaults=True, by_alias=True),
        "policy": merge_policies(*(p.model_dump(exclude_unset=True) if p else None
                                   for p in (directive_reminders, spec.reminders))),
        "form_id": form_by_ref(session, spec.form, field=f"{field}.form",
                               directive_id=directive_id).id if spec.form else None,
    }
    existing = session.exec(model_select(Requirement).where(
        Requirement.directive_id == directive_id, Requirement.key == spec.key)).first()
    if existing is None:
        requirement = Requirement(directive_id=directive_id, key=spec.key, **data)
        session.add(requirement)
        session.flush()
        return requirement
    for name, value in data.items():
        if getattr(existing, name) != value:
            shown = {"target": "to", "policy": "reminders", "form_id": "form"}.get(name, name)
            raise InvalidInput(f"{field}.{shown}",
                               "differs from the requirement already issued under this key"
                               f"{_AMEND_HINT}")
    return existing


def _target_units(
    session: Session, spec: RequirementSpec, issuer: Unit, field: str
) -> list[tuple[int, str]]:
    """(unit id, unit kind) of the units the requirement targets."""
    found = session.execute(
        target_statement(spec.to, issuer).add_columns(unit_table.c.kind)).all()
    if spec.to.units is not None:
        missing = sorted(set(spec.to.units) - {code for _, code, _ in found})
        if missing:
            raise InvalidInput(f"{field}.to.units",
                               f"'{missing[0]}' is not a unit under the issuer '{issuer.code}'")
    return [(uid, kind) for uid, _, kind in found]


def _by_level(spec: RequirementSpec, targets: list[tuple[int, str]]) -> dict[str | None,
                                                                              list[int]]:
    """The unit ids to resolve the deadline for together: one group (kind None) unless the
    deadline depends on the receiving unit's level (the education statistics presets), then
    one group per unit kind, in a stable order."""
    if not is_level_dependent(spec.due):
        return {None: [uid for uid, _ in targets]}
    groups: dict[str | None, list[int]] = {}
    for uid, kind in sorted(targets, key=lambda t: (t[1], t[0])):
        groups.setdefault(kind, []).append(uid)
    return groups or {None: []}


def _run_fields(
    directive_id: int, requirement_id: int, period: str, due_on: date,
    calendar: WorkingCalendar, now: datetime,
) -> dict[str, Any]:
    """Every column of a new run but its unit: the same for all units of one period."""
    due_at = calendar.end_of_day(due_on)
    return {
        "requirement_id": requirement_id, "directive_id": directive_id, "period": period,
        "due_on": due_on, "due_at": due_at, "status": Status.ISSUED,
        "status_changed_at": now, "created_at": now,
        "next_action_at": next_action_at(Status.ISSUED, now),
    }


def _count(session: Session, directive_id: int) -> int:
    return int(session.execute(
        select(func.count()).where(_assignment.c.directive_id == directive_id)).scalar_one())

