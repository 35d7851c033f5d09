"""Re-check composed digests against their runs' state when they are claimed for sending.

A digest is rendered once and its bytes kept, so a run handed in, accepted, cancelled or
waived after that (during an SMTP outage, or between compose and send) would still be urged.
At claim time, in the claiming transaction: a message whose every line is stale is withdrawn
(never sent); one with some stale lines is given back to be composed again without them
(same Message-ID) by the next delivery, its stale lines set aside on a withdrawn message;
the rest are sent as composed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, TypeVar

from sqlalchemy import Engine, delete, select, update
from sqlmodel import Session

from ..db.database import transaction
from ..domain.assignments import assignment_table
from ..domain.notifications import (
    MessageStatus,
    message_body_table,
    message_table,
    notification_table,
)
from ..domain.policy import is_stale
from ..queries.closure_list import units_closed_on
from .context import Outgoing
from .outbox import Claimed, add_messages, claim_messages, local_day, paused

_a, _m, _n, _b = assignment_table.c, message_table.c, notification_table.c, message_body_table.c


class _ClaimedMessage(Protocol):
    @property
    def id(self) -> int: ...


C = TypeVar("C", bound=_ClaimedMessage)


@dataclass
class _Lines:
    to_unit: int
    total: int = 0
    stale: list[int] = field(default_factory=list)


def stale_lines(session: Session, message_ids: Sequence[int], *,
                now: datetime) -> dict[int, _Lines]:
    """Each message's recipient, its stale notifications and how many it holds in all (a
    ladder notice about or to a unit closed today is stale: outbox.paused)."""
    lines: dict[int, _Lines] = {}
    query = (select(_n.message_id, _n.id, _n.to_unit_id, _n.kind, _n.stage, _a.status,
                    _a.due_on, _a.unit_id)
             .join(assignment_table, _a.id == _n.assignment_id)
             .where(_n.message_id.in_(message_ids)))
    rows = session.execute(query).all()
    closed = units_closed_on(session, {r.unit_id for r in rows} | {r.to_unit_id for r in rows},
                             local_day(now))
    for mid, nid, to_unit, kind, stage, status, due_on, unit in rows:
        entry = lines.setdefault(mid, _Lines(to_unit))
        entry.total += 1
        if is_stale(kind, stage, status, due_on) or paused(kind, {unit, to_unit}, closed):
            entry.stale.append(nid)
    return lines


def keep_fresh(session: Session, claimed: list[C], token: str, *, now: datetime,
               domain: str) -> list[C]:
    """The claimed messages still worth sending. One with only stale lines is withdrawn; one
    with some is given back to be composed again, its stale lines moved to a withdrawn
    message of the same recipient (so the next composition leaves them out for good)."""
    lines = stale_lines(session, [c.id for c in claimed], now=now)
    withdrawn = [mid for mid, e in lines.items() if e.stale and len(e.stale) == e.total]
    partial = {mid: e for mid, e in lines.items() if e.stale and len(e.stale) < e.total}
    withdraw(session, withdrawn, token)
    if partial:
        sinks = add_messages(session, [(e.to_unit, MessageStatus.WITHDRAWN)
                                       for e in partial.values()], now=now, domain=domain)
        for sink, entry in zip(sinks, partial.values(), strict=True):
            session.execute(update(notification_table).where(_n.id.in_(entry.stale))
                            .values(message_id=sink))
        session.execute(update(message_table)
                        .where(_m.id.in_(list(partial)), _m.claimed_by == token)
                        .values(status=MessageStatus.QUEUED.value, claimed_by=None,
                                claimed_until=None))
        session.execute(delete(message_body_table).where(_b.message_id.in_(list(partial))))
    dropped = {*withdrawn, *partial}
    return [c for c in claimed if c.id not in dropped]


def withdraw(session: Session, message_ids: Sequence[int], token: str | None = None) -> None:
    """Mark messages left with nothing to say as never to be sent (only where `token`, if
    given, still holds the claim)."""
    if not message_ids:
        return
    query = update(message_table).where(_m.id.in_(message_ids))
    if token is not None:
        query = query.where(_m.claimed_by == token)
    session.execute(query.values(status=MessageStatus.WITHDRAWN.value, claimed_by=None,
                                 claimed_until=None))


def claim_fresh(session: Session, *, now: datetime, token: str, lease_seconds: int,
                limit: int, domain: str) -> list[Claimed]:
    """`claim_messages`, less what `keep_fresh` takes out; claims again (same transaction,
    same token) while a whole batch was taken out, so stale mail never ends a delivery."""
    while True:
        claimed = claim_messages(session, now=now, token=token, lease_seconds=lease_seconds,
                                 limit=limit)
        fresh = keep_fresh(session, claimed, token, now=now, domain=domain)
        if fresh or not claimed:
            return fresh


def set_aside_empty(engine: Engine, outgoing: list[Outgoing]) -> list[Outgoing]:
    """The messages that still have a line to render; the others are withdrawn."""
    empty = [m.id for m in outgoing if not m.items]
    if empty:
        with transaction(engine) as session:
            withdraw(session, empty)
    return [m for m in outgoing if m.items]
