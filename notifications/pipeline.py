"""A delivery's composing, run beside its sending: while one chunk of digests is sent, the
next is composed (`Composing`), in a worker process of its own (`ComposeWorker`).

Where the composing runs was measured (bench/deliver.py; 2 cores, the SMTP server in its own
process): the event loop sending the mail has no CPU to spare for rendering (~0.3 ms a
digest beside ~0.25 ms to send one), and a thread of the same process holds the GIL while
the senders wait for it (sends and polls slowed by the 5 ms switch interval). The worker is
forked from a forkserver (started once per process, its modules loaded: each delivery's worker
starts in milliseconds), never from the delivering process itself, whose other threads (the
scheduler's jobs) may hold SQLite's or logging's locks at that moment; it opens connections
of its own and exits with its parent. An in-memory SQLite database, which no other process
can open, is composed in a thread.
"""

from __future__ import annotations

import asyncio
import atexit
import functools
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from multiprocessing.context import BaseContext
from types import TracebackType
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from ..config.settings import Settings
from ..db.database import make_engine
from ..domain.calendar import DayRule, WorkingCalendar
from .composing import FIRST_CHUNK, Composer, chunks
from .stopping import stop_requested

T = TypeVar("T")
_composer: Composer | None = None  # in the worker process: its own engine


class Composing:
    """The composing of a delivery, run beside its sending: `run()` in a task; the sender
    awaits `planned`, then `more(seen)` whenever it found nothing composed to claim."""

    def __init__(self, composer: Composer) -> None:
        self.composer = composer
        self.formed = self.failed = 0
        self.stored = 0  # chunks stored so far
        self.done = False
        self._changed = asyncio.Event()
        # set once the digests to compose are known: only then may the sender claim (what
        # it gives back to be composed again then waits for the next delivery)
        self.planned = asyncio.Event()

    async def run(self) -> None:
        try:
            with ComposeWorker(self.composer) as worker:
                self.formed, to_compose = await worker.plan()
                self.planned.set()
                for ids in chunks(to_compose, FIRST_CHUNK):
                    if stop_requested():
                        break
                    self.failed += await worker.compose(ids)
                    self.stored += 1
                    self._changed.set()
        finally:
            self.done = True
            self.planned.set()
            self._changed.set()

    async def more(self, seen: int) -> bool:
        """Wait until a chunk beyond the first `seen` is stored (True) or the composing is
        over with none (False)."""
        while self.stored == seen and not self.done:
            self._changed.clear()
            await self._changed.wait()
        return self.stored > seen


class ComposeWorker:
    """`with ComposeWorker(composer) as worker:` then `await worker.plan()` and
    `await worker.compose(ids)`, each run off the event loop."""

    def __init__(self, composer: Composer) -> None:
        self.composer = composer
        self.in_process = composer.engine.url.database not in (None, "", ":memory:")
        self._executor: Executor | None = None

    def __enter__(self) -> ComposeWorker:
        if self.in_process:
            self._executor = ProcessPoolExecutor(
                max_workers=1, mp_context=_forkserver(), initializer=_start,
                initargs=(Delivery.of(self.composer), os.getpid()))
        else:
            self._executor = ThreadPoolExecutor(max_workers=1)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        assert self._executor is not None
        self._executor.shutdown(wait=True, cancel_futures=True)

    async def plan(self) -> tuple[int, list[int]]:
        return await self._run(_plan if self.in_process else self.composer.plan)

    async def compose(self, ids: list[int]) -> int:
        return await self._run(_compose if self.in_process else self.composer.compose_chunk,
                               ids)

    async def _run(self, job: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, job, *args)


@functools.cache
def _forkserver() -> BaseContext:
    """The forkserver context, its server (started once per process, on the first delivery)
    with the composing modules loaded, so that each delivery's worker starts at once."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__, "chidao.domain.calendar"])
    atexit.register(stop_helpers)
    return context


def stop_helpers() -> None:
    """On exit, stop the forkserver and multiprocessing's resource tracker and wait for them
    (left alone, each exits a moment after this process, once it sees its pipe close)."""
    from multiprocessing import forkserver, resource_tracker

    for helper in (getattr(forkserver, "_forkserver", None),
                   getattr(resource_tracker, "_resource_tracker", None)):
        stop = getattr(helper, "_stop", None)  # CPython's own, used by its tests
        if stop is not None:
            stop()


@dataclass(frozen=True)
class Delivery:
    """What the worker needs to compose as `composer` would, sent to it once (picklable)."""

    url: str
    now: datetime
    tz: ZoneInfo
    official: tuple[DayRule, ...]
    closed: dict[date, str]
    settings: Settings

    @classmethod
    def of(cls, composer: Composer) -> Delivery:
        cal = composer.calendar
        return cls(composer.engine.url.render_as_string(hide_password=False), composer.now,
                   cal.tz, tuple(cal.official.values()), dict(cal.closed), composer.settings)

    def composer(self) -> Composer:
        calendar = WorkingCalendar(self.tz, self.official, self.closed)
        return Composer.of(make_engine(self.url), now=self.now, calendar=calendar,
                           settings=self.settings)


def _start(delivery: Delivery, parent: int) -> None:
    """In the worker: the delivery's composer on an engine of its own; no Ctrl-C of its own
    (the parent decides when to stop); gone when its parent is gone (kill -9)."""
    global _composer
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _composer = delivery.composer()
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int) -> None:
    """Exit once the delivering process is gone (its parent is the forkserver's)."""
    while True:
        time.sleep(0.5)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)  # what this worker composed is stored or not: a transaction


def _plan() -> tuple[int, list[int]]:
    assert _composer is not None
    return _composer.plan()


def _compose(ids: list[int]) -> int:
    assert _composer is not None
    return _composer.compose_chunk(ids)
