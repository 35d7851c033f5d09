"""A run's deadline before closures (its "base"): the day a person set by hand, rolled to a
working day, or what its requirement's rule gives on the official calendar; a deadline derived
from the issuer's own (before_parent) is counted from the base of the issuer's run, so it
follows an extension or a calendar decision there and never counts the issuer's closure twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from ..domain.assignments import assignment_table
from ..domain.calendar import WorkingCalendar
from ..domain.deadlines import DueContext, is_level_dependent, resolve_due
from ..domain.directives import Citation, directive_table, requirement_table
from ..domain.errors import InvalidInput
from ..domain.rules import Rules
from ..domain.specs import DueSpec
from ..domain.units import unit_table

_a, _r, _d = assignment_table.c, requirement_table.c, directive_table.c


@dataclass(frozen=True)
class RunBasis:
    """What a run's deadline is computed from."""

    id: int
    requirement_id: int
    unit_id: int
    period: str
    hand_on: date | None
    unit_kind: str | None = None  # known when read with the run (saves a lookup per unit)


class DeadlineBases:
    """Base deadlines, memoised per requirement and per run, within one transaction."""

    def __init__(self, session: Session, calendar: WorkingCalendar, rules: Rules) -> None:
        self.session, self.calendar, self.rules = session, calendar, rules
        self._rule_dues: dict[tuple[int, str | None], dict[str, date] | None] = {}
        self._specs: dict[int, tuple[DueSpec, int, DueContext]] = {}
        self._kinds: dict[int, str] = {}

    def of(self, run: RunBasis) -> date | None:
        """The run's base deadline; None when its rule no longer gives one for its period (a
        derived deadline whose source is gone, or one that would fall before the issue date):
        such a run keeps the deadline it has."""
        if run.hand_on is not None:
            return self.calendar.roll_forward(run.hand_on)
        dues = self.rule_dues(run.requirement_id, self._level(run))
        return dues.get(run.period) if dues is not None else None

    def _level(self, run: RunBasis) -> str | None:
        """The run's unit kind when its rule gives each level its own deadline (the education
        statistics presets), else None."""
        if not is_level_dependent(self._spec(run.requirement_id)[0]):
            return None
        if run.unit_kind is not None:
            return run.unit_kind
        if run.unit_id not in self._kinds:
            self._kinds[run.unit_id] = self.session.execute(
                select(unit_table.c.kind).where(unit_table.c.id == run.unit_id)).scalar_one()
        return self._kinds[run.unit_id]

    def is_derived(self, requirement_id: int) -> bool:
        return self._spec(requirement_id)[0].before_parent is not None

    def rule_dues(self, requirement_id: int,
                  receiver_kind: str | None = None) -> dict[str, date] | None:
        key = (requirement_id, receiver_kind)
        if key not in self._rule_dues:
            self._rule_dues[key] = None  # a citation cycle stops here
            due, issuer_id, ctx = self._spec(requirement_id)
            if due.before_parent is not None:
                ctx = DueContext(ctx.issued_on, ctx.school_year, ctx.school_year_end,
                                 {due.before_parent: self._parent_bases(
                                     requirement_id, issuer_id, due.before_parent)})
            try:
                found = dict(resolve_due(due, ctx, self.calendar, receiver_kind=receiver_kind))
            except InvalidInput:
                found = None
            self._rule_dues[key] = found
        return self._rule_dues[key]

    def _spec(self, requirement_id: int) -> tuple[DueSpec, int, DueContext]:
        if requirement_id not in self._specs:
            due, issuer_id, issued_on, school_year = self.session.execute(
                select(_r.due, _d.issuer_id, _d.issued_on, _d.school_year)
                .join(directive_table, _d.id == _r.directive_id)
                .where(_r.id == requirement_id)).one()
            ctx = DueContext(issued_on=issued_on, school_year=school_year,
                             school_year_end=self.rules.school_year_end)
            self._specs[requirement_id] = (DueSpec.model_validate(due), issuer_id, ctx)
        return self._specs[requirement_id]

    def _parent_bases(self, requirement_id: int, issuer_id: int, key: str) -> dict[str, date]:
        """period -> base deadline of the issuer's own runs of requirement `key` in the
        directives the requirement's directive cites (as at issue: chidao.services.issue)."""
        cited = (select(Citation.cited_id)  # type: ignore[call-overload]
                 .join(requirement_table, _r.directive_id == Citation.directive_id)
                 .where(_r.id == requirement_id, Citation.cited_id.is_not(None)))  # type: ignore[union-attr]
        rows = self.session.execute(
            select(_a.id, _a.requirement_id, _a.unit_id, _a.period, _a.due_hand_on, _a.due_on)
            .join(requirement_table, _r.id == _a.requirement_id)
            .where(_a.unit_id == issuer_id, _r.key == key, _a.directive_id.in_(cited))
            .order_by(_a.id)).all()
        bases: dict[str, date] = {}
        for rid, req_id, unit_id, period, hand_on, due_on in rows:
            base = self.of(RunBasis(rid, req_id, unit_id, period, hand_on))
            bases[period] = base if base is not None else due_on
        return bases
