"""Request dependencies: a database session, the signed-in user (cookie session for pages,
bearer token for the API), and CSRF protection of every form."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterator

from fastapi import Depends, Form, HTTPException, Request
from sqlmodel import Session

from config.database import transaction
from domain.accounts import User
from flows.accounts import user_by_token


def db(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back on error."""
    with transaction(request.app.state.engine) as session:
        yield session


def page_user(request: Request, session: Session = Depends(db)) -> User:
    user_id = request.session.get("user_id")
    user = session.get(User, user_id) if user_id else None
    if user is None:
        raise HTTPException(401, "Vui lòng đăng nhập")
    return user


def api_user(request: Request, session: Session = Depends(db)) -> User:
    header = request.headers.get("authorization", "")
    scheme, _, raw = header.partition(" ")
    user = user_by_token(session, raw.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        raise HTTPException(401, "Bearer token required",
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
    expected = request.session.get("csrf", "")
    if not expected or not hmac.compare_digest(str(expected), csrf):
        raise HTTPException(403, "Phiên làm việc không hợp lệ (CSRF), vui lòng tải lại trang")
