"""What the cascade view counts, as SQL aggregates: a directive's family (the directive and
every plan citing it, to any depth: one recursive query) and, over any set of its runs, how
many are assigned, received, handed in, accepted, late, due soon and handed in on time."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, and_, case, cast, func, literal, null, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, SQLModel

from ..domain.assignments import assignment_table
from ..domain.directives import directive_table, format_number_symbol
from ..domain.status import AWAITING_UNIT, Status
from ..domain.units import unit_table

_a, _d, _u = assignment_table.c, directive_table.c, unit_table.c
_c = SQLModel.metadata.tables["citation"].c
HANDED_IN = (Status.SUBMITTED, Status.ACCEPTED)
# A run counts once it is live: a withdrawn (thu hồi) or waived one is nobody's work.
ACTIVE = _a.status.not_in([Status.CANCELLED, Status.WAIVED])


@dataclass(frozen=True)
class FamilyDirective:
    id: int
    number_symbol: str
    issuer_id: int
    issuer_name: str
    issuer_path: str
    cited_id: int | None  # the family member it answers (None: the root)


def family(session: Session, root_id: int) -> list[FamilyDirective]:
    """The root, then every directive citing a member of the family, to any depth (one
    recursive query; a citation cycle ends where a directive is met again)."""
    tree = select(literal(root_id).label("id"), cast(null(), Integer).label("cited")).cte(
        "family", recursive=True)
    tree = tree.union(select(_c.directive_id, _c.cited_id).join(tree, _c.cited_id == tree.c.id))
    seen: dict[int, FamilyDirective] = {}
    for did, cited, number, symbol, issuer_id, issuer, path in session.execute(
            select(tree.c.id, tree.c.cited, _d.number, _d.symbol, _d.issuer_id, _u.name,
                   _u.path)
            .join(directive_table, _d.id == tree.c.id).join(unit_table, _u.id == _d.issuer_id)
            .order_by(_d.issued_on, _d.id)):
        if did not in seen:
            seen[did] = FamilyDirective(did, format_number_symbol(number, symbol), issuer_id,
                                        issuer, path, cited)
    return list(seen.values())


@dataclass(frozen=True)
class RunCounts:
    """Live runs of a node's subtree: `handed_in` counts submitted and accepted ones, `late`
    those the unit still owes past their deadline, `due_soon` those it owes by the end of the
    due-soon window; `judged` are the runs due by now or handed in, `on_time` the ones among
    them handed in before their deadline."""

    assigned: int = 0
    received: int = 0
    handed_in: int = 0
    accepted: int = 0
    late: int = 0
    due_soon: int = 0
    on_time: int = 0
    judged: int = 0
    units: int = 0
    late_units: int = 0

    @property
    def on_time_percent(self) -> int | None:
        """Share of the judged runs handed in on time (None while nothing is judged)."""
        return round(100 * self.on_time / self.judged) if self.judged else None

    def __add__(self, other: RunCounts) -> RunCounts:
        mine, theirs = asdict(self), asdict(other)
        return RunCounts(**{k: mine[k] + theirs[k] for k in mine})

    def as_json(self) -> dict[str, Any]:
        return asdict(self) | {"on_time_percent": self.on_time_percent}


def _flag(condition: ColumnElement[bool]) -> Any:
    return case((condition, 1), else_=0)


def late_condition(now: datetime) -> ColumnElement[bool]:
    return and_(_a.status.in_(list(AWAITING_UNIT)), _a.due_at <= now)


def count_columns(now: datetime, soon: datetime) -> list[Any]:
    """The aggregates of RunCounts, in its field order, over the (live) runs of a group."""
    awaiting = _a.status.in_(list(AWAITING_UNIT))
    on_time = and_(_a.submitted_at.is_not(None), _a.submitted_at < _a.due_at)
    return [
        func.count(),
        func.sum(_flag(_a.status != Status.ISSUED)),
        func.sum(_flag(_a.status.in_(HANDED_IN))),
        func.sum(_flag(_a.status == Status.ACCEPTED)),
        func.sum(_flag(late_condition(now))),
        func.sum(_flag(and_(awaiting, _a.due_at > now, _a.due_at <= soon))),
        func.sum(_flag(on_time)),
        func.sum(_flag(or_(_a.submitted_at.is_not(None), _a.due_at <= now))),
        func.count(func.distinct(_a.unit_id)),
        func.count(func.distinct(case((late_condition(now), _a.unit_id), else_=None))),
    ]


def run_counts(values: Any) -> RunCounts:
    """A RunCounts from the columns of count_columns (NULL sums of no rows read as 0)."""
    return RunCounts(*(int(v or 0) for v in values))
