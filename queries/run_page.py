"""What a run's page shows: its directive, requirement, unit and form, every submission with
its files, and the history of its status changes (four statements, however many
submissions, files and changes the run has)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlmodel import Session, SQLModel

from ..domain.assignments import assignment_table
from ..domain.directives import directive_table, format_number_symbol, requirement_table
from ..domain.forms import FormSpec
from ..domain.reports import ReportForm, SubmissionState, form_spec, size_text
from ..domain.status import Status
from ..domain.units import unit_table

_a, _d, _r, _u = assignment_table.c, directive_table.c, requirement_table.c, unit_table.c
_t = SQLModel.metadata.tables
_s, _f, _e = _t["submission"].c, _t["attachment"].c, _t["assignment_event"].c
_issuer, _plan, _actor = aliased(unit_table), aliased(directive_table), aliased(unit_table)


@dataclass(frozen=True)
class AttachedFile:
    id: int
    name: str
    size: int
    size_text: str
    url: str  # the page's download link


@dataclass(frozen=True)
class SubmissionLine:
    id: int
    version: int
    state: SubmissionState
    values: dict[str, Any]
    note: str
    review_note: str
    created_at: datetime
    files: tuple[AttachedFile, ...]


@dataclass(frozen=True)
class EventLine:
    at: datetime
    actor: str  # the unit's code ("chidao" for the engine itself)
    from_status: Status
    to_status: Status
    reason: str
    by_person: str  # the person's full name ("" from the command line)
    unit_name: str | None  # the acting unit's name
    on_behalf_of: str = ""  # a delegate's "KT. Lê Thị Ngọc Hân" ("" = for oneself)

    @property
    def who(self) -> str:
        """"Trương Văn Phúc (KT. Lê Thị Ngọc Hân)" for a delegate, else the person."""
        if self.by_person and self.on_behalf_of:
            return f"{self.by_person} ({self.on_behalf_of})"
        return self.by_person


@dataclass(frozen=True)
class FulfilledBy:
    """The unit's own plan whose issue handed in a kế hoạch task."""

    id: int
    number_symbol: str
    title: str
    issued_on: date


@dataclass(frozen=True)
class RunPage:
    directive_id: int
    number_symbol: str
    issuer_id: int
    requirement: str  # its title
    owner: str  # the name of the unit that must do the run
    form: FormSpec | None
    submissions: tuple[SubmissionLine, ...]  # oldest first
    events: tuple[EventLine, ...]  # oldest first
    directive_title: str = ""
    issuer: str = ""  # the name of the unit that gave the task
    fulfilled_by: FulfilledBy | None = None

    @property
    def last_return(self) -> EventLine | None:
        """The latest return, while it is the run's last word (not yet handed in again)."""
        last = self.events[-1] if self.events else None
        return last if last is not None and last.to_status is Status.RETURNED else None

    @property
    def draft(self) -> dict[str, Any]:
        """The figures of a pre-filled draft, to start the form from ({} without one)."""
        return next((s.values for s in self.submissions
                     if s.state == SubmissionState.DRAFT), {})


def run_page(session: Session, run_id: int) -> RunPage:
    head = session.execute(
        select(_d.id, _d.number, _d.symbol, _d.issuer_id, _r.title, _u.name, _r.form_id,
               _d.title.label("directive_title"), _issuer.c.name.label("issuer"),
               _plan.c.id.label("plan_id"), _plan.c.number.label("plan_number"),
               _plan.c.symbol.label("plan_symbol"), _plan.c.title.label("plan_title"),
               _plan.c.issued_on.label("plan_issued_on"))
        .select_from(assignment_table).join(directive_table, _d.id == _a.directive_id)
        .join(requirement_table, _r.id == _a.requirement_id)
        .join(unit_table, _u.id == _a.unit_id)
        .join(_issuer, _issuer.c.id == _d.issuer_id)
        .outerjoin(_plan, _plan.c.id == _a.fulfilled_by_id).where(_a.id == run_id)).one()
    directive_id, number, symbol, issuer_id, title, owner, form_id = head[:7]
    fulfilled = FulfilledBy(head.plan_id, format_number_symbol(head.plan_number,
                                                                head.plan_symbol),
                            head.plan_title, head.plan_issued_on) if head.plan_id else None
    stored = session.get(ReportForm, form_id) if form_id is not None else None
    files = attached_files(session, run_id)
    submissions = tuple(
        SubmissionLine(sid, version, SubmissionState(state), dict(values), note, review_note,
                       created_at, tuple(files.get(sid, [])))
        for sid, version, state, values, note, review_note, created_at in session.execute(
            select(_s.id, _s.version, _s.state, _s["values"], _s.note, _s.review_note,
                   _s.created_at).where(_s.assignment_id == run_id).order_by(_s.version)))
    events = tuple(EventLine(*row) for row in session.execute(
        select(_e.at, _e.actor, _e.from_status, _e.to_status, _e.reason, _e.by_person,
               _actor.c.name, _e.on_behalf_of).outerjoin(_actor, _actor.c.code == _e.actor)
        .where(_e.assignment_id == run_id).order_by(_e.id)))
    return RunPage(directive_id, format_number_symbol(number, symbol), issuer_id, title, owner,
                   form_spec(stored) if stored is not None else None, submissions, events,
                   head.directive_title, head.issuer, fulfilled)


def attached_files(session: Session, run_id: int) -> dict[int, list[AttachedFile]]:
    """submission id -> the files handed in with it, in the order they were stored."""
    found: dict[int, list[AttachedFile]] = {}
    for file_id, submission_id, name, size in session.execute(
            select(_f.id, _f.submission_id, _f.name, _f.size)
            .join(_t["submission"], _s.id == _f.submission_id)
            .where(_s.assignment_id == run_id).order_by(_f.id)):
        found.setdefault(submission_id, []).append(AttachedFile(
            file_id, name, size, size_text(size), f"/assignments/{run_id}/files/{file_id}"))
    return found
