"""The web application: server-rendered pages (Vietnamese) and the JSON API under /api."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from sqlmodel import Session
from starlette.middleware.sessions import SessionMiddleware

from config.database import make_engine
from config.settings import Settings, get_settings
from domain.accounts import User
from domain.calendar import LOCAL_TZ
from domain.status import Status
from web.access import user_unit
from web.deps import csrf_token

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.filters["day"] = lambda d: d.strftime("%d/%m/%Y") if d else ""
templates.env.filters["status"] = lambda s: Status(s).label if s else ""
templates.env.filters["local"] = (
    lambda t: t.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y") if t else "")


def render(request: Request, name: str, session: Session | None, user: User | None,
           status_code: int = 200, **context: Any) -> Response:
    unit = user_unit(session, user) if user and session else None
    return templates.TemplateResponse(request, name, {
        "user": user, "unit": unit, "csrf": csrf_token(request), "message": None, **context,
    }, status_code=status_code)


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def create_app(settings: Settings | None = None, *, serve_host: str = "127.0.0.1") -> FastAPI:
    """The app; `serve_host` (where `chidao serve` listens) decides the Secure cookie flag
    unless CHIDAO_COOKIE_SECURE says: on everywhere but loopback."""
    from web import (
        api,
        api_actions,
        errors,
        pages_auth,
        pages_board,
        pages_directives,
        pages_runs,
    )

    settings = settings or get_settings()
    app = FastAPI(title="chidao", description="Giao nhiệm vụ theo văn bản chỉ đạo.",
                  docs_url="/api/docs", openapi_url="/api/openapi.json", redoc_url=None)
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url, pool_size=settings.db_pool_size,
                                   pool_timeout=settings.db_wait_seconds)
    secure = settings.cookie_secure
    if secure is None:
        secure = serve_host not in LOOPBACK
    # The cookie holds only a random session id (checked against user_session) and the CSRF
    # token; its signature's age is capped at the absolute timeout.
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key,
                       session_cookie="chidao_session", same_site="lax", https_only=secure,
                       max_age=int(settings.session_absolute_days * 86400))
    if settings.trusted_proxies.strip():  # else X-Forwarded-For is ignored
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware
        app.add_middleware(ProxyHeadersMiddleware,
                           trusted_hosts=[h.strip() for h in settings.trusted_proxies.split(",")])
    for module in (pages_auth, pages_board, pages_directives, pages_runs):
        app.include_router(module.router)
    app.include_router(api.router, prefix="/api")
    app.include_router(api_actions.router, prefix="/api")
    errors.install(app)  # Vietnamese pages, problem+json, a request id in the log
    return app
