"""Put people of a unit on one of its runs (giao việc trong đơn vị): one chủ trì, any number
of phối hợp and để biết, each with a personal deadline no later than the unit's; or take one
off. The run must be open and the unit's own; the head (or a staff member lent the right,
Action.ASSIGN) acts. Every change is one audit row naming the person and the unit; a new
chủ trì is told by mail (a notification to the person). Writes in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, delete, select

from ..db.lookup import assignment_by_id
from ..domain.accounts import User
from ..domain.acting import Actor
from ..domain.assignments import Assignment
from ..domain.errors import InvalidInput
from ..domain.holding import HolderChoice, check_holders
from ..domain.notifications import Notification
from ..domain.people import HolderRole, TaskHolder
from ..domain.permissions import Action, require
from ..domain.policy import NotificationKind
from ..domain.status import Status
from ..domain.units import Unit
from .audit import record_audit

_VERBS = {"assign": "giao", "change": "đổi việc của", "remove": "thôi giao"}


def _open_run_of(session: Session, assignment_id: int, by: Actor) -> tuple[Assignment, Unit]:
    """The run, checked: open, and of the actor's own unit."""
    require(by.role, Action.ASSIGN)
    run = assignment_by_id(session, assignment_id)
    unit = session.get(Unit, run.unit_id)
    assert unit is not None
    if unit.code != by.unit_code:
        raise InvalidInput("assignment_id", f"nhiệm vụ {assignment_id} thuộc {unit.name},"
                                            " không phải đơn vị của người giao việc")
    if not Status(run.status).is_open:
        raise InvalidInput("assignment_id", f"nhiệm vụ {assignment_id} đã đóng"
                                            f" ({Status(run.status).label}): không giao việc")
    return run, unit


def live_holders(session: Session, assignment_id: int) -> list[TaskHolder]:
    return list(session.exec(select(TaskHolder).where(
        TaskHolder.assignment_id == assignment_id,
        TaskHolder.removed_at.is_(None)).order_by(TaskHolder.id)))  # type: ignore[union-attr, arg-type]


def assign_holders(session: Session, assignment_id: int, choices: list[HolderChoice], *,
                   by: Actor, now: datetime) -> list[TaskHolder]:
    """Make the run's holders exactly `choices` (checked: see check_holders): holders left
    out are taken off, new ones added, a changed role, deadline or note replaces the row
    (the old one kept, removed). Returns the live holders."""
    run, unit = _open_run_of(session, assignment_id, by)
    users = {u.id: u for u in session.exec(select(User).where(User.unit_id == unit.id))}
    checked = check_holders(choices, unit_due_on=run.due_on,
                            unit_users={uid: u.full_name for uid, u in users.items() if uid})
    current = {h.user_id: h for h in live_holders(session, assignment_id)}
    wanted = {c.user_id: c for c in checked}
    for user_id, holder in current.items():
        if user_id not in wanted:
            _take_off(session, holder, users[user_id], unit, by=by, now=now)
    kept = []
    for choice in checked:
        old = current.get(choice.user_id)
        if old is not None and (old.role, old.due_on, old.note) == (
                choice.role, choice.due_on, choice.note):
            kept.append(old)
            continue
        if old is not None:
            _retire(session, old, now)
        kept.append(_put_on(session, run, choice, users[choice.user_id], unit, by=by, now=now,
                            verb="change" if old else "assign"))
    session.flush()
    return kept


def remove_holder(session: Session, holder_id: int, *, by: Actor, now: datetime) -> TaskHolder:
    """Take one person off a run (the row stays, removed)."""
    holder = session.get(TaskHolder, holder_id)
    if holder is None or holder.removed_at is not None:
        raise InvalidInput("holder_id", f"không có người thực hiện số {holder_id}")
    _, unit = _open_run_of(session, holder.assignment_id, by)
    user = session.get(User, holder.user_id)
    assert user is not None
    _take_off(session, holder, user, unit, by=by, now=now)
    session.flush()
    return holder


def _put_on(session: Session, run: Assignment, choice: HolderChoice, user: User, unit: Unit,
            *, by: Actor, now: datetime, verb: str) -> TaskHolder:
    assert run.id is not None
    holder = TaskHolder(assignment_id=run.id, user_id=choice.user_id, role=choice.role,
                        due_on=choice.due_on, note=choice.note, assigned_by=by.signed,
                        assigned_at=now)
    session.add(holder)
    session.flush()
    due = f", hạn {choice.due_on:%d/%m/%Y}" if choice.due_on else ""
    _audit(session, by, verb, holder, user, unit, now,
           f"{choice.role.label}{due}", {"role": choice.role.value,
                                         "due_on": choice.due_on.isoformat()
                                         if choice.due_on else None})
    if choice.role is HolderRole.LEAD:  # told in person: a line of their own next mail
        session.add(Notification(
            assignment_id=run.id, stage=f"holder/{holder.id}", kind=NotificationKind.ASSIGNED,
            to_unit_id=run.unit_id, to_user_id=user.id, note=_notice(choice),
            created_at=now))
    return holder


def _notice(choice: HolderChoice) -> str:
    """What the new chủ trì's mail says beside the task (their deadline is on its line)."""
    return f"Ghi chú: {choice.note}" if choice.note else ""


def _take_off(session: Session, holder: TaskHolder, user: User, unit: Unit, *, by: Actor,
              now: datetime) -> None:
    _retire(session, holder, now)
    _audit(session, by, "remove", holder, user, unit, now, HolderRole(holder.role).label,
           {"role": HolderRole(holder.role).value})


def _retire(session: Session, holder: TaskHolder, now: datetime) -> None:
    """The row kept, removed; its "you hold this task" notice dropped if not yet mailed."""
    holder.removed_at = now
    session.add(holder)
    session.execute(delete(Notification).where(
        Notification.assignment_id == holder.assignment_id,  # type: ignore[arg-type]
        Notification.stage == f"holder/{holder.id}",  # type: ignore[arg-type]
        Notification.message_id.is_(None)))  # type: ignore[union-attr]


def _audit(session: Session, by: Actor, verb: str, holder: TaskHolder, user: User, unit: Unit,
           now: datetime, what: str, detail: dict[str, object]) -> None:
    summary = (f"{by.signed or 'chidao'} {_VERBS[verb]} {user.full_name} ({user.username},"
               f" {unit.name}) nhiệm vụ số {holder.assignment_id}: {what}")
    record_audit(session, by, f"holder.{verb}", subject_type="assignment",
                 subject_id=holder.assignment_id, summary=summary, now=now,
                 detail={"holder_id": holder.id, "user_id": user.id,
                         "username": user.username, "person": user.full_name,
                         "unit_code": unit.code, **detail})
