"""What the directive list can be narrowed to: words of the number/symbol or the title
(accent-insensitive: "ke hoach" finds "Kế hoạch"), the issuer, the year, the state of the runs,
and the box: "Văn bản đến" (addressed to the reader's own unit) or "Văn bản đi" (issued by it).
Each choice becomes a WHERE clause of the list's one statement (chidao.queries.listings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, distinct, exists, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from ..domain.assignments import assignment_table
from ..domain.directives import directive_table
from ..domain.status import AWAITING_UNIT, CLOSED, Status
from ..domain.text import folded
from ..domain.units import Unit, subtree_bounds, unit_table

_a, _d, _u = assignment_table.c, directive_table.c, unit_table.c
_run_unit = unit_table.alias("run_unit")
BOXES = {"": "Tất cả", "den": "Văn bản đến", "di": "Văn bản đi"}
STATES = {"": "Mọi tình trạng", "open": "Còn nhiệm vụ chưa xong",
          "late": "Có nhiệm vụ quá hạn", "closed": "Đã xong mọi nhiệm vụ"}
OWN_STATES = {f"own-{s.value}": f"Đơn vị mình: {s.label}" for s in
              (Status.ISSUED, Status.RECEIVED, Status.RETURNED, Status.SUBMITTED,
               Status.ACCEPTED)}
MAX_WORDS = 8


@dataclass(frozen=True)
class DirectiveFilter:
    words: str = ""
    issuer_id: int | None = None
    year: int | None = None
    state: str = ""  # a key of STATES or OWN_STATES
    box: str = ""  # a key of BOXES

    @property
    def active(self) -> bool:
        """Something narrows the list besides the tab (the box)."""
        return bool(self.words.strip() or self.issuer_id or self.year or self.state)


def search_terms(words: str) -> list[str]:
    """The folded words to find, each as a LIKE pattern ("%" and "_" taken literally)."""
    terms = folded(words).split()[:MAX_WORDS]
    return ["%" + t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            for t in terms]


def filter_clauses(search: DirectiveFilter, reader: Unit, issued_here: ColumnElement[bool],
                   now: datetime) -> list[ColumnElement[bool]]:
    """The WHERE clauses of `search` over `directive_table`, for a reader at unit `reader`
    (`issued_here`: the directive was issued within the reader's subtree)."""
    clauses: list[ColumnElement[bool]] = [
        _d.search_text.like(term, escape="\\") for term in search_terms(search.words)]
    if search.issuer_id:
        clauses.append(_d.issuer_id == search.issuer_id)
    if search.year:
        clauses.append(_d.issue_year == search.year)
    if search.box == "den":
        clauses.append(exists().where(_a.directive_id == _d.id, _a.unit_id == reader.id))
    elif search.box == "di":
        clauses.append(_d.issuer_id == reader.id)
    clauses.extend(_state_clauses(search.state, reader, issued_here, now))
    return clauses


def _state_clauses(state: str, reader: Unit, issued_here: ColumnElement[bool],
                   now: datetime) -> list[ColumnElement[bool]]:
    """The runs a reader counts: all of a directive issued in its subtree, else its subtree's."""
    if state in OWN_STATES:
        return [exists().where(_a.directive_id == _d.id, _a.unit_id == reader.id,
                               _a.status == Status(state.removeprefix("own-")))]
    if state not in ("open", "late", "closed"):
        return []
    low, high = subtree_bounds(reader.path)
    counted = or_(issued_here, and_(_run_unit.c.path >= low, _run_unit.c.path < high))

    def runs(*where: Any) -> ColumnElement[bool]:
        return exists().where(_a.directive_id == _d.id, _a.unit_id == _run_unit.c.id, counted,
                              *where)

    still_open = _a.status.not_in([s.value for s in CLOSED])
    if state == "open":
        return [runs(still_open)]
    if state == "late":
        return [runs(_a.status.in_([s.value for s in AWAITING_UNIT]), _a.due_at <= now)]
    return [runs(), ~runs(still_open)]


def filter_choices(session: Session, visible: ColumnElement[bool], issuer: Any,
                   limit: int = 200) -> tuple[list[tuple[int, str]], list[int]]:
    """(issuers as (id, name) by name, years newest first) among the directives `visible`
    selects (`issuer`: the issuer alias `visible` is written over)."""
    issuers = session.execute(
        select(distinct(issuer.c.id), issuer.c.name).select_from(directive_table)
        .join(issuer, issuer.c.id == _d.issuer_id).where(visible)
        .order_by(issuer.c.name).limit(limit)).all()
    years = session.execute(
        select(distinct(_d.issue_year)).select_from(directive_table)
        .join(issuer, issuer.c.id == _d.issuer_id).where(visible)
        .order_by(_d.issue_year.desc())).scalars().all()
    return [(i, n) for i, n in issuers], list(years)
