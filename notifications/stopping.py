"""A stop asked of this process (SIGTERM, Ctrl-C): long loops check it between steps, finish
the step they are in and let go of what they hold (the outbox releases its unsent claims)."""

from __future__ import annotations

import threading

_requested = threading.Event()


def request_stop() -> None:
    _requested.set()


def stop_requested() -> bool:
    return _requested.is_set()


def clear_stop() -> None:
    """Forget a stop request (a process that goes on working, e.g. a test run in-process)."""
    _requested.clear()
