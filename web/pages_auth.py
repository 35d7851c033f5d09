"""Sign in and out."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from flows.accounts import TooManyAttempts, authenticate
from web.app import render
from web.deps import check_csrf, db

router = APIRouter()


@router.get("/login")
def login_page(request: Request) -> Response:
    return render(request, "login.html", None, None, error=None)


@router.post("/login", dependencies=[Depends(check_csrf)])
def login(request: Request, username: str = Form(...), password: str = Form(...),
          session: Session = Depends(db)) -> Response:
    client = request.client.host if request.client else "?"
    try:
        user = authenticate(session, username=username.strip(), password=password, client=client,
                            now=datetime.now(UTC),
                            limit=request.app.state.settings.login_attempts_per_15_minutes)
    except TooManyAttempts:
        return render(request, "login.html", None, None, status_code=429,
                      error="Đăng nhập sai quá nhiều lần, vui lòng thử lại sau 15 phút.")
    if user is None:
        return render(request, "login.html", None, None, status_code=401,
                      error="Sai tên đăng nhập hoặc mật khẩu.")
    request.session.clear()
    request.session["user_id"] = user.id
    return RedirectResponse("/directives", status_code=303)


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/")
def home() -> Response:
    return RedirectResponse("/directives", status_code=303)
