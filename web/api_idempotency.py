"""Idempotency-Key on every POST of the JSON API: the call happens once per (token user, key).

How it covers every POST route: `IdempotentRoute` wraps the route's handler, and app.py passes
every router it mounts under /api through `idempotent_posts(router)` (which makes its POST
routes IdempotentRoutes: a router of any module is covered without changing the module); the
OpenAPI test checks that every POST under /api documents the header.

A POST carrying `Idempotency-Key: <1-128 visible ASCII characters>`:
1. before the route runs, the key is looked up (a short read): a key already used with the
   same method, path, body type and body is answered from the store, status and body as first
   sent, with `Idempotent-Replayed: true`; with a different request, a 422 problem naming the
   header;
2. else the route runs in its own transaction (chidao.web.deps.db), and a success (status
   < 400) is stored IN THAT TRANSACTION, before it commits: a refused or failed call keeps no
   key, so its retry runs again. Two concurrent calls with one key: the second's transaction
   fails on the unique (user, key), its action is rolled back, and it answers 409.
Keys are kept 24 h (chidao.services.idempotency.KEEP_FOR). Calls without the header, and calls
without a valid bearer token (the route answers 401), pass through untouched."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from fastapi.routing import APIRoute
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from ..db.database import reading, transaction
from ..services.idempotency import (
    KEY_MAX_CHARS,
    Stored,
    keep_answer,
    key_problem,
    request_fingerprint,
    stored_answer,
)
from ..services.sessions import user_by_token
from .deps import runtime_of

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
Handler = Callable[[Request], Coroutine[Any, Any, Response]]
DOCUMENTED = {"parameters": [{
    "name": HEADER, "in": "header", "required": False,
    "description": "Khóa chống gửi trùng: gửi lại cùng khóa với cùng yêu cầu trong 24 giờ"
                   " nhận lại đúng câu trả lời lần đầu (kèm Idempotent-Replayed: true), không"
                   " thực hiện lần hai; cùng khóa với yêu cầu khác: 422; đang xử lý: 409.",
    "schema": {"type": "string", "minLength": 1, "maxLength": KEY_MAX_CHARS},
    "example": "3f2c9a1e-7b4d-4e7a-9c1b-2a5d8e6f0b13"}]}


class IdempotentRoute(APIRoute):
    """An API route whose POST honours Idempotency-Key (see the module's docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _document(self)

    def get_route_handler(self) -> Handler:
        handler: Handler = super().get_route_handler()
        if "POST" not in (self.methods or ()):
            return handler

        async def once(request: Request) -> Response:
            return await answer_once(request, handler)

        return once


def api_router(**kwargs: Any) -> APIRouter:
    """An APIRouter whose POST routes honour Idempotency-Key."""
    return APIRouter(route_class=IdempotentRoute, **kwargs)


def idempotent_posts(router: APIRouter) -> APIRouter:
    """Make `router`'s POST routes IdempotentRoutes (before the app first answers)."""
    for route in router.routes:
        if isinstance(route, APIRoute) and not isinstance(route, IdempotentRoute) \
                and "POST" in (route.methods or ()):
            route.__class__ = IdempotentRoute
            _document(route)
    return router


def _document(route: APIRoute) -> None:
    if "POST" not in (route.methods or ()):
        return
    extra = dict(route.openapi_extra or {})
    if not any(p.get("name") == HEADER for p in extra.get("parameters", [])):
        extra["parameters"] = [*extra.get("parameters", []), *DOCUMENTED["parameters"]]
    route.openapi_extra = extra


async def answer_once(request: Request, handler: Handler) -> Response:
    raw = request.headers.get(HEADER)
    if raw is None:
        return await handler(request)
    key = raw.strip()
    problem = key_problem(key)
    if problem:
        raise HTTPException(422, {"field": HEADER, "problem": problem})
    body = await request.body()  # kept on the request: the route reads it again
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    fingerprint = request_fingerprint(request.method, path,
                                      request.headers.get("content-type", ""), body)
    found = await run_in_threadpool(_look_up, request, key)
    if found is None:
        return await handler(request)  # no valid token: the route answers 401
    user_id, stored = found
    if stored is not None:
        return _replay(stored, fingerprint)
    response = await handler(request)
    if response.status_code < 400:
        await run_in_threadpool(_keep, request, user_id, key, fingerprint, response)
    return response


def _look_up(request: Request, key: str) -> tuple[int, Stored | None] | None:
    header = request.headers.get("authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    now = runtime_of(request).now()
    with reading(request.app.state.engine) as session:
        user = user_by_token(session, raw.strip(), now=now)
        if user is None or user.id is None:
            return None
        return user.id, stored_answer(session, user.id, key, now=now)


def _replay(stored: Stored, fingerprint: str) -> Response:
    if stored.request_sha256 != fingerprint:
        raise HTTPException(422, {"field": HEADER, "problem": (
            "khóa này đã dùng cho một yêu cầu khác (khác địa chỉ, phương thức hoặc nội dung);"
            " mỗi yêu cầu mới cần một khóa mới")})
    kept = stored.response or {}
    body = kept.get("body")
    content = json.dumps(body, ensure_ascii=False) if "json" in kept.get("media_type", "") \
        else str(body or "")
    headers = {REPLAYED: "true", **({"Location": kept["location"]} if kept.get("location")
                                    else {})}
    return Response(content, stored.status_code, headers=headers,
                    media_type=kept.get("media_type") or "application/json")


def _keep(request: Request, user_id: int, key: str, fingerprint: str,
          response: Response) -> None:
    """In the route's own transaction (still open: the route's `db` commits after this)."""
    media_type = response.media_type or response.headers.get("content-type", "")
    raw = bytes(getattr(response, "body", b""))
    text = raw.decode("utf-8", "replace")
    body: Any = json.loads(text) if "json" in media_type and text else text
    kept = {"media_type": media_type, "body": body,
            "location": response.headers.get("location", "")}
    now = runtime_of(request).now()
    session: Session | None = getattr(request.state, "db_session", None)
    try:
        if session is None:  # a route without chidao.web.deps.DB: a transaction of its own
            with transaction(request.app.state.engine) as own:
                keep_answer(own, user_id, key, request_sha256=fingerprint,
                            status_code=response.status_code, response=kept, now=now)
            return
        keep_answer(session, user_id, key, request_sha256=fingerprint,
                    status_code=response.status_code, response=kept, now=now)
    except IntegrityError:
        raise HTTPException(409, "Một yêu cầu khác với cùng khóa Idempotency-Key vừa được"
                                 " thực hiện; yêu cầu này đã được hủy. Gửi lại để nhận kết"
                                 " quả của yêu cầu kia.") from None
