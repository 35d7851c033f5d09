"""What a reader is told of closures (nghỉ học / nghỉ làm việc, chidao.domain.closures): the
closures in force or upcoming (not lifted, last day today or later) that cover a unit (declared
for it or a unit above it) or lie in its subtree, each with the number of units it closes, as
the dashboard's banner and the digest's section say them; and the mark a unit of a tree gets.

Scope: a reader sees the closures over its own unit (its commune's, its province's) and those
declared within its subtree; never a neighbouring commune's. Closures are few at any time (a
storm closes tens of communes): one statement reads them all, the filtering is done here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from ..domain.closures import ClosureKind, closure_table
from ..domain.units import unit_ancestor_table, unit_table

_c, _u, _anc = closure_table.c, unit_table.c, unit_ancestor_table.c


@dataclass(frozen=True)
class ClosureNotice:
    """One closure as a reader is told of it on `today`."""

    id: int
    unit_id: int
    unit_name: str
    unit_path: str
    kind: ClosureKind
    starts_on: date
    ends_on: date
    reason: str
    decision: str
    units_below: int  # the units of its subtree under the declared unit
    in_force: bool  # started on or before today (else upcoming)

    @property
    def state(self) -> str:
        """"Đang nghỉ học" / "Sắp nghỉ làm việc"."""
        return f"{'Đang' if self.in_force else 'Sắp'} {self.kind.label}"

    @property
    def span(self) -> str:
        """"28/09–30/09/2025"; one day: "28/09/2025"; across a new year, both years."""
        start, end = self.starts_on, self.ends_on
        if start == end:
            return f"{end:%d/%m/%Y}"
        return (f"{start:%d/%m}–{end:%d/%m/%Y}" if start.year == end.year
                else f"{start:%d/%m/%Y}–{end:%d/%m/%Y}")

    @property
    def what(self) -> str:
        """"Xã Kiên Hải và 12 đơn vị trực thuộc"."""
        below = f"{self.units_below:,}".replace(",", ".")
        return (f"{self.unit_name} và {below} đơn vị trực thuộc" if self.units_below
                else self.unit_name)

    @property
    def why(self) -> str:
        """"Bão số 10 (Bualoi)", with the decision when one is recorded."""
        return f"{self.reason} (theo {self.decision})" if self.decision else self.reason

    @property
    def consequence(self) -> str:
        whose = "các đơn vị này" if self.units_below else "đơn vị này"
        pause = ("nhắc hạn tạm dừng" if self.in_force
                 else "nhắc hạn sẽ tạm dừng trong những ngày nghỉ")
        return f"Hạn của {whose} đã lùi theo số ngày nghỉ; {pause}."

    @property
    def headline(self) -> str:
        """The banner's sentence: "Đang nghỉ học: Xã Kiên Hải và 12 đơn vị trực thuộc,
        28/09–30/09/2025 — Bão số 10 (Bualoi)."."""
        return f"{self.state}: {self.what}, {self.span} — {self.why}."

    def covers(self, path: str) -> bool:
        """Is the unit at `path` closed by it (the declared unit or one below)?"""
        return path.startswith(self.unit_path)

    def lies_below(self, path: str) -> bool:
        """Was it declared for a unit strictly below the unit at `path`?"""
        return self.unit_path.startswith(path) and self.unit_path != path


@dataclass(frozen=True)
class ClosureMark:
    """The mark of a unit in a tree: `closed` (the unit itself is closed: "Đang nghỉ học") or
    some units below it are (`text` says which and how many closures)."""

    closed: bool
    text: str


def closures_ahead(session: Session, today: date) -> list[ClosureNotice]:
    """Every closure not lifted whose last day is `today` or later, earliest first (two
    statements: the closures with their units, then their subtrees' sizes)."""
    rows = session.execute(
        select(_c.id, _c.unit_id, _u.name, _u.path, _c.kind, _c.starts_on, _c.ends_on,
               _c.reason, _c.decision)
        .join(unit_table, _u.id == _c.unit_id)
        .where(_c.lifted_at.is_(None), _c.ends_on >= today)
        .order_by(_c.starts_on, _u.path, _c.id)).all()
    if not rows:
        return []
    sizes: dict[int, int] = {int(uid): int(count) for uid, count in session.execute(
        select(_anc.ancestor_id, func.count()).where(_anc.ancestor_id.in_({r[1] for r in rows}))
        .group_by(_anc.ancestor_id))}
    return [ClosureNotice(cid, uid, name, path, ClosureKind(kind), starts, ends, reason,
                          decision, int(sizes.get(uid, 1)) - 1, starts <= today)
            for cid, uid, name, path, kind, starts, ends, reason, decision in rows]


def seen_from(notices: Iterable[ClosureNotice], reader_path: str,
              around_path: str | None = None) -> list[ClosureNotice]:
    """The notices a reader at `reader_path` is shown on the page of the unit at
    `around_path` (default: its own): those covering that unit or declared within its
    subtree, and within what the reader may know (over its unit, or within its subtree)."""
    around = around_path or reader_path
    return [n for n in notices
            if (n.covers(around) or n.lies_below(around))
            and (n.covers(reader_path) or n.unit_path.startswith(reader_path))]


def closures_seen(session: Session, reader_path: str, *, today: date,
                  around_path: str | None = None) -> list[ClosureNotice]:
    """The closures in force or upcoming shown to the reader on `around_path`'s page."""
    return seen_from(closures_ahead(session, today), reader_path, around_path)


def closures_by_unit(session: Session, unit_paths: Mapping[int, str], *, today: date
                     ) -> dict[int, list[ClosureNotice]]:
    """unit id -> the closures in force or upcoming over it or within its subtree (a digest's
    recipient); units with none are absent."""
    ahead = closures_ahead(session, today) if unit_paths else []
    found = {uid: seen_from(ahead, path) for uid, path in unit_paths.items()}
    return {uid: notices for uid, notices in found.items() if notices}


def closure_marks(session: Session, notices: list[ClosureNotice], unit_ids: Iterable[int]
                  ) -> dict[int, ClosureMark]:
    """unit id -> its mark, for the units (of a tree page) a notice touches."""
    ids = sorted(set(unit_ids))
    if not notices or not ids:
        return {}
    paths = session.execute(select(_u.id, _u.path).where(_u.id.in_(ids))).all()
    marks = {}
    for uid, path in paths:
        mark = mark_of(notices, path)
        if mark is not None:
            marks[int(uid)] = mark
    return marks


def mark_of(notices: list[ClosureNotice], path: str) -> ClosureMark | None:
    over = [n for n in notices if n.covers(path)]
    if over:
        first = min(over, key=lambda n: (not n.in_force, n.starts_on))
        return ClosureMark(True, f"{first.state} {first.span}")
    below = [n for n in notices if n.lies_below(path)]
    if not below:
        return None
    tops = {n.unit_path: n for n in sorted(below, key=lambda n: n.unit_path)
            if not any(n.unit_path.startswith(m.unit_path) and m.unit_path != n.unit_path
                       for m in below)}  # a closure inside another's subtree counts once
    units = sum(n.units_below + 1 for n in tops.values())
    word = "đang nghỉ" if any(n.in_force for n in below) else "sắp nghỉ"
    return ClosureMark(False, f"Có {units} đơn vị trực thuộc {word}")
