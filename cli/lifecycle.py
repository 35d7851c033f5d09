"""How the long-running commands start and stop. `chidao worker` and `chidao serve` stop within
STOP_WITHIN seconds of SIGTERM or SIGINT (Ctrl-C), with or without a terminal: requests in
flight get HTTP_GRACE seconds, then are cancelled; a scheduler job finishes the step it is in
and releases what it holds (unsent outbox claims go back to the queue). A job still running
at the limit (an SMTP server that does not answer) is abandoned: its transaction rolls back and
its claims end with their lease."""

from __future__ import annotations

import atexit
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn

from apscheduler.schedulers.base import BaseScheduler

from ..config.runtime import Runtime
from ..flows.scheduling import build_scheduler, stop_scheduler
from ..notifications.stopping import request_stop, stop_requested

if TYPE_CHECKING:
    import uvicorn

STOP_WITHIN = 4.5  # seconds from the signal to the exit (promised: 5)
HTTP_GRACE = 3  # seconds requests in flight may take to finish once a stop is asked

log = logging.getLogger("chidao.lifecycle")
_signalled_at: list[float] = []


def _on_stop(sig: int, _frame: FrameType | None) -> None:
    if not _signalled_at:
        _signalled_at.append(time.monotonic())
        log.info("%s: stopping", signal.Signals(sig).name)
    request_stop()


def on_stop_signals(handler: Callable[[int, FrameType | None], Any] = _on_stop) -> None:
    """SIGTERM and SIGINT ask for a stop. Installed explicitly: a process started without a
    terminal (CI, `setsid`, `cmd &` in a script) may inherit SIGINT as ignored."""
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, handler)


def _deadline() -> float:
    return (_signalled_at[0] if _signalled_at else time.monotonic()) + STOP_WITHIN


def run_worker(runtime: Runtime) -> None:
    """The scheduler, headless, until a stop signal."""
    on_stop_signals()
    scheduler = build_scheduler(runtime, blocking=False)
    scheduler.start()
    while not stop_requested():
        time.sleep(0.2)
    _finish(scheduler)


def server_config(app: Any, host: str, port: int) -> uvicorn.Config:
    """uvicorn's settings for the dashboard. proxy_headers off: X-Forwarded-For is believed
    only from CHIDAO_TRUSTED_PROXIES, by the app (chidao.web.app)."""
    import uvicorn

    return uvicorn.Config(app, host=host, port=port, log_level="warning",
                          timeout_graceful_shutdown=HTTP_GRACE, proxy_headers=False)


def run_server(app: Any, host: str, port: int, runtime: Runtime | None) -> None:
    """The web app (and, given the runtime, the scheduler) until a stop signal."""
    import uvicorn

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            _on_stop(sig, frame)  # jobs start letting go while requests drain
            super().handle_exit(sig, frame)

    server = Server(server_config(app, host, port))
    on_stop_signals(server.handle_exit)  # also before uvicorn has put up its own handlers
    scheduler = build_scheduler(runtime, blocking=False) if runtime else None
    if scheduler:
        scheduler.start()
    code = 0
    try:
        if not stop_requested():
            server.run()
        if not server.started and not stop_requested():
            code = 3  # the app failed to start (uvicorn has logged why)
    except SystemExit as exc:  # e.g. the port is taken: uvicorn logs it and exits 1
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        log.exception("the web server failed")
        code = 1
    _finish(scheduler, code)


def _finish(scheduler: BaseScheduler | None, code: int = 0) -> NoReturn:
    request_stop()
    clean = scheduler is None or stop_scheduler(
        scheduler, max(0.0, _deadline() - time.monotonic()))
    if not clean:
        log.warning("a scheduler job did not stop in time: abandoned (rolled back)")
    busy = [t for t in threading.enumerate()
            if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    for thread in busy:
        thread.join(max(0.0, _deadline() - time.monotonic()))
    if any(t.is_alive() for t in busy):
        clean = False
        log.warning("exiting with work still running: %s", [t.name for t in busy])
    _exit(code or (0 if clean else 1))


def _exit(code: int) -> NoReturn:
    """Exit now that everything is stopped and written; the exit handlers still run. The
    interpreter's own teardown (every module of Prefect, FastAPI, SQLAlchemy freed one by one)
    took 0.5 s on an idle machine and 1.4 s under the test suite's load, and it would wait for
    a thread still running."""
    atexit._run_exitfuncs()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
