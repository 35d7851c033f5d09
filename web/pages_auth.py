"""Sign in and out, change one's password, and (admins) end a user's sessions."""

from __future__ import annotations

import math

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from ..domain.accounts import User
from ..domain.errors import InvalidInput
from ..domain.permissions import Action
from ..domain.text import nfc
from ..services.accounts import (
    TooManyAttempts,
    authenticate,
    change_password,
    user_named,
    verify_password,
)
from ..services.acting import own_actor
from ..services.sessions import end_session, end_sessions, start_session
from .access import readable_unit
from .acting import acting
from .deps import DB, check_csrf, page_user, runtime_of, verify_csrf
from .flash import flash
from .form_errors import FormErrors
from .pages_inbox import landing_path
from .rendering import render

router = APIRouter()
MIN_PASSWORD = 10  # as chidao.services.accounts checks (its InvalidInput is shown if it differs)


LOGIN_LABELS = {"username": "Tên đăng nhập", "password": "Mật khẩu"}
STALE_FORM = ("Trang đã mở quá lâu nên biểu mẫu hết hiệu lực. Vui lòng nhập lại và gửi"
              " lần nữa.")


def safe_next(target: str) -> str:
    """Where to go back to after signing in: a path of this site only (never another host);
    "" when there is none."""
    target = target.strip()
    if not target.startswith("/") or target.startswith(("//", "/\\")) or "\\" in target:
        return ""
    return target


def login_form(request: Request, status_code: int = 200, form: FormErrors | None = None,
               error: str | None = None, next_path: str = "") -> Response:
    """The sign-in page; `form` keeps the name typed (never the password) and its problems."""
    return render(request, "login.html", None, None, status_code=status_code,
                  form=form if form is not None else FormErrors(), error=error, next_path=next_path)


@router.get("/login")
def login_page(request: Request, next: str = "") -> Response:  # noqa: A002 - the form's name
    return login_form(request, next_path=safe_next(next))


@router.post("/login")
def login(request: Request, username: str = Form(""), password: str = Form(""),
          csrf: str = Form(""), next: str = Form(""),  # noqa: A002 - the form's name
          session: Session = DB) -> Response:
    form = FormErrors.typed({"username": username}, LOGIN_LABELS)
    next = safe_next(next)  # noqa: A001 - the form's name
    try:
        verify_csrf(request, csrf)
    except HTTPException:
        return login_form(request, 403, form, STALE_FORM, next)
    try:
        username = nfc(username.strip(), "username")
    except InvalidInput as exc:
        form.add_invalid(exc)
    if not username:
        form.add("username", "chưa nhập")
    if not password:
        form.add("password", "chưa nhập")
    if form:
        return login_form(request, 422, form, next_path=next)
    client = request.client.host if request.client else "?"
    now = runtime_of(request).now()
    try:
        user = authenticate(
            session, username=username, password=password, client=client, now=now,
            per_address_limit=request.app.state.settings.login_failures_per_address)
    except TooManyAttempts as exc:
        wait = max(1, math.ceil(exc.retry_after.total_seconds()))
        return login_form(request, 429, form, f"Đăng nhập sai quá nhiều lần, vui lòng thử lại"
                          f" sau {wait} giây.", next)
    if user is None:
        return login_form(request, 401, form, "Sai tên đăng nhập hoặc mật khẩu.", next)
    request.session.clear()  # a fresh session id and CSRF token: no fixation
    request.session["sid"] = start_session(session, user, now=now)
    session.commit()  # before the redirect is answered: the next request must find the session
    return RedirectResponse(next or landing_path(session, user), status_code=303)


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request, session: Session = DB) -> Response:
    raw = request.session.get("sid")
    if isinstance(raw, str) and raw:
        end_session(session, raw, now=runtime_of(request).now())
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


PASSWORD_LABELS = {"current": "Mật khẩu hiện tại", "new": "Mật khẩu mới"}


@router.get("/account")
def account_page(request: Request, user: User = Depends(page_user),
                 session: Session = DB) -> Response:
    return render(request, "account.html", session, user, form=FormErrors())


@router.post("/account/password", dependencies=[Depends(check_csrf)])
def password(request: Request, current: str = Form(""), new: str = Form(""),
             user: User = Depends(page_user), session: Session = DB) -> Response:
    """A new password; every other session of the user ends (this browser stays in). Every
    problem of the form is shown at once; no password is ever typed back."""
    form = FormErrors.typed({}, PASSWORD_LABELS)
    if not current:
        form.add("current", "chưa nhập")
    elif not verify_password(user, current):
        form.add("current", "không đúng")
    if len(new) < MIN_PASSWORD:
        form.add("new", f"cần ít nhất {MIN_PASSWORD} ký tự (đã nhập {len(new)})")
    elif new == current:
        form.add("new", "phải khác mật khẩu hiện tại")
    ended = 0
    if not form:
        try:
            ended = change_password(session, username=user.username, password=new,
                                    now=runtime_of(request).now(),
                                    keep_session=request.session.get("sid"),
                                    by=own_actor(session, user))
        except InvalidInput as exc:
            form.add_invalid(exc)
    if form:
        return render(request, "account.html", session, user, status_code=422, form=form)
    flash(request, f"Đã đổi mật khẩu; {ended} phiên đăng nhập khác đã kết thúc.")
    return RedirectResponse("/account", status_code=303)


@router.post("/users/{username}/logout-all", dependencies=[Depends(check_csrf)])
def logout_all(request: Request, username: str, user: User = Depends(page_user),
               session: Session = DB) -> Response:
    """An admin ends every session of a user of its subtree."""
    acting(request, session, user, Action.MANAGE_USERS)  # a 403 without the right today
    try:
        target = user_named(session, username)
    except InvalidInput:
        raise HTTPException(404, "Không tìm thấy người dùng") from None
    readable_unit(session, user, target.unit_id)  # 404 outside the admin's subtree
    end_sessions(session, target, now=runtime_of(request).now())
    return RedirectResponse("/account", status_code=303)


@router.get("/")
def home(user: User = Depends(page_user), session: Session = DB) -> Response:
    return RedirectResponse(landing_path(session, user), status_code=303)
