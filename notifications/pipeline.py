"""A delivery's composing, run beside its sending: while one chunk of digests is sent, the
next is composed (`Composing`), in a worker thread (`ComposeWorker`).

Where the composing runs was measured (bench/deliver.py; 2 cores, the SMTP server in its own
process): the event loop sending the mail has no CPU to spare for rendering (~0.3 ms a
digest beside ~0.25 ms to send one). A worker process forked from a forkserver was ~5 %
faster end to end than this thread (1.38 s against 1.44 s for 2,000 digests, paired) at the
cost of a process to start, watch and stop; the thread was kept. It composes on the
engine's own connections, so the transactions are the same as before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import Any, TypeVar

from .composing import FIRST_CHUNK, Composer, chunks
from .stopping import stop_requested

T = TypeVar("T")


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
    `await worker.compose(ids)`, each run off the event loop, in one thread."""

    def __init__(self, composer: Composer) -> None:
        self.composer = composer
        self._executor: ThreadPoolExecutor | None = None

    def __enter__(self) -> ComposeWorker:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="compose")
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        assert self._executor is not None
        self._executor.shutdown(wait=True, cancel_futures=True)

    async def plan(self) -> tuple[int, list[int]]:
        return await self._run(self.composer.plan)

    async def compose(self, ids: list[int]) -> int:
        return await self._run(self.composer.compose_chunk, ids)

    async def _run(self, job: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, job, *args)
