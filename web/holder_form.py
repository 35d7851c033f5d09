"""The "Người thực hiện" section of a run's page: who holds the run (chủ trì, phối hợp, để biết,
each with their own deadline) and, for who may assign, the form over the unit's users. The
form's rows are read back into HolderChoice; each problem is named by the person's row, in
Vietnamese."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from ..domain.accounts import User
from ..domain.acting import Actor
from ..domain.assignments import Assignment
from ..domain.errors import InvalidInput
from ..domain.holding import HolderChoice, name_key, parse_role
from ..domain.people import HolderRole
from ..domain.permissions import Action, NotPermitted
from ..domain.specs import check_day_range, parse_day
from ..domain.status import Status
from ..queries.holders import RunHolder, run_holders
from ..services.acting import actor_for

ROLE_OPTIONS = [("", "không giao"), *((r.value, r.label) for r in HolderRole)]


def assigning_actor(session: Session, user: User, run: Assignment, *,
                    now: datetime) -> Actor | None:
    """Who may set the run's holders: a user of the run's own unit with Action.ASSIGN (own
    role or a delegation in force); None for anyone else, or when the run is closed."""
    if user.unit_id != run.unit_id or not Status(run.status).is_open:
        return None
    try:
        return actor_for(session, user, Action.ASSIGN, now=now)
    except NotPermitted:
        return None


@dataclass(frozen=True)
class TypedRow:
    user_id: int
    full_name: str
    username: str
    role: str
    due: str
    note: str


def holder_section(session: Session, user: User, run: Assignment, *, now: datetime,
                   typed: list[TypedRow] | None = None, error: str = "") -> dict[str, Any]:
    """The template context of the section (holders, and the form when the user may assign)."""
    assert run.id is not None
    holders = run_holders(session, run.id)
    can_assign = assigning_actor(session, user, run, now=now) is not None
    rows = typed if typed is not None else (_rows(session, run, holders) if can_assign else [])
    return {"holders": holders, "can_assign": can_assign, "holder_rows": rows,
            "holder_error": error, "role_options": ROLE_OPTIONS}


def unit_users(session: Session, run: Assignment) -> list[User]:
    """The users of the run's unit as the form lists them: who holds the run now first
    (chủ trì, phối hợp, để biết), then the others, by name."""
    order = {h.user_id: i for i, h in enumerate(run_holders(session, run.id or 0))}
    users = session.exec(select(User).where(User.unit_id == run.unit_id))
    return sorted(users, key=lambda u: (order.get(u.id or 0, len(order)),
                                        name_key(u.full_name)))


def _rows(session: Session, run: Assignment, holders: list[RunHolder]) -> list[TypedRow]:
    """One row per user of the unit, filled with what they hold now."""
    held = {h.user_id: h for h in holders}
    rows = []
    for u in unit_users(session, run):
        h = held.get(u.id or 0)
        rows.append(TypedRow(u.id or 0, u.full_name, u.username, h.role.value if h else "",
                             f"{h.due_on:%d/%m/%Y}" if h and h.due_on else "",
                             h.note if h else ""))
    return rows


def read_rows(session: Session, run: Assignment, form: Mapping[str, Any]) -> list[TypedRow]:
    """What was typed, one row per user of the unit (a user not of the unit is never read)."""
    rows = []
    for u in unit_users(session, run):
        uid = u.id or 0
        rows.append(TypedRow(uid, u.full_name, u.username,
                             str(form.get(f"role_{uid}", ""))[:16].strip(),
                             str(form.get(f"due_{uid}", ""))[:40].strip(),
                             str(form.get(f"note_{uid}", ""))[:2000]))
    return rows


def choices_of(rows: list[TypedRow]) -> tuple[list[HolderChoice], list[TypedRow]]:
    """The chosen rows as HolderChoice (in order) and the rows they came from; InvalidInput
    naming the person when a role or a date cannot be read."""
    chosen = [r for r in rows if r.role]
    choices = []
    for index, row in enumerate(chosen):
        role = parse_role(row.role, f"holders[{index}].role")
        due = None
        if row.due:
            try:
                due = check_day_range(parse_day(row.due), f"holders[{index}].due_on")
            except ValueError as exc:
                if isinstance(exc, InvalidInput):
                    raise
                raise InvalidInput(f"holders[{index}].due_on",
                                   f"ngày «{row.due}» không có thật hoặc không đúng dạng"
                                   " dd/mm/yyyy") from None
        choices.append(HolderChoice(row.user_id, role, due, row.note))
    return choices, chosen


def problem_text(exc: InvalidInput, chosen: list[TypedRow]) -> str:
    """The problem as the page says it: the person's name for a row's field."""
    field = exc.field
    if field.startswith("holders[") and "]" in field:
        index = int(field[len("holders["):field.index("]")])
        what = {"due_on": "hạn cá nhân", "role": "vai trò", "note": "ghi chú",
                "user_id": "người"}.get(field.rpartition(".")[2], "")
        if 0 <= index < len(chosen):
            return f"{chosen[index].full_name} ({what}): {exc.problem}."
    if field == "holders":
        return f"{exc.problem[:1].upper()}{exc.problem[1:]}."
    return f"{exc.field}: {exc.problem}."
