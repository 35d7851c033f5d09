"""The web application: server-rendered pages (Vietnamese) and the JSON API under /api."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from ..config.runtime import Runtime, build_runtime
from ..config.settings import Settings

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
STATIC = Path(__file__).parent / "static"  # our CSS and the vendored Pico CSS: no CDN


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None,
               serve_host: str = "127.0.0.1") -> FastAPI:
    """The app, on `runtime` (else one built from `settings` or the environment, with the
    web's connection pool); `serve_host` (where `chidao serve` listens) decides the Secure
    cookie flag unless CHIDAO_COOKIE_SECURE says: on everywhere but loopback."""
    from . import (
        api,
        api_actions,
        api_admin,
        api_amend,
        api_closures,
        api_directives,
        api_docs,
        api_idempotency,
        api_people,
        errors,
        pages_amend,
        pages_audit,
        pages_auth,
        pages_board,
        pages_cascade,
        pages_closures,
        pages_delegations,
        pages_directives,
        pages_documents,
        pages_extend,
        pages_feeds,
        pages_find,
        pages_inbox,
        pages_issue,
        pages_people,
        pages_preview,
        pages_runs,
    )

    runtime = runtime or build_runtime(settings, pooled=True)
    settings = runtime.settings
    app = FastAPI(title="chidao", description="Giao nhiệm vụ theo văn bản chỉ đạo.",
                  docs_url=None, openapi_url="/api/openapi.json", redoc_url=None)
    app.state.runtime = runtime  # chidao.web.deps.runtime_of(request)
    app.state.settings, app.state.engine = settings, runtime.engine
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
    # pages_issue before pages_directives: /directives/new is not /directives/{id}
    for module in (pages_auth, pages_board, pages_cascade, pages_issue, pages_extend,
                   pages_directives, pages_find, pages_inbox, pages_runs, pages_documents,
                   pages_closures, pages_feeds, pages_amend, pages_delegations, pages_audit,
                   pages_preview, pages_people):
        app.include_router(module.router, tags=[api_docs.PAGES_TAG])
    # Every router under /api: its POST routes honour Idempotency-Key (web/api_idempotency).
    for api_module in (api, api_actions, api_directives, api_admin, api_closures, api_amend,
                       api_people):
        app.include_router(api_idempotency.idempotent_posts(api_module.router), prefix="/api")
    api_docs.install(app)  # /api/docs with Swagger UI's files served here (no CDN)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    errors.install(app)  # Vietnamese pages, problem+json, a request id in the log
    return app
