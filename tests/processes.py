"""Processes a test starts. Each runs in its own session (so in its own process group) and is
stopped, with everything it spawned, when the block ends, whether the test passed or not."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _stat(pid: str) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name: [state, ppid, pgrp, session, ...]."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # gone meanwhile
        return None
    return text.rsplit(")", 1)[1].split()


def _alive(select: int, value: int) -> list[int]:
    """Live (not zombie) processes whose stat field `select` equals `value`."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        fields = _stat(pid)
        if fields and fields[0] != "Z" and int(fields[select]) == value:
            found.append(int(pid))
    return found


def session_members(session_id: int) -> list[int]:
    """Live processes of a session: a process started by `started` and all it spawned."""
    return _alive(3, session_id)


def descendants(pid: int) -> list[int]:
    """Live processes below `pid` (children, their children, ...)."""
    found, frontier = [], [pid]
    while frontier:
        children = [c for parent in frontier for c in _alive(1, parent)]
        found += children
        frontier = children
    return found


def kill_group(process: subprocess.Popen, grace: float = 10) -> None:
    """SIGTERM to the process group, then SIGKILL to whatever is left of it."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    for pid in [process.pid, *session_members(process.pid)]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait()


@contextmanager
def started(command: list[str], *, env: dict[str, str], cwd: Path | None = None,
            log: Path | None = None) -> Iterator[subprocess.Popen]:
    """`command` running for the duration of the block; its output goes to `log`. No standard
    input: it behaves as under CI."""
    with open(log or os.devnull, "wb") as output:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                                   stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            yield process
        finally:
            kill_group(process)


def clock_at(local: str) -> dict[str, str]:
    """Environment that starts a child's wall clock at `local` (Vietnam time, ISO) and lets it
    run on (libfaketime, preloaded; monotonic clocks are left alone). For a long-running
    command, which has no --now, tested on a working-day morning whatever day it is."""
    from datetime import UTC, datetime

    from libfaketime import get_reload_information

    from chidao.domain.calendar import LOCAL_TZ

    start = datetime.fromisoformat(local).replace(tzinfo=LOCAL_TZ).astimezone(UTC)
    _, preload = get_reload_information()
    return {**preload, "TZ": "UTC", "FAKETIME": start.strftime("@%Y-%m-%d %H:%M:%S")}


STOP_WITHIN = 5.0  # seconds a worker or server may take to stop on a signal


def wait_until(check, seconds: float, what: str):
    """The first truthy result of `check()`, polled for up to `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def stop_and_time(process, sig: int) -> float:
    """Send `sig`; seconds until the process has exited (fails past STOP_WITHIN + 5)."""
    sent = time.monotonic()
    process.send_signal(sig)
    process.wait(timeout=STOP_WITHIN + 5)
    return time.monotonic() - sent
