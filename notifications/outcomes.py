"""Outcomes written as they come, each sender waiting for its own row before its next DATA.

A sender hands its message's outcome to the writer, and its next message goes past DATA only
once the transaction holding that outcome has committed. So when the process dies (kill -9)
at any moment, a message the SMTP server accepted and the outbox does not show as sent is the
last one of its sender: at most one per connection, i.e. at most `smtp_concurrency` messages
are sent again by the next run.

Outcomes wait until one of them is needed: the outcomes of the other connections, arrived
meanwhile, share its transaction (about one per connection). The transaction runs in the
event loop itself: on SQLite a commit is ~50 µs of CPU (no fsync with WAL and
synchronous=NORMAL), on PostgreSQL a round trip without waiting for the disk
(`synchronous_commit = off` on this connection); a writer thread measured slower on both
(hand-offs between threads cost more than the commit).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import TracebackType
from typing import Any

Row = tuple[Any, ...]


class NotRecorded(RuntimeError):
    """The outcomes could not be written (the database failed): stop sending."""


class OutcomeWriter:
    """`async with OutcomeWriter(write):`, then `done = writer.submit(row)` from any sender
    and `await writer.committed(done)`; `write(rows)` must commit before it returns."""

    def __init__(self, write: Callable[[list[Row]], None]) -> None:
        self._write = write
        self._due: list[tuple[Row, asyncio.Future[None]]] = []  # submitted, not yet written

    async def __aenter__(self) -> OutcomeWriter:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        self._flush()

    def submit(self, row: Row) -> asyncio.Future[None]:
        """A future done once `row` is committed (or failed with NotRecorded)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._due.append((row, done))
        return done

    async def committed(self, done: asyncio.Future[None]) -> None:
        """Return once the row behind `done` is committed, committing it now if need be."""
        if not done.done():
            self._flush()
        await done

    def _flush(self) -> None:
        batch, self._due = self._due, []  # whatever was submitted, in one transaction
        if not batch:
            return
        error: NotRecorded | None = None
        try:
            self._write([row for row, _ in batch])
        except Exception as exc:  # handed to every waiting sender
            error = NotRecorded(f"outcomes not recorded: {type(exc).__name__}: {exc}")
            error.__cause__ = exc
        for _, done in batch:
            if done.cancelled():
                continue
            if error is None:
                done.set_result(None)
            else:
                done.set_exception(error)
