"""Deliver the outbox in two steps. Compose: group due notifications into one digest per
recipient unit, leave out what the runs' state made stale, and render each to MIME bytes,
stored with the message. Send: claim a batch (re-checked against the runs: a digest left
with nothing to say is withdrawn), send the stored bytes over pooled SMTP connections,
record each outcome (sent / retry with backoff / failed for good)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from config.database import reading, transaction
from config.settings import Settings
from domain.calendar import WorkingCalendar
from domain.notifications import MessageStatus, message_table, retry_at
from domain.policy import in_sending_hours
from flows.bulk import update_rows
from flows.stopping import stop_requested
from notifications.freshness import claim_fresh, set_aside_empty
from notifications.loading import load_outgoing
from notifications.mailer import Mailer, Outcome, SendResult, SmtpMailer
from notifications.outbox import (
    RESULT_COLUMNS,
    RESULT_WHERE,
    Claimed,
    ClaimLost,
    form_messages,
    new_token,
    release_claims,
    store_rendered,
    unrendered,
)
from notifications.render import render_email

RECORD_EVERY = 100  # outcomes written per transaction: bounds re-sends after a crash
COMPOSE_CHUNK = 500  # messages rendered per transaction


@dataclass
class DeliveryReport:
    formed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    held: str = ""
    released: int = 0  # claimed, then given back unsent: the process was asked to stop


def smtp_mailer(settings: Settings) -> Mailer | None:
    """The configured SMTP mailer, or None: mail then stays in the outbox."""
    if not settings.smtp_host:
        return None
    return SmtpMailer(settings.smtp_host, settings.smtp_port, username=settings.smtp_username,
                      password=settings.smtp_password, use_tls=settings.smtp_tls,
                      start_tls=settings.smtp_starttls, timeout=settings.smtp_timeout,
                      concurrency=settings.smtp_concurrency)


def deliver(
    engine: Engine, *, now: datetime, calendar: WorkingCalendar, settings: Settings,
    mailer: Mailer | None,
) -> DeliveryReport:
    """Outside sending hours nothing happens: notifications wait, so what piles up over a
    weekend or Tết leaves as one digest per recipient on the next working morning."""
    report = DeliveryReport()
    if not in_sending_hours(now, calendar, settings.send_from, settings.send_until):
        report.held = "outside sending hours (working days only)"
        return report
    report.formed = compose(engine, now=now, calendar=calendar, settings=settings)
    if mailer is None:
        report.held = "no SMTP server configured: mail stays in the outbox"
    else:
        asyncio.run(send(engine, mailer, now=now, settings=settings, report=report))
    return report


def compose(engine: Engine, *, now: datetime, calendar: WorkingCalendar,
            settings: Settings) -> int:
    try:
        with transaction(engine) as session:
            formed = form_messages(session, now=now, domain=settings.mail_domain)
    except ClaimLost:
        formed = 0  # another worker grouped them; it or we render them below
    while True:
        with reading(engine) as session:
            outgoing = load_outgoing(session, unrendered(session, COMPOSE_CHUNK))
        if stop_requested():
            return formed
        outgoing = set_aside_empty(engine, outgoing)  # every line went stale: withdrawn
        if not outgoing:
            return formed
        rendered = []
        for message in outgoing:
            email = render_email(message, now=now, cal=calendar, sender=settings.mail_from)
            envelope = email.envelope(settings.mail_from, message)
            rendered.append({"mid": message.id, "subject": email.subject,
                             "sender": envelope.sender, "recipients": envelope.recipients,
                             "body": envelope.data})
        with transaction(engine) as session:
            store_rendered(session, rendered)


async def send(engine: Engine, mailer: Mailer, *, now: datetime, settings: Settings,
               report: DeliveryReport) -> None:
    """Batch after batch; the next batch is claimed (in a thread) while this one is sent."""

    def claim() -> tuple[str, list[Claimed]]:
        token = new_token(settings.worker_name)
        with transaction(engine) as session:
            # Claimed, then re-checked against the runs: a digest whose runs were all
            # handed in or closed since it was composed is withdrawn, never sent.
            return token, claim_fresh(session, now=now, token=token,
                                      lease_seconds=settings.claim_lease_seconds,
                                      limit=settings.deliver_batch,
                                      domain=settings.mail_domain)

    async with mailer:
        token, claimed = claim()
        while claimed:
            upcoming = asyncio.create_task(asyncio.to_thread(claim))
            await _send_batch(engine, mailer, claimed, token, now, settings, report)
            if stop_requested():  # what was claimed and not sent goes back to the queue
                next_token, _ = await upcoming
                report.released += _release(engine, token) + _release(engine, next_token)
                report.held = "stopped: unsent claims released"
                return
            token, claimed = await upcoming


def _release(engine: Engine, token: str) -> int:
    with transaction(engine) as session:
        return release_claims(session, token)


async def _send_batch(
    engine: Engine, mailer: Mailer, claimed: list[Claimed], token: str, now: datetime,
    settings: Settings, report: DeliveryReport,
) -> None:
    """One sender per connection; outcomes are written from a thread every RECORD_EVERY
    messages while sending goes on (a crash re-sends at most those, same Message-ID)."""
    pending = iter(claimed)
    done: list[tuple[Any, ...]] = []
    writes: list[asyncio.Task[None]] = []
    lock = asyncio.Lock()

    def record(results: list[tuple[Any, ...]]) -> None:
        with transaction(engine) as session:  # only where `token` still holds the claim
            update_rows(session, message_table, RESULT_COLUMNS, RESULT_WHERE, results)
        for result in results:
            _count(report, result[0])

    async def record_in_thread(results: list[tuple[Any, ...]]) -> None:
        async with lock:
            await asyncio.to_thread(record, results)

    def flush() -> None:
        if done:
            writes.append(asyncio.create_task(record_in_thread(done[:])))
            done.clear()

    async def sender() -> None:
        for message in pending:
            if stop_requested():
                return  # this message stays claimed by `token` until released
            done.append(_outcome(message, await _send_one(mailer, message), now, token))
            if len(done) >= RECORD_EVERY:
                flush()

    await asyncio.gather(*(sender() for _ in range(max(1, settings.smtp_concurrency))))
    flush()
    await asyncio.gather(*writes)


async def _send_one(mailer: Mailer, message: Claimed) -> SendResult:
    if not message.envelope.recipients:
        return SendResult(Outcome.PERMANENT, "the unit has no email address")
    return await mailer.send(message.envelope)


def _outcome(message: Claimed, result: SendResult, now: datetime,
             token: str) -> tuple[Any, ...]:
    """The outcome row (RESULT_COLUMNS, then RESULT_WHERE) of one send."""
    sent = result.outcome is Outcome.SENT
    attempts = message.attempts + (0 if sent else 1)
    retry = retry_at(attempts, now) if result.outcome is Outcome.TRANSIENT else None
    status = MessageStatus.SENT if sent else (MessageStatus.QUEUED if retry else
                                              MessageStatus.FAILED)
    return (status.value, attempts, retry or now, now if sent else None,
            result.reply if sent else "", "" if sent else result.reply, None, None,
            message.id, token)


def _count(report: DeliveryReport, status: str) -> None:
    if status == MessageStatus.SENT:
        report.sent += 1
    elif status == MessageStatus.QUEUED:
        report.retrying += 1
    else:
        report.failed += 1
