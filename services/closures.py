"""Declare and lift a closure (nghỉ học / nghỉ làm việc) of a unit and its subtree: the days
stop being working days for those units, and their open deadlines move at once (the lead's
refresh: each unit gets back the working days the closure took); lifting moves them back.

Who may: a head or an admin (Action.CLOSE) of the unit itself or of a unit above it — the Sở
for any unit of its province, a commune (UBND xã/phường) for itself and its schools, a school
for itself (its principal may send pupils home when a storm comes, as the storm instructions
allow). Never a sibling's subtree. Lifting: the same, and only by the declaring unit or one
above it (a commune does not revoke the province's decision). The CLI is the operator's tool:
without an acting unit it acts for the top of the unit's tree."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session

from ..db.lookup import unit_by_code
from ..domain.accounts import Role
from ..domain.acting import Actor, command_line
from ..domain.calendar import WorkingCalendar
from ..domain.closures import Closure, ClosureKind, closure_table
from ..domain.errors import InvalidInput
from ..domain.permissions import OPERATOR, Action, require
from ..domain.rules import Rules
from ..domain.scope import in_subtree
from ..domain.specs import check_day_range
from ..domain.text import free_text
from ..domain.units import Unit, subtree_bounds, unit_table
from .audit import record_audit
from .deadline_refresh import refresh_deadlines

MAX_CLOSURE_DAYS = 60  # a closure longer than two months is a typing slip (or a new school year)
REASON_MAX_CHARS = 500
_c, _u = closure_table.c, unit_table.c


def declare_closure(
    session: Session, *, unit_code: str, kind: ClosureKind | str, starts_on: date,
    ends_on: date, reason: str, decision: str = "", actor: str | None, by_person: str = "",
    role: Role | str = OPERATOR, now: datetime, calendar: WorkingCalendar, rules: Rules,
    by: Actor | None = None,
) -> tuple[Closure, int]:
    """Store the closure and move the subtree's open deadlines (one transaction: the caller's).
    Returns the closure and how many runs moved. `actor`: the acting unit's code (None: the
    operator at the command line); `by`, when given, is who acts (over actor/by_person/role)."""
    if by is not None:
        actor, by_person, role = by.unit_code, by.signed, by.role
    require(role, Action.CLOSE)
    unit = unit_by_code(session, unit_code.strip(), field="unit")
    acting = _acting_unit(session, unit, actor)
    closure = Closure(
        unit_id=unit.id or 0, kind=_kind(kind), starts_on=check_day_range(starts_on, "from"),
        ends_on=check_day_range(ends_on, "to"), reason=_reason(reason),
        decision=free_text(decision, "decision", 200).strip(), declared_by=acting.code,
        declared_by_person=free_text(by_person, "by_person", 200).strip(), declared_at=now)
    _check_span(closure)
    _check_no_overlap(session, closure, unit)
    session.add(closure)
    session.flush()
    moved = refresh_deadlines(session, calendar=calendar, rules=rules, now=now,
                              reason=_audit(closure), actor=acting.code,
                              unit_ids=subtree_unit_ids(session, unit),
                              by_person=by.person if by else closure.declared_by_person,
                              on_behalf_of=by.behalf if by else "")
    record_audit(session, by or command_line(acting.code, by_person), "closure.declare",
                 subject_type="closure", subject_id=closure.id or 0, now=now,
                 summary=f"Công bố {_audit(closure)}", detail={"runs_moved": moved})
    return closure, moved


def lift_closure(
    session: Session, *, closure_id: int, reason: str, actor: str | None, by_person: str = "",
    role: Role | str = OPERATOR, now: datetime, calendar: WorkingCalendar, rules: Rules,
    by: Actor | None = None,
) -> tuple[Closure, int]:
    """Lift (hủy) a closure: its days are working days again and the subtree's deadlines move
    back. Returns the closure and how many runs moved. `by` as for declare_closure."""
    if by is not None:
        actor, by_person, role = by.unit_code, by.signed, by.role
    require(role, Action.CLOSE)
    closure = session.get(Closure, closure_id)
    if closure is None:
        raise InvalidInput("closure", f"không có lịch nghỉ số {closure_id}")
    if closure.lifted_at is not None:
        raise InvalidInput("closure", f"lịch nghỉ số {closure_id} đã được hủy lúc"
                                      f" {calendar.local_date(closure.lifted_at):%d/%m/%Y}")
    unit = session.get(Unit, closure.unit_id)
    assert unit is not None
    acting = _acting_unit(session, unit, actor)
    declared_by = unit_by_code(session, closure.declared_by, field="closure")
    if not in_subtree(declared_by.path, acting.path):
        raise InvalidInput("unit", f"lịch nghỉ số {closure_id} do {declared_by.name} công bố;"
                                   f" {acting.name} không hủy được")
    why = _reason(reason)
    closure.lifted_at = now
    session.add(closure)
    session.flush()
    who = f" ({by_person.strip()})" if by_person.strip() else ""
    moved = refresh_deadlines(session, calendar=calendar, rules=rules, now=now,
                              reason=f"hủy {_audit(closure)}: {why}{who}", actor=acting.code,
                              unit_ids=subtree_unit_ids(session, unit),
                              by_person=by.person if by else by_person.strip(),
                              on_behalf_of=by.behalf if by else "")
    record_audit(session, by or command_line(acting.code, by_person), "closure.lift",
                 subject_type="closure", subject_id=closure.id or 0, now=now,
                 summary=f"Hủy {_audit(closure)}: {why}", detail={"runs_moved": moved})
    return closure, moved


def subtree_unit_ids(session: Session, unit: Unit) -> list[int]:
    low, high = subtree_bounds(unit.path)
    return list(session.execute(select(_u.id).where(_u.path >= low, _u.path < high)).scalars())


def _acting_unit(session: Session, unit: Unit, actor: str | None) -> Unit:
    """The unit acting: `actor` (which must be `unit` or above it), or the top of `unit`'s
    tree for the operator."""
    if actor is None:
        root_id = int(unit.path.strip("/").split("/")[0])
        root = session.get(Unit, root_id)
        assert root is not None
        return root
    acting = unit_by_code(session, actor.strip(), field="actor")
    if not in_subtree(unit.path, acting.path):
        raise InvalidInput("unit", f"{unit.name} ({unit.code}) không thuộc {acting.name};"
                                   " chỉ công bố lịch nghỉ cho đơn vị mình và đơn vị cấp dưới")
    return acting


def _kind(kind: ClosureKind | str) -> ClosureKind:
    try:
        return ClosureKind(str(kind).strip().lower())
    except ValueError:
        raise InvalidInput("kind", f"'{kind}' không phải loại nghỉ: school (nghỉ học) hoặc"
                                   " work (nghỉ làm việc)") from None


def _reason(reason: str) -> str:
    cleaned = free_text(reason, "reason", REASON_MAX_CHARS).strip()
    if not cleaned:
        raise InvalidInput("reason", "cần ghi lý do (bão, lũ, dịch bệnh…)")
    return " ".join(cleaned.split())


def _check_span(closure: Closure) -> None:
    if closure.ends_on < closure.starts_on:
        raise InvalidInput("to", f"ngày kết thúc {closure.ends_on:%d/%m/%Y} trước ngày bắt đầu"
                                 f" {closure.starts_on:%d/%m/%Y}")
    days = (closure.ends_on - closure.starts_on).days + 1
    if days > MAX_CLOSURE_DAYS:
        raise InvalidInput("to", f"lịch nghỉ dài {days} ngày, quá {MAX_CLOSURE_DAYS} ngày")


def _check_no_overlap(session: Session, closure: Closure, unit: Unit) -> None:
    """One unit, one closure in force per day: a second declaration of the same days is a
    slip (lift the first to change it)."""
    other = session.execute(select(_c.id, _c.starts_on, _c.ends_on).where(
        _c.unit_id == unit.id, _c.lifted_at.is_(None), _c.starts_on <= closure.ends_on,
        _c.ends_on >= closure.starts_on)).first()
    if other is not None:
        raise InvalidInput("from", f"{unit.name} đã có lịch nghỉ số {other.id}"
                                   f" ({other.starts_on:%d/%m/%Y}–{other.ends_on:%d/%m/%Y})"
                                   " trùng những ngày này; hủy lịch đó trước nếu cần sửa")


def _audit(closure: Closure) -> str:
    """"nghỉ học 29/09–01/10/2025 (Bão số 10), Quyết định 123/QĐ-UBND"."""
    return closure.label + (f", {closure.decision}" if closure.decision else "")

