"""Xem trước thư sẽ gửi: for an admin, the emails a sweep and a delivery at a chosen moment
would send (chidao.notifications.preview: the real pipeline in a transaction rolled back),
those addressed to a unit of the admin's subtree only, optionally one unit; nothing written."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from sqlmodel import Session, col, select

from ..config.clock import parse_moment
from ..domain.accounts import User
from ..domain.calendar import LOCAL_TZ
from ..domain.errors import InvalidInput
from ..domain.permissions import Action, may
from ..domain.units import Unit, subtree_bounds
from ..notifications.preview import NO_ADDRESS, Scope, preview_mail
from .access import user_unit
from .deps import DB, page_user, runtime_of
from .form_errors import FormErrors
from .rendering import render

router = APIRouter()
LABELS = {"at": "Thời điểm", "unit": "Đơn vị"}
SHOWN = 100  # emails rendered on the page (all are counted); the CLI shows every one


@router.get("/admin/preview")
def mail_preview(request: Request, at: str = Query("", max_length=40),
                 unit: str = Query("", max_length=64), user: User = Depends(page_user),
                 session: Session = DB) -> Response:
    if not may(user.role, Action.MANAGE_USERS):
        raise HTTPException(403, "Chỉ quản trị mới xem trước được thư sẽ gửi")
    runtime = runtime_of(request)
    form = FormErrors.typed({"at": at, "unit": unit}, LABELS)
    moment = _moment(at, form) if at.strip() else runtime.now()
    low, high = subtree_bounds(user_unit(session, user).path)
    chosen = _unit_in_subtree(session, unit.strip(), low, high, form) if unit.strip() else None
    if form or moment is None:
        return render(request, "mail_preview.html", session, user, status_code=422, form=form,
                      at=_local_input(runtime.now()), preview=None)
    scope = Scope(unit=chosen.code if chosen else None, within=low)  # the admin's subtree
    found = preview_mail(runtime.engine, at=moment, calendar=runtime.calendar,
                         settings=runtime.settings, send_at=runtime.rules.send_from,
                         scope=scope, limit=SHOWN)
    return render(request, "mail_preview.html", session, user, form=form,
                  at=_local_input(moment), preview=found, chosen=chosen,
                  recipients=found.by_recipient(), send_from=runtime.settings.send_from,
                  send_until=runtime.settings.send_until, no_address=NO_ADDRESS)


def _moment(text: str, form: FormErrors) -> datetime | None:
    try:
        return parse_moment(text, "at")
    except InvalidInput:
        form.add("at", f"“{text}” không phải thời điểm hợp lệ (dạng 2026-03-16T07:30 hoặc"
                       " 16/03/2026 07:30, giờ Việt Nam)")
        return None


def _unit_in_subtree(session: Session, code: str, low: str, high: str,
                     form: FormErrors) -> Unit | None:
    """The unit of that code if it is in the admin's subtree (else the same refusal as for a
    code that does not exist: a unit elsewhere is not revealed)."""
    found = session.exec(select(Unit).where(Unit.code == code, col(Unit.path) >= low,
                                            col(Unit.path) < high)).first()
    if found is None:
        form.add("unit", f"không có đơn vị mã “{code}” trong phạm vi quản lý của bạn")
    return found


def _local_input(moment: datetime) -> str:
    """The value of a datetime-local input: Vietnam time to the minute."""
    return f"{moment.astimezone(LOCAL_TZ):%Y-%m-%dT%H:%M}"
