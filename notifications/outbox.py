"""The outbox in SQL: group notifications into digest messages, claim them, record results.

Every claim is a conditional UPDATE: a message another worker holds is skipped, and one whose
lease ran out (its worker died) is taken over with the same Message-ID; each take-over counts
as an attempt, so a message that kills its worker every time is given up, not sent forever.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, bindparam, case, exists, insert, or_, select, update
from sqlmodel import Session

from ..domain.assignments import assignment_table
from ..domain.calendar import LOCAL_TZ
from ..domain.notifications import (
    MAX_ATTEMPTS,
    MessageStatus,
    message_body_table,
    message_table,
    notification_table,
)
from ..domain.policy import LADDER_KINDS, is_stale
from ..queries.closure_list import units_closed_on
from .mailer import Envelope

_m, _n, _b, _a = message_table.c, notification_table.c, message_body_table.c, assignment_table.c
_composed = exists().where(_b.message_id == _m.id)


ABANDONED = (f"given up: {MAX_ATTEMPTS} workers stopped while sending it (it may have been"
             " delivered)")


class ClaimLost(RuntimeError):
    """Another worker took some of the rows this transaction meant to take: roll back."""


def form_messages(session: Session, *, now: datetime, domain: str) -> int:
    """Group unassigned notifications into one new queued digest per recipient: a unit's
    mailbox (its own tasks, the returns and acceptances it was sent, and the lines about its
    late children: copies of their urging, escalations) or one person of a unit (the runs they
    lead: chidao.domain.people), all in one email. Lines the run's state has made
    stale (handed in, closed, deadline moved; a ladder notice about or to a unit closed today,
    see `paused`) go to a withdrawn message, never sent. A cc unit
    of a notification written before copies became lines of their own is not mailed."""
    pending = session.execute(
        select(_n.id, _n.to_unit_id, _n.to_user_id, _n.kind, _n.stage, _a.status, _a.due_on,
               _a.unit_id)
        .join(assignment_table, _a.id == _n.assignment_id).where(_n.message_id.is_(None))
        .order_by(_n.id).with_for_update(of=notification_table, skip_locked=True)).all()
    # PostgreSQL: skip rows another worker is grouping; SQLite: the transaction holds the lock
    closed = units_closed_on(session, {r.unit_id for r in pending}
                             | {r.to_unit_id for r in pending}, local_day(now))
    groups: dict[tuple[int, int | None, bool], list[int]] = defaultdict(list)
    for nid, to_unit, to_user, kind, stage, status, due_on, unit in pending:
        stale = is_stale(kind, stage, status, due_on) or paused(kind, {unit, to_unit}, closed)
        groups[(to_unit, to_user, stale)].append(nid)
    created = add_messages(session, [
        (to_unit, MessageStatus.WITHDRAWN if stale else MessageStatus.QUEUED, to_user)
        for to_unit, to_user, stale in groups], now=now, domain=domain)
    links = [{"nid": nid, "mid": mid}
             for mid, ids in zip(created, groups.values(), strict=True) for nid in ids]
    if links:
        result = session.execute(
            update(notification_table)
            .where(_n.id == bindparam("nid"), _n.message_id.is_(None))
            .values(message_id=bindparam("mid")), links)
        if result.rowcount != len(links):  # type: ignore[attr-defined]
            raise ClaimLost("notifications were grouped by another worker")
    return sum(not stale for _, _, stale in groups)


def local_day(now: datetime) -> date:
    return now.astimezone(LOCAL_TZ).date()


def paused(kind: str, units: Collection[int], closed: Collection[int]) -> bool:
    """A ladder notice (reminder, due today, urging, escalation) about a run of a unit closed
    today, or to a unit closed today, is not sent: the closure moved the deadline (then the
    notice, naming the old due date, is stale anyway) or, when the run was already late, the
    ladder goes on, counted without the closed days, once the unit works again."""
    return kind in LADDER_KINDS and any(u in closed for u in units)


MessageSpec = tuple[int, MessageStatus] | tuple[int, MessageStatus, int | None]


def add_messages(session: Session, specs: Sequence[MessageSpec], *, now: datetime,
                 domain: str) -> list[int]:
    """New messages, one per (recipient unit, status[, person of the unit]), each with its
    own Message-ID."""
    if not specs:
        return []
    rows: list[dict[str, object]] = [
        {"to_unit_id": spec[0], "to_user_id": spec[2] if len(spec) > 2 else None,
         "cc_unit_id": None, "status": spec[1].value,
         "header_id": f"<chidao.{uuid.uuid4().hex}@{domain}>", "attempts": 0,
         "next_attempt_at": now, "created_at": now, "smtp_reply": "", "last_error": "",
         "subject": "", "sender": "", "recipients": []} for spec in specs]
    return list(session.execute(
        insert(message_table).returning(_m.id, sort_by_parameter_order=True), rows).scalars())


def unrendered(session: Session, limit: int | None, *,
               among: Collection[int] | None = None) -> list[int]:
    """Messages still to render (a withdrawn one never is), the first `limit` (None: all),
    or those of `among`."""
    query = select(_m.id).where(~_composed, _m.status != MessageStatus.WITHDRAWN.value)
    if among is not None:
        query = query.where(_m.id.in_(among))
    return list(session.execute(query.order_by(_m.id).limit(limit)).scalars())


def store_rendered(session: Session, rendered: list[dict[str, object]]) -> None:
    """Keep each composed message's bytes, or its status `failed` and why (only where no other
    worker stored them first)."""
    ids = [r["mid"] for r in rendered]
    # On PostgreSQL a second composer of the same messages waits here, then finds them done.
    session.execute(select(_m.id).where(_m.id.in_(ids)).with_for_update())
    done = set(session.execute(select(_b.message_id).where(_b.message_id.in_(ids))).scalars())
    fresh = [r for r in rendered if r["mid"] not in done]
    if not fresh:
        return
    session.execute(
        update(message_table).where(_m.id == bindparam("mid"))
        .values(subject=bindparam("subject"), sender=bindparam("sender"),
                recipients=bindparam("recipients"), status=bindparam("status"),
                last_error=bindparam("last_error")),
        [{k: r[k] for k in ("mid", "subject", "sender", "recipients", "status", "last_error")}
         for r in fresh])
    session.execute(insert(message_body_table),
                    [{"message_id": r["mid"], "body": r["body"]} for r in fresh])


def claim_messages(
    session: Session, *, now: datetime, token: str, lease_seconds: int, limit: int
) -> list[Claimed]:
    """Take up to `limit` messages due now (or abandoned by a dead worker) for `token`, and
    return them with their bytes (UPDATE … RETURNING: SQLite ≥ 3.35 and PostgreSQL)."""
    abandoned = and_(_m.status == MessageStatus.SENDING.value, _m.claimed_until < now)
    session.execute(  # a message whose every worker died sending it: not taken once more
        update(message_table).where(abandoned, _m.attempts >= MAX_ATTEMPTS)
        .values(status=MessageStatus.FAILED.value, claimed_by=None, claimed_until=None,
                last_error=ABANDONED))
    claimable = and_(_composed, or_(
        and_(_m.status == MessageStatus.QUEUED.value, _m.next_attempt_at <= now), abandoned))
    ids = (select(_m.id).where(claimable).order_by(_m.id).limit(limit)
           .with_for_update(skip_locked=True).scalar_subquery())
    rows = session.execute(
        update(message_table).where(_m.id.in_(ids), claimable)
        .values(status=MessageStatus.SENDING.value, claimed_by=token,
                claimed_until=now + timedelta(seconds=lease_seconds),
                # taking over a dead worker's claim counts as an attempt: no endless loop
                attempts=case((_m.status == MessageStatus.SENDING.value, _m.attempts + 1),
                              else_=_m.attempts))
        .returning(_m.id, _m.attempts, _m.sender, _m.recipients,
                   select(_b.body).where(_b.message_id == _m.id).scalar_subquery()))
    return sorted((Claimed(mid, attempts, Envelope(sender, list(recipients), bytes(body)))
                   for mid, attempts, sender, recipients, body in rows), key=lambda c: c.id)


def release_claims(session: Session, token: str) -> int:
    """Give back the messages `token` claimed and did not send: queued again, due at once."""
    result = session.execute(
        update(message_table)
        .where(_m.claimed_by == token, _m.status == MessageStatus.SENDING.value)
        .values(status=MessageStatus.QUEUED.value, claimed_by=None, claimed_until=None))
    return int(result.rowcount)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Claimed:
    id: int
    attempts: int
    envelope: Envelope


# An outcome row: these columns set, then the message id and the claim token it must still hold.
RESULT_COLUMNS = ("status", "attempts", "next_attempt_at", "sent_at", "smtp_reply", "last_error",
                  "claimed_by", "claimed_until")
RESULT_WHERE = ("id", "claimed_by")


def new_token(worker: str) -> str:
    return f"{worker}:{uuid.uuid4().hex[:12]}"
