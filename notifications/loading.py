"""Load what claimed messages must say: recipients, the notified runs, open tasks."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import ScalarSelect, select
from sqlmodel import Session, SQLModel

from ..domain.assignments import assignment_table
from ..domain.directives import directive_table, format_number_symbol, requirement_table
from ..domain.notifications import message_table, notification_table
from ..domain.people import HolderRole, task_holder_table
from ..domain.policy import digest_items, is_stale
from ..domain.status import AWAITING_UNIT
from ..domain.units import unit_table
from ..queries.closure_notices import ClosureNotice, closures_by_unit
from .context import Item, OpenTask, Outgoing, Person, Recipient

_a, _r, _d, _u = assignment_table.c, requirement_table.c, directive_table.c, unit_table.c
_m, _n, _h = message_table.c, notification_table.c, task_holder_table.c
_users = SQLModel.metadata.tables["app_user"]
_user = _users.c
_issuer = unit_table.alias("issuer")
OPEN_TASKS_SHOWN = 20


def load_outgoing(session: Session, message_ids: list[int], *,
                  today: date | None = None) -> list[Outgoing]:
    """The messages with their notifications and open tasks; with `today`, the closures in
    force or upcoming on that day over each recipient or within its subtree."""
    rows = session.execute(select(_m.id, _m.header_id, _m.to_unit_id, _m.cc_unit_id, _m.attempts,
                                  _m.to_user_id)
                           .where(_m.id.in_(message_ids)).order_by(_m.id)).all()
    unit_ids = {r.to_unit_id for r in rows} | {r.cc_unit_id for r in rows if r.cc_unit_id}
    units = {uid: Recipient(code, name, list(emails)) for uid, code, name, emails in
             session.execute(select(_u.id, _u.code, _u.name, _u.emails)
                             .where(_u.id.in_(unit_ids)))}
    messages = {r.id: Outgoing(r.id, r.header_id, units[r.to_unit_id],
                               units.get(r.cc_unit_id) if r.cc_unit_id else None, r.attempts)
                for r in rows}
    by_message: dict[int, list[Item]] = defaultdict(list)
    for message_id, item in _items(session, message_ids):
        by_message[message_id].append(item)
    for message_id, items in by_message.items():
        messages[message_id].items.extend(digest_items(items))
    people = _people(session, {r.to_user_id for r in rows if r.to_user_id})
    tasks = _open_tasks(session, {r.to_unit_id for r in rows if not r.to_user_id})
    held = _held_tasks(session, set(people))
    closures = _closures(session, {r.to_unit_id for r in rows}, today)
    for r in rows:
        message = messages[r.id]
        message.person = people.get(r.to_user_id) if r.to_user_id else None
        found = held.get(r.to_user_id, []) if r.to_user_id else tasks.get(r.to_unit_id, [])
        message.open_tasks.extend(found[:OPEN_TASKS_SHOWN])
        message.closures.extend(closures.get(r.to_unit_id, []))
    return list(messages.values())


def _people(session: Session, user_ids: set[int]) -> dict[int, Person]:
    if not user_ids:
        return {}
    return {uid: Person(name, username, email) for uid, name, username, email in
            session.execute(select(_user.id, _user.full_name, _user.username, _user.email)
                            .where(_user.id.in_(user_ids)))}


def _lead(column: Any) -> ScalarSelect[Any]:
    """`column` of the run's live chủ trì (a correlated lookup): their name for the unit's
    mailbox, their own deadline for their own mail."""
    return (select(column)
            .select_from(task_holder_table.join(_users, _h.user_id == _user.id))
            .where(_h.assignment_id == _a.id, _h.role == HolderRole.LEAD.value,
                   _h.removed_at.is_(None))
            .order_by(_h.id.desc()).limit(1).scalar_subquery())


def _items(session: Session, message_ids: list[int]) -> list[tuple[int, Item]]:
    """Each message's notifications that still have something to say, oldest first within a
    run; one the run's state has made stale (handed in, closed, deadline moved) is left out."""
    query = (
        select(_n.message_id, _n.stage, _n.assignment_id, _n.kind, _n.note, _u.code, _u.name,
               _d.number, _d.symbol, _d.title, _issuer.c.name, _r.title, _r.kind, _a.period,
               _a.due_on, _a.status, _lead(_user.full_name).label("lead"),
               _lead(_h.due_on).label("lead_due"))
        .join(assignment_table, _a.id == _n.assignment_id)
        .join(requirement_table, _r.id == _a.requirement_id)
        .join(directive_table, _d.id == _a.directive_id)
        .join(unit_table, _u.id == _a.unit_id)
        .join(_issuer, _issuer.c.id == _d.issuer_id)
        .where(_n.message_id.in_(message_ids))
        .order_by(_n.message_id, _a.due_on, _u.name, _n.id)
    )
    return [(row[0], Item(row[2], row[3], row[4], row[5], row[6],
                          format_number_symbol(row[7], row[8]), row[9], row[10], row[11],
                          row[12], row[13], row[14], row[15], row.lead or "", row.lead_due))
            for row in session.execute(query)
            if not is_stale(row.kind, row.stage, row.status, row.due_on)]


def _closures(session: Session, unit_ids: set[int], today: date | None
              ) -> dict[int, list[ClosureNotice]]:
    if today is None or not unit_ids:
        return {}
    paths = {int(uid): str(path) for uid, path in session.execute(
        select(_u.id, _u.path).where(_u.id.in_(unit_ids)))}
    return closures_by_unit(session, paths, today=today)


def _open_tasks(session: Session, unit_ids: set[int]) -> dict[int, list[OpenTask]]:
    query = (
        select(_a.unit_id, _a.id, _d.number, _d.symbol, _r.title, _a.period, _a.due_on,
               _a.status)
        .join(requirement_table, _r.id == _a.requirement_id)
        .join(directive_table, _d.id == _a.directive_id)
        .where(_a.unit_id.in_(unit_ids), _a.status.in_(sorted(AWAITING_UNIT)))
        .order_by(_a.unit_id, _a.due_on, _a.id)
    )
    tasks: dict[int, list[OpenTask]] = defaultdict(list)
    for unit_id, assignment_id, number, symbol, *rest in session.execute(query):
        tasks[unit_id].append(OpenTask(assignment_id, format_number_symbol(number, symbol), *rest))
    return tasks


def _held_tasks(session: Session, user_ids: set[int]) -> dict[int, list[OpenTask]]:
    """The open runs each person holds (chủ trì or phối hợp), by their unit's deadline."""
    if not user_ids:
        return {}
    query = (
        select(_h.user_id, _a.id, _d.number, _d.symbol, _r.title, _a.period, _a.due_on,
               _a.status)
        .join(assignment_table, _a.id == _h.assignment_id)
        .join(requirement_table, _r.id == _a.requirement_id)
        .join(directive_table, _d.id == _a.directive_id)
        .where(_h.user_id.in_(user_ids), _h.removed_at.is_(None),
               _h.role != HolderRole.WATCH.value, _a.status.in_(sorted(AWAITING_UNIT)))
        .order_by(_h.user_id, _a.due_on, _a.id)
    )
    tasks: dict[int, list[OpenTask]] = defaultdict(list)
    for user_id, assignment_id, number, symbol, *rest in session.execute(query):
        tasks[user_id].append(OpenTask(assignment_id, format_number_symbol(number, symbol), *rest))
    return tasks
