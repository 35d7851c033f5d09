"""Request dependencies: a database session, the signed-in user (cookie session for pages,
bearer token for the API), and CSRF protection of every form."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import anyio
import anyio.to_thread
from anyio.lowlevel import RunVar
from fastapi import Depends, Form, HTTPException, Request
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from ..config.runtime import Runtime
from ..config.settings import Settings
from ..db.database import transaction
from ..domain.accounts import User
from ..services.sessions import Timeouts, session_user, touch_session, user_by_token

BUSY = "Hệ thống đang bận, vui lòng thử lại sau ít phút."
RETRY_AFTER = "30"  # seconds, in the 503's Retry-After header


def runtime_of(request: Request) -> Runtime:
    """The app's runtime (chidao.config.runtime): its clock, calendar, rules and engine."""
    runtime: Runtime = request.app.state.runtime
    return runtime


def _busy() -> HTTPException:
    return HTTPException(503, BUSY, headers={"Retry-After": RETRY_AFTER})


_GATES: RunVar[dict[int, anyio.Semaphore]] = RunVar("chidao_db_gates")


def _gate(request: Request) -> anyio.Semaphore:
    """At most db_pool_size requests hold a connection at once; the others wait here, in the
    event loop, without a thread. The server's thread limit is set to the same size, so a
    request holding a connection always finds a thread to go on (and none is ever parked
    waiting for a connection). One gate per app and event loop, made on first use."""
    try:
        gates = _GATES.get()
    except LookupError:
        gates = {}
        _GATES.set(gates)
    gate = gates.get(id(request.app))
    if gate is None:
        size = request.app.state.settings.db_pool_size
        gate = gates[id(request.app)] = anyio.Semaphore(size)
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = max(size, 1)
    return gate


async def db(request: Request) -> AsyncIterator[Session]:
    """One transaction per request: committed when the route returns, rolled back on error.
    Routes take it as `DB` (`Depends(db, scope="function")`), so the commit happens BEFORE
    the response is sent: with FastAPI's default ("request") scope it ran after, and a browser
    following the redirect of a POST could ask for the new directive before it was committed
    (a 404), or be told of a success whose commit then failed.
    GET and HEAD read (SQLite: a deferred BEGIN, so no write lock); the rest write (BEGIN
    IMMEDIATE). A request that waits longer than db_wait_seconds for its turn gets a 503
    "đang bận" with Retry-After, not a hang (as does a pool checkout that times out: see
    web/errors.py)."""
    gate = _gate(request)
    acquired = False
    with anyio.move_on_after(request.app.state.settings.db_wait_seconds):
        await gate.acquire()
        acquired = True
    if not acquired:
        raise _busy()
    try:
        engine = request.app.state.engine
        reads = request.method in ("GET", "HEAD")
        session = Session(engine.execution_options(read_only=True) if reads else engine,
                          expire_on_commit=False)
        try:
            session.begin()
            request.state.db_session = session  # chidao.web.api_idempotency keeps its key here
            yield session
            await anyio.to_thread.run_sync(session.commit)
        finally:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(session.close)  # rolls back what is open
    finally:
        gate.release()


# What routes write `session: Session = DB` with (see db's docstring for the scope).
DB = Depends(db, scope="function")


def session_timeouts(settings: Settings) -> Timeouts:
    return Timeouts(idle=timedelta(hours=settings.session_idle_hours),
                    absolute=timedelta(days=settings.session_absolute_days))


def signed_in(session: Session, request: Request) -> User | None:
    """The user of the cookie's live server-side session, or None (nothing written)."""
    raw = request.session.get("sid")
    found = session_user(session, raw, now=runtime_of(request).now(), timeouts=session_timeouts(
        request.app.state.settings)) if isinstance(raw, str) and raw else None
    return found[0] if found else None


def page_user(request: Request, session: Session = DB) -> User:
    """The user of the cookie's server-side session: ended sessions (logout, password change,
    an admin, idle or absolute timeout) answer 401 on the next request."""
    raw = request.session.get("sid")
    now = runtime_of(request).now()
    found = session_user(session, raw, now=now, timeouts=session_timeouts(
        request.app.state.settings)) if isinstance(raw, str) and raw else None
    if found is None:
        raise HTTPException(401, "Vui lòng đăng nhập")
    user, stale = found
    if stale:  # at most once a minute per session
        _touch(request, session, str(raw), now)
    return user


def _touch(request: Request, session: Session, raw: str, now: datetime) -> None:
    """Write last_seen_at: in the request's own transaction when it writes; a read (GET,
    SQLite deferred BEGIN) must not turn into a write, so a short one of its own (best
    effort: a busy database skips it, the next request tries again)."""
    if request.method not in ("GET", "HEAD"):
        touch_session(session, raw, now=now)
        return
    try:
        with transaction(request.app.state.engine) as own:
            touch_session(own, raw, now=now)
    except SQLAlchemyError:
        pass


def api_user(request: Request, session: Session = DB) -> User:
    """The user of a live bearer token; an unknown, expired or revoked one is a 401."""
    header = request.headers.get("authorization", "")
    scheme, _, raw = header.partition(" ")
    user = user_by_token(session, raw.strip(), now=runtime_of(request).now()) \
        if scheme.lower() == "bearer" else None
    if user is None:
        raise HTTPException(401, "Cần token API hợp lệ: Authorization: Bearer <token>",
                            headers={"WWW-Authenticate": "Bearer"})
    return user


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


def check_csrf(request: Request, csrf: str = Form("")) -> None:
    """Every POST form carries the session's token; a form without it is refused."""
    verify_csrf(request, csrf)


def verify_csrf(request: Request, csrf: str) -> None:
    """check_csrf for a route that reads its own form (uploads)."""
    expected = str(request.session.get("csrf", "")).encode("utf-8", "replace")
    given = csrf.encode("utf-8", "replace")  # compare_digest takes only ASCII str: use bytes
    if not expected or not hmac.compare_digest(expected, given):
        raise HTTPException(403, "Phiên làm việc không hợp lệ (CSRF), vui lòng tải lại trang")
