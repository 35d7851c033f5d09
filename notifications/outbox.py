"""The outbox in SQL: group notifications into digest messages, claim them, record results.

Every claim is a conditional UPDATE: a message another worker holds is skipped, and one whose
lease ran out (its worker died) is taken over with the same Message-ID.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, exists, insert, or_, select, update
from sqlmodel import Session

from domain.notifications import (
    MessageStatus,
    message_body_table,
    message_table,
    notification_table,
)
from notifications.mailer import Envelope

_m, _n, _b = message_table.c, notification_table.c, message_body_table.c
_composed = exists().where(_b.message_id == _m.id)


class ClaimLost(RuntimeError):
    """Another worker took some of the rows this transaction meant to take: roll back."""


def form_messages(session: Session, *, now: datetime, domain: str) -> int:
    """Group unassigned notifications by (to, cc) unit into new queued digest messages."""
    pending = session.execute(
        select(_n.id, _n.to_unit_id, _n.cc_unit_id).where(_n.message_id.is_(None))
        .order_by(_n.id).with_for_update(skip_locked=True)).all()  # PostgreSQL: skip rows
    # another worker is grouping; SQLite: the transaction already holds the write lock
    groups: dict[tuple[int, int | None], list[int]] = defaultdict(list)
    for nid, to_unit, cc_unit in pending:
        groups[(to_unit, cc_unit)].append(nid)
    if not groups:
        return 0
    rows: list[dict[str, object]] = [
        {"to_unit_id": to_unit, "cc_unit_id": cc_unit, "status": MessageStatus.QUEUED.value,
         "header_id": f"<chidao.{uuid.uuid4().hex}@{domain}>", "attempts": 0,
         "next_attempt_at": now, "created_at": now, "smtp_reply": "", "last_error": "",
         "subject": "", "sender": "", "recipients": []} for to_unit, cc_unit in groups]
    created = session.execute(
        insert(message_table).returning(_m.id, _m.header_id, sort_by_parameter_order=True),
        rows).all()
    links = [{"nid": nid, "mid": mid}
             for (mid, _), ids in zip(created, groups.values(), strict=True) for nid in ids]
    if links:
        result = session.execute(
            update(notification_table)
            .where(_n.id == bindparam("nid"), _n.message_id.is_(None))
            .values(message_id=bindparam("mid")), links)
        if result.rowcount != len(links):  # type: ignore[attr-defined]
            raise ClaimLost("notifications were grouped by another worker")
    return len(created)


def unrendered(session: Session, limit: int) -> list[int]:
    return list(session.execute(select(_m.id).where(~_composed).order_by(_m.id)
                                .limit(limit)).scalars())


def store_rendered(session: Session, rendered: list[dict[str, object]]) -> None:
    """Keep each composed message's bytes (only where no other worker stored them first)."""
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
                recipients=bindparam("recipients")),
        [{k: r[k] for k in ("mid", "subject", "sender", "recipients")} for r in fresh])
    session.execute(insert(message_body_table),
                    [{"message_id": r["mid"], "body": r["body"]} for r in fresh])


def claim_messages(
    session: Session, *, now: datetime, token: str, lease_seconds: int, limit: int
) -> list[Claimed]:
    """Take up to `limit` messages due now (or abandoned by a dead worker) for `token`, and
    return them with their bytes (UPDATE … RETURNING: SQLite ≥ 3.35 and PostgreSQL)."""
    claimable = and_(_composed, or_(
        and_(_m.status == MessageStatus.QUEUED.value, _m.next_attempt_at <= now),
        and_(_m.status == MessageStatus.SENDING.value, _m.claimed_until < now),
    ))
    ids = (select(_m.id).where(claimable).order_by(_m.id).limit(limit)
           .with_for_update(skip_locked=True).scalar_subquery())
    rows = session.execute(
        update(message_table).where(_m.id.in_(ids), claimable)
        .values(status=MessageStatus.SENDING.value, claimed_by=token,
                claimed_until=now + timedelta(seconds=lease_seconds))
        .returning(_m.id, _m.attempts, _m.sender, _m.recipients,
                   select(_b.body).where(_b.message_id == _m.id).scalar_subquery()))
    return sorted((Claimed(mid, attempts, Envelope(sender, list(recipients), bytes(body)))
                   for mid, attempts, sender, recipients, body in rows), key=lambda c: c.id)


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
