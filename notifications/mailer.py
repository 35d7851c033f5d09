"""Sending email: a small protocol, and the aiosmtplib implementation with a connection pool."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from types import TracebackType
from typing import Protocol, TypeVar

import aiosmtplib

T = TypeVar("T")


class Outcome(StrEnum):
    SENT = "sent"
    TRANSIENT = "transient"  # try again later (server down, 4xx)
    PERMANENT = "permanent"  # will never work (5xx: bad address, refused)


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    reply: str


@dataclass(frozen=True)
class Envelope:
    """A message ready for SMTP: who from, who to (To and Cc), and its bytes."""

    sender: str
    recipients: list[str]
    data: bytes


def envelope_problem(envelope: Envelope) -> str | None:
    """Why this envelope must not be handed to SMTP (None: it may). Addresses are checked when
    a message is composed; this cheap check guards rows composed before that (a CR/LF, NUL,
    space or comma would be a second command or recipient on the wire)."""
    if not envelope.recipients:
        return "the unit has no email address"
    for address in (envelope.sender, *envelope.recipients):
        if not (address.isascii() and address.isprintable()) or any(c in address for c in " ,"):
            return f"{address!r} is not a valid email address"
    return None


class Mailer(Protocol):
    async def __aenter__(self) -> Mailer: ...

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None: ...

    async def send(self, envelope: Envelope,
                   before_data: Callable[[], Awaitable[None]] | None = None) -> SendResult:
        """Send one message; `before_data()` (if given) is awaited after the recipients are
        accepted and before the message itself goes (what it raises is raised)."""
        ...


class SmtpMailer:
    """Up to `concurrency` SMTP connections, each reused for many messages."""

    def __init__(self, host: str, port: int, *, username: str | None = None,
                 password: str | None = None, use_tls: bool = False, start_tls: bool = False,
                 timeout: float = 30.0, concurrency: int = 4) -> None:
        self._options = {"hostname": host, "port": port, "username": username,
                         "password": password, "use_tls": use_tls, "start_tls": start_tls,
                         "timeout": timeout}
        self._concurrency = max(1, concurrency)
        self._pool: asyncio.Queue[aiosmtplib.SMTP] | None = None

    async def __aenter__(self) -> SmtpMailer:
        self._pool = asyncio.Queue()
        for _ in range(self._concurrency):
            self._pool.put_nowait(aiosmtplib.SMTP(**self._options))  # type: ignore[arg-type]
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        assert self._pool is not None
        while not self._pool.empty():
            client = self._pool.get_nowait()
            if client.is_connected:
                try:
                    await client.quit()
                except (aiosmtplib.SMTPException, OSError):
                    client.close()

    async def send(self, envelope: Envelope,
                   before_data: Callable[[], Awaitable[None]] | None = None) -> SendResult:
        """aiosmtplib's `sendmail` in its steps (MAIL, RCPT…, DATA), to hold before DATA."""
        assert self._pool is not None, "use `async with mailer:`"
        client = await self._pool.get()
        try:
            refused = await _guarded(client, _envelope(client, envelope))
            if isinstance(refused, SendResult):
                return refused
            if before_data is not None:
                try:
                    await before_data()
                except BaseException:
                    client.close()  # mid-transaction: the next message opens a new connection
                    raise
            reply = await _guarded(client, client.data(envelope.data))
            if isinstance(reply, SendResult):
                return reply
            note = f"; refused: {', '.join(sorted(refused))}" if refused else ""
            return SendResult(Outcome.SENT, f"{reply.message}{note}")
        finally:
            self._pool.put_nowait(client)


async def _envelope(client: aiosmtplib.SMTP, envelope: Envelope) -> dict[str, str]:
    """Connect if need be, MAIL FROM and RCPT TO; the refused recipients (SMTPRecipientsRefused
    when all are)."""
    if not client.is_connected:
        await client.connect()
    if client.is_ehlo_or_helo_needed:
        await client.ehlo()
    await client.mail(envelope.sender)
    refused: dict[str, aiosmtplib.SMTPRecipientRefused] = {}
    for recipient in envelope.recipients:
        try:
            await client.rcpt(recipient)
        except aiosmtplib.SMTPRecipientRefused as exc:
            refused[recipient] = exc
    if len(refused) == len(envelope.recipients):
        raise aiosmtplib.SMTPRecipientsRefused(list(refused.values()))
    return {r: f"{exc.code} {exc.message}" for r, exc in refused.items()}


async def _guarded(client: aiosmtplib.SMTP, step: Awaitable[T]) -> T | SendResult:
    """The step's value, or the outcome of the message when the step failed."""
    try:
        return await step
    except aiosmtplib.SMTPRecipientsRefused as exc:
        await _reset(client)
        codes = [r.code for r in exc.recipients]
        permanent = all(500 <= c < 600 for c in codes)
        return SendResult(Outcome.PERMANENT if permanent else Outcome.TRANSIENT,
                          "; ".join(f"{r.recipient}: {r.code} {r.message}"
                                    for r in exc.recipients))
    except aiosmtplib.SMTPResponseException as exc:
        await _reset(client)
        outcome = Outcome.PERMANENT if 500 <= exc.code < 600 else Outcome.TRANSIENT
        return SendResult(outcome, f"{exc.code} {exc.message}")
    except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
        client.close()
        return SendResult(Outcome.TRANSIENT, f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # refused before reaching the server (ValueError, encoding)
        client.close()  # the dialogue stopped half-way: start the next on a new connection
        return SendResult(Outcome.PERMANENT, f"{type(exc).__name__}: {exc}")


async def _reset(client: aiosmtplib.SMTP) -> None:
    try:
        await client.rset()
    except (aiosmtplib.SMTPException, OSError):
        client.close()
