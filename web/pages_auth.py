"""Sign in and out, change one's password, and (admins) end a user's sessions."""

from __future__ import annotations

import math

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from ..domain.accounts import User
from ..domain.errors import InvalidInput
from ..domain.permissions import Action, require
from ..services.accounts import (
    TooManyAttempts,
    authenticate,
    change_password,
    user_named,
    verify_password,
)
from ..services.sessions import end_session, end_sessions, start_session
from .access import readable_unit
from .deps import check_csrf, db, page_user, runtime_of
from .pages_inbox import landing_path
from .rendering import render

router = APIRouter()


@router.get("/login")
def login_page(request: Request) -> Response:
    return render(request, "login.html", None, None, error=None)


@router.post("/login", dependencies=[Depends(check_csrf)])
def login(request: Request, username: str = Form(...), password: str = Form(...),
          session: Session = Depends(db)) -> Response:
    client = request.client.host if request.client else "?"
    now = runtime_of(request).now()
    try:
        user = authenticate(
            session, username=username.strip(), password=password, client=client, now=now,
            per_address_limit=request.app.state.settings.login_failures_per_address)
    except TooManyAttempts as exc:
        wait = max(1, math.ceil(exc.retry_after.total_seconds()))
        return render(request, "login.html", None, None, status_code=429,
                      error=f"Đăng nhập sai quá nhiều lần, vui lòng thử lại sau {wait} giây.")
    if user is None:
        return render(request, "login.html", None, None, status_code=401,
                      error="Sai tên đăng nhập hoặc mật khẩu.")
    request.session.clear()  # a fresh session id and CSRF token: no fixation
    request.session["sid"] = start_session(session, user, now=now)
    session.commit()  # before the redirect is answered: the next request must find the session
    return RedirectResponse(landing_path(session, user), status_code=303)


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request, session: Session = Depends(db)) -> Response:
    raw = request.session.get("sid")
    if isinstance(raw, str) and raw:
        end_session(session, raw, now=runtime_of(request).now())
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/account")
def account_page(request: Request, user: User = Depends(page_user),
                 session: Session = Depends(db)) -> Response:
    return render(request, "account.html", session, user, error=None, done=None)


@router.post("/account/password", dependencies=[Depends(check_csrf)])
def password(request: Request, current: str = Form(...), new: str = Form(...),
             user: User = Depends(page_user), session: Session = Depends(db)) -> Response:
    """A new password; every other session of the user ends (this browser stays in)."""
    if not verify_password(user, current):
        return render(request, "account.html", session, user, status_code=422, done=None,
                      error="current: mật khẩu hiện tại không đúng")
    try:
        ended = change_password(session, username=user.username, password=new,
                                now=runtime_of(request).now(),
                                keep_session=request.session.get("sid"))
    except InvalidInput:
        return render(request, "account.html", session, user, status_code=422, done=None,
                      error="new: mật khẩu mới cần ít nhất 10 ký tự")
    return render(request, "account.html", session, user, error=None,
                  done=f"Đã đổi mật khẩu; {ended} phiên đăng nhập khác đã kết thúc.")


@router.post("/users/{username}/logout-all", dependencies=[Depends(check_csrf)])
def logout_all(request: Request, username: str, user: User = Depends(page_user),
               session: Session = Depends(db)) -> Response:
    """An admin ends every session of a user of its subtree."""
    require(user.role, Action.MANAGE_USERS)
    try:
        target = user_named(session, username)
    except InvalidInput:
        raise HTTPException(404, "Không tìm thấy người dùng") from None
    readable_unit(session, user, target.unit_id)  # 404 outside the admin's subtree
    end_sessions(session, target, now=runtime_of(request).now())
    return RedirectResponse("/account", status_code=303)


@router.get("/")
def home(user: User = Depends(page_user), session: Session = Depends(db)) -> Response:
    return RedirectResponse(landing_path(session, user), status_code=303)
