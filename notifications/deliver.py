"""Deliver the outbox in two steps. Compose: group due notifications into one digest per
recipient unit, leave out what the runs' state made stale, and render each to MIME bytes,
stored with the message. Send: claim a batch (re-checked against the runs: a digest left
with nothing to say is withdrawn), send the stored bytes over pooled SMTP connections,
record each outcome (sent / retry with backoff / failed for good)."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine

from ..config.settings import Settings
from ..db.bulk import update_rows
from ..db.database import transaction
from ..domain.calendar import WorkingCalendar
from ..domain.notifications import MessageStatus, message_table, retry_at
from ..domain.policy import in_sending_hours
from .composing import Composer, compose
from .freshness import claim_fresh
from .mailer import Mailer, Outcome, SendResult, SmtpMailer, envelope_problem
from .outbox import RESULT_COLUMNS, RESULT_WHERE, Claimed, new_token, release_claims
from .outcomes import NotRecorded, OutcomeWriter
from .pipeline import Composing
from .stopping import stop_requested


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
    if mailer is None:
        report.formed, report.failed = compose(engine, now=now, calendar=calendar,
                                               settings=settings)
        report.held = "no SMTP server configured: mail stays in the outbox"
    else:
        composing = Composing(Composer.of(engine, now=now, calendar=calendar,
                                          settings=settings))
        asyncio.run(send(engine, mailer, now=now, settings=settings, report=report,
                         composing=composing))
    return report


async def send(engine: Engine, mailer: Mailer, *, now: datetime, settings: Settings,
               report: DeliveryReport, composing: Composing | None = None) -> None:
    """Batch after batch; the next batch is claimed (in a thread) while this one is sent.
    With `composing`, the digests are composed meanwhile, chunk after chunk, and each is sent
    as soon as it is stored."""

    def claim() -> tuple[str, list[Claimed]]:
        token = new_token(settings.worker_name)
        with transaction(engine) as session:
            # Claimed, then re-checked against the runs: a digest whose runs were all
            # handed in or closed since it was composed is withdrawn, never sent.
            return token, claim_fresh(session, now=now, token=token,
                                      lease_seconds=settings.claim_lease_seconds,
                                      limit=settings.deliver_batch,
                                      domain=settings.mail_domain)

    def record(rows: list[tuple[Any, ...]]) -> None:  # on a connection of its own
        with connection.begin():  # only where the row's token still holds the claim
            update_rows(connection, message_table, RESULT_COLUMNS, RESULT_WHERE, rows)
        for row in rows:
            _count(report, row[0])

    with outcome_connection(engine) as connection:
        async with mailer, OutcomeWriter(record) as writer, asyncio.TaskGroup() as tasks:
            if composing is not None:
                tasks.create_task(composing.run())
                await composing.planned.wait()
            await _send_batches(engine, mailer, writer, claim, now, settings, report,
                                composing)
    if composing is not None:
        report.formed, report.failed = composing.formed, report.failed + composing.failed


@contextmanager
def outcome_connection(engine: Engine) -> Iterator[Connection]:
    """The connection the outcomes are written on. On PostgreSQL its commits do not wait for
    the server's disk: a commit is safe from our process dying (the kill drill's case) at
    once, and only a crash of the database server itself could lose its last few hundred
    milliseconds of outcomes (then sent again, same Message-ID)."""
    with engine.connect() as connection:
        if connection.dialect.name != "postgresql":
            yield connection
            return
        connection.exec_driver_sql("SET synchronous_commit = off")
        connection.commit()
        try:
            yield connection
        finally:
            connection.invalidate()  # never back to the pool with this setting


async def _send_batches(
    engine: Engine, mailer: Mailer, writer: OutcomeWriter,
    claim: Callable[[], tuple[str, list[Claimed]]], now: datetime, settings: Settings,
    report: DeliveryReport, composing: Composing | None,
) -> None:
    async def claim_next() -> tuple[int, str, list[Claimed]]:
        seen = composing.stored if composing else 0  # chunks stored before this claim
        return seen, *await asyncio.to_thread(claim)

    seen, token, claimed = await claim_next()
    while claimed or (composing and await composing.more(seen)):
        if not claimed:  # nothing composed was left to claim; now a chunk is
            seen, token, claimed = await claim_next()
            continue
        upcoming = asyncio.create_task(claim_next())
        try:
            await _send_batch(mailer, writer, claimed, token, now, settings)
        finally:
            next_seen, next_token, next_claimed = await upcoming
        if stop_requested():  # what was claimed and not sent goes back to the queue
            report.released += _release(engine, token) + _release(engine, next_token)
            report.held = "stopped: unsent claims released"
            return
        seen, token, claimed = next_seen, next_token, next_claimed


def _release(engine: Engine, token: str) -> int:
    with transaction(engine) as session:
        return release_claims(session, token)


async def _send_batch(
    mailer: Mailer, writer: OutcomeWriter, claimed: list[Claimed], token: str, now: datetime,
    settings: Settings,
) -> None:
    """One sender per connection. A sender's message goes past DATA only once the outcome of
    its previous one is committed (with those of the other connections waiting by then):
    after a crash at most one message per connection went out without being recorded."""
    pending = iter(claimed)

    async def sender() -> None:
        recorded: asyncio.Future[None] | None = None  # the previous message's outcome
        for message in pending:
            if stop_requested():
                break  # the rest stays claimed by `token` until released
            before_data = functools.partial(writer.committed, recorded) if recorded else None
            result = await _send_one(mailer, message, before_data)
            recorded = writer.submit(_outcome(message, result, now, token))
        if recorded is not None:
            await writer.committed(recorded)

    async with asyncio.TaskGroup() as senders:  # one failing (the database) stops the others
        for _ in range(max(1, settings.smtp_concurrency)):
            senders.create_task(sender())


async def _send_one(mailer: Mailer, message: Claimed,
                    before_data: Callable[[], Awaitable[None]] | None) -> SendResult:
    """Whatever happens to this message is its own outcome, never its batch's; only a failure
    to record the previous outcome (NotRecorded) goes up."""
    problem = envelope_problem(message.envelope)
    if problem:
        return SendResult(Outcome.PERMANENT, problem)
    try:
        return await mailer.send(message.envelope, before_data)
    except NotRecorded:
        raise
    except Exception as exc:  # a bug or an unforeseen library error: this message only
        return SendResult(Outcome.PERMANENT, f"{type(exc).__name__}: {exc}")


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
