"""Sending email: a small protocol, and the aiosmtplib implementation with a connection pool."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from enum import StrEnum
from types import TracebackType
from typing import Protocol

import aiosmtplib


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


class Mailer(Protocol):
    async def __aenter__(self) -> Mailer: ...

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None: ...

    async def send(self, envelope: Envelope) -> SendResult: ...


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

    async def send(self, envelope: Envelope) -> SendResult:
        assert self._pool is not None, "use `async with mailer:`"
        client = await self._pool.get()
        try:
            if not client.is_connected:
                await client.connect()
            refused, reply = await client.sendmail(envelope.sender, envelope.recipients,
                                                   envelope.data)
            note = f"; refused: {', '.join(sorted(refused))}" if refused else ""
            return SendResult(Outcome.SENT, f"{reply}{note}")
        except aiosmtplib.SMTPRecipientsRefused as exc:
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
        finally:
            self._pool.put_nowait(client)


async def _reset(client: aiosmtplib.SMTP) -> None:
    try:
        await client.rset()
    except (aiosmtplib.SMTPException, OSError):
        client.close()
