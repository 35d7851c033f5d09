"""Deliver the outbox: group notifications into digests, claim a batch, render, send over
pooled SMTP connections, record each outcome (sent / retry with backoff / failed)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from config.database import reading, transaction
from config.settings import Settings
from domain.calendar import WorkingCalendar
from domain.notifications import MessageStatus, retry_at
from domain.policy import in_sending_hours
from notifications.context import Outgoing
from notifications.loading import load_outgoing
from notifications.mailer import Mailer, Outcome, SendResult, SmtpMailer
from notifications.outbox import ClaimLost, claim_messages, form_messages, new_token, record_results
from notifications.render import render_email

RECORD_EVERY = 50  # results written per transaction: bounds re-sends after a crash


@dataclass
class DeliveryReport:
    formed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    held: str = ""


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
    try:
        with transaction(engine) as session:
            report.formed = form_messages(session, now=now, domain=settings.mail_domain)
    except ClaimLost:
        pass  # another worker grouped them; they are in the outbox all the same
    if mailer is None:
        report.held = "no SMTP server configured: mail stays in the outbox"
    else:
        asyncio.run(_send_all(engine, mailer, now, calendar, settings, report))
    return report


async def _send_all(
    engine: Engine, mailer: Mailer, now: datetime, calendar: WorkingCalendar,
    settings: Settings, report: DeliveryReport,
) -> None:
    async with mailer:
        while True:
            token = new_token(settings.worker_name)
            with transaction(engine) as session:
                ids = claim_messages(session, now=now, token=token,
                                     lease_seconds=settings.claim_lease_seconds,
                                     limit=settings.deliver_batch)
            if not ids:
                return
            with reading(engine) as session:
                outgoing = load_outgoing(session, ids)
            for start in range(0, len(outgoing), RECORD_EVERY):
                chunk = outgoing[start:start + RECORD_EVERY]
                results = await asyncio.gather(*(
                    _send_one(mailer, m, now, calendar, settings) for m in chunk))
                with transaction(engine) as session:
                    record_results(session, results, token=token)
                for result in results:
                    _count(report, result["status"], result["attempts"])


async def _send_one(
    mailer: Mailer, message: Outgoing, now: datetime, calendar: WorkingCalendar,
    settings: Settings,
) -> dict[str, Any]:
    email = render_email(message, now=now, cal=calendar, sender=settings.mail_from)
    if not message.to.emails:
        result = SendResult(Outcome.PERMANENT, f"unit {message.to.code} has no email address")
    else:
        result = await mailer.send(email)
    attempts = message.attempts + (0 if result.outcome is Outcome.SENT else 1)
    retry = retry_at(attempts, now) if result.outcome is Outcome.TRANSIENT else None
    if result.outcome is Outcome.SENT:
        status = MessageStatus.SENT
    else:
        status = MessageStatus.QUEUED if retry else MessageStatus.FAILED
    return {
        "mid": message.id, "status": status.value, "attempts": attempts,
        "next_attempt_at": retry or now, "sent_at": now if status is MessageStatus.SENT else None,
        "smtp_reply": result.reply if status is MessageStatus.SENT else "",
        "last_error": "" if status is MessageStatus.SENT else result.reply,
        "subject": str(email["Subject"]),
    }


def _count(report: DeliveryReport, status: str, attempts: int) -> None:
    if status == MessageStatus.SENT:
        report.sent += 1
    elif status == MessageStatus.QUEUED:
        report.retrying += 1
    else:
        report.failed += 1
