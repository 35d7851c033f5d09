"""The run side of an amendment (chidao.services.amend): the directive's runs read as they
stand, the runs the changed file targets written as issuing writes them, and the change list
of each unit worked out from the runs before and after."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session
from sqlmodel import select as model_select

from ..domain.amendment import RunChange, RunChangeKind
from ..domain.assignments import assignment_table
from ..domain.calendar import WorkingCalendar
from ..domain.deadlines import DueContext
from ..domain.directives import Directive, Requirement
from ..domain.reports import ReportForm
from ..domain.rule_words import due_words, policy_words, target_words
from ..domain.specs import RequirementSpec
from ..domain.status import AWAITING_UNIT, CLOSED, Status
from ..domain.units import Unit, unit_table
from .issue import fan_out

_a, _u = assignment_table.c, unit_table.c
RunKey = tuple[int, int, str]  # (requirement id, unit id, period)


@dataclass(frozen=True)
class Run:
    id: int
    requirement_id: int
    unit_id: int
    period: str
    due_on: date
    status: Status

    @property
    def key(self) -> RunKey:
        return (self.requirement_id, self.unit_id, self.period)


def runs_of(session: Session, directive_id: int) -> dict[int, Run]:
    rows = session.execute(
        select(_a.id, _a.requirement_id, _a.unit_id, _a.period, _a.due_on, _a.status)
        .where(_a.directive_id == directive_id).order_by(_a.id))
    return {r.id: Run(r.id, r.requirement_id, r.unit_id, r.period, r.due_on, Status(r.status))
            for r in rows}


def write_targeted(
    session: Session, directive: Directive, issuer: Unit, targeted: list[tuple[Requirement,
                                                                          RequirementSpec]],
    ctx: DueContext, calendar: WorkingCalendar, now: datetime,
) -> set[RunKey]:
    """Every run the changed file targets, as issuing writes them: those already there are
    left as they are (unique key), the others inserted. Returns the keys targeted."""
    keys: set[RunKey] = set()
    for index, (requirement, spec) in enumerate(targeted):
        assert requirement.id is not None and directive.id is not None
        field = f"requirements[{index}]"
        for period, unit_ids in fan_out(session, directive.id, requirement.id, spec, issuer,
                                        field, ctx=ctx, calendar=calendar, now=now):
            keys.update((requirement.id, uid, period) for uid in unit_ids)
    return keys


def told_by_the_amendment(session: Session, run_ids: list[int], now: datetime) -> None:
    """A run added by an amendment is told to its unit by the amendment's notice: its ladder
    starts past the 'issued' stage (no second notice of the same new task)."""
    if run_ids:
        session.execute(update(assignment_table).where(_a.id.in_(run_ids))
                        .values(stage_cursor=now, last_stage="issued"))


def untargeted(before: dict[int, Run], targeted: set[RunKey]) -> tuple[list[Run], list[Run]]:
    """The runs the changed file no longer targets: (open ones the unit still owes: to close
    as thu hồi; handed in or accepted: kept). Runs already cancelled or waived: neither."""
    gone = [r for r in before.values() if r.key not in targeted]
    return ([r for r in gone if r.status in AWAITING_UNIT],
            [r for r in gone if r.status in (Status.SUBMITTED, Status.ACCEPTED)])


@dataclass
class Titles:
    """Requirement titles and form names, before and after the amendment."""

    old: dict[int, str]
    new: dict[int, str]
    keys: dict[int, str]
    old_forms: dict[int, str]
    new_forms: dict[int, str]


def form_names(session: Session, requirements: Iterable[Requirement]) -> dict[int, str]:
    names = {}
    for requirement in requirements:
        form = session.get(ReportForm, requirement.form_id) if requirement.form_id else None
        names[requirement.id or 0] = (f"«{form.title}» ({form.key}, phiên bản {form.version})"
                                      if form else "không có")
    return names


def run_changes(
    session: Session, before: dict[int, Run], after: dict[int, Run], cancelled: list[Run],
    kept: list[Run], titles: Titles,
) -> list[RunChange]:
    """Each unit's changes: runs added, closed as thu hồi, kept, moved, retitled, given
    another form (a run closed before is never listed)."""
    units = _units(session, {r.unit_id for r in (*after.values(), *kept)})
    closing = {r.id for r in cancelled}
    changes: list[RunChange] = []

    def change(kind: RunChangeKind, run: Run, title: str, old: str = "", new: str = "") -> None:
        code, name = units[run.unit_id]
        changes.append(RunChange(kind, code, name, titles.keys[run.requirement_id], title,
                                 run.period, old, new, run.id))

    for run in after.values():
        req, old_run = run.requirement_id, before.get(run.id)
        new_title = titles.new.get(req, titles.old.get(req, ""))
        if old_run is None:
            change(RunChangeKind.ADDED, run, new_title, new=f"{run.due_on:%d/%m/%Y}")
            continue
        if run.id in closing:
            change(RunChangeKind.CANCELLED, run, titles.old.get(req, new_title),
                   old=old_run.status.label)
            continue
        if old_run.status in CLOSED:
            continue
        if run.due_on != old_run.due_on:
            change(RunChangeKind.MOVED, run, new_title, f"{old_run.due_on:%d/%m/%Y}",
                   f"{run.due_on:%d/%m/%Y}")
        if req in titles.new and titles.new[req] != titles.old.get(req):
            change(RunChangeKind.RETITLED, run, new_title, titles.old.get(req, ""), new_title)
        if req in titles.new_forms and titles.new_forms[req] != titles.old_forms.get(req):
            change(RunChangeKind.FORM, run, new_title, titles.old_forms.get(req, ""),
                   titles.new_forms[req])
    for run in kept:
        change(RunChangeKind.KEPT, run, titles.old.get(run.requirement_id, ""),
               old=run.status.label)
    return changes


def _units(session: Session, ids: set[int]) -> dict[int, tuple[str, str]]:
    found: dict[int, tuple[str, str]] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), 1000):
        found.update({uid: (code, name) for uid, code, name in session.execute(
            select(_u.id, _u.code, _u.name).where(_u.id.in_(ordered[start:start + 1000])))})
    return found


def moved_between(first: dict[int, Run], second: dict[int, Run]) -> int:
    """How many of the directive's runs have another deadline in `second`."""
    return sum(1 for rid, run in second.items()
               if rid in first and first[rid].due_on != run.due_on)


def requirement_data(spec: RequirementSpec, policy: dict[str, Any],
                     form_id: int | None) -> dict[str, Any]:
    """A requirement's stored columns from its spec (as chidao.services.issue stores them)."""
    return {
        "kind": spec.kind.value, "title": spec.title,
        "target": spec.to.model_dump(mode="json", exclude_defaults=True),
        "due": spec.due.model_dump(mode="json", exclude_defaults=True, by_alias=True),
        "policy": policy, "form_id": form_id,
    }


def stored_words(session: Session, name: str, value: Any) -> str:
    """A requirement's stored value in words."""
    if name == "due":
        return due_words(value)
    if name == "policy":
        return policy_words(value)
    if name == "target":
        return target_words(value, lambda code: _unit_name(session, code))
    if name == "form_id":
        form = session.get(ReportForm, value) if value else None
        return f"«{form.title}» ({form.key}, phiên bản {form.version})" if form else "không có"
    return str(value)


def _unit_name(session: Session, code: str) -> str:
    found = session.exec(model_select(Unit.name).where(Unit.code == code)).first()
    return found or code
