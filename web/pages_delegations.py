"""Ủy quyền on the web: the delegations a user gave and received (an admin: those of its
unit's subtree too), a form to lend some or all of one's rights to a user of the same unit for
a range of days (KT. / Q.), and revoking one before its end. Every field's problem at once, in
Vietnamese, with what was typed kept; one transaction per command."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from ..domain.accounts import Role, User
from ..domain.delegation_terms import TITLE_WORDS, TITLES, action_label, role_actions
from ..domain.errors import InvalidInput
from ..domain.specs import check_day_range, parse_day
from ..queries.delegation_list import delegations_of, delegations_under, unit_users
from ..services.acting import own_actor
from ..services.delegations import DelegationAsked, create_delegation, revoke_delegation
from .access import user_unit
from .deps import DB, check_csrf, page_user, runtime_of
from .flash import flash
from .form_errors import FormErrors
from .params import RowId
from .rendering import render

router = APIRouter()
LABELS = {"from": "Người ủy quyền", "to": "Người được ủy quyền", "starts_on": "Từ ngày",
          "ends_on": "Đến ngày", "actions": "Quyền ủy quyền", "title": "Hình thức ký",
          "reason": "Lý do", "id": "Ủy quyền"}


def _today(request: Request) -> date:
    runtime = runtime_of(request)
    return runtime.calendar.local_date(runtime.now())


def _show(request: Request, session: Session, user: User, form: FormErrors | None = None,
          checked: list[str] | None = None, status_code: int = 200) -> Response:
    today = _today(request)
    given, received = delegations_of(session, user, today)
    is_admin = user.role == Role.ADMIN
    in_unit = [d for d in delegations_under(session, user_unit(session, user), today)
               if user.id not in (d.delegation.from_user_id, d.delegation.to_user_id)
               ] if is_admin else []
    users = unit_users(session, user.unit_id)
    return render(request, "delegations.html", session, user, status_code=status_code,
                  given=given, received=received, in_unit=in_unit, is_admin=is_admin,
                  givers=users if is_admin else [user],
                  receivers=[u for u in users if u.id != user.id],
                  offered=[(a.value, action_label(a.value)) for a in role_actions(user.role)],
                  checked=set(checked or []), titles=[(t, TITLE_WORDS[t]) for t in TITLES],
                  form=form or FormErrors(labels=LABELS))


@router.get("/delegations")
def delegations_page(request: Request, user: User = Depends(page_user),
                     session: Session = DB) -> Response:
    return _show(request, session, user)


def _day(text: str, field: str, form: FormErrors) -> date | None:
    if not text.strip():
        form.add(field, "chưa nhập (dd/mm/yyyy)")
        return None
    try:
        return check_day_range(parse_day(text), field)
    except InvalidInput as exc:
        form.add(field, exc.problem)
    except ValueError:
        form.add(field, f"«{text.strip()[:40]}» không phải ngày có thật dạng dd/mm/yyyy")
    return None


@router.post("/delegations", dependencies=[Depends(check_csrf)])
def delegate(request: Request, giver: str = Form("", alias="from"), to: str = Form(""),
             starts_on: str = Form(""), ends_on: str = Form(""),
             actions: list[str] = Form([]), title: str = Form("KT."), reason: str = Form(""),
             user: User = Depends(page_user), session: Session = DB) -> Response:
    form = FormErrors.typed({"from": giver[:64] or user.username, "to": to[:64],
                             "starts_on": starts_on[:40], "ends_on": ends_on[:40],
                             "title": title[:8], "reason": reason[:600]}, LABELS)
    if not to.strip():
        form.add("to", "chọn người được ủy quyền")
    starts, ends = _day(starts_on, "starts_on", form), _day(ends_on, "ends_on", form)
    if form or starts is None or ends is None:
        return _show(request, session, user, form, actions, 422)
    asked = DelegationAsked(from_username=giver.strip() or user.username, to_username=to,
                            starts_on=starts, ends_on=ends, actions=actions, title=title,
                            reason=reason)
    try:
        with session.begin_nested():
            made = create_delegation(session, asked, by=own_actor(session, user),
                                     now=runtime_of(request).now())
    except InvalidInput as exc:
        form.add_invalid(exc)
        return _show(request, session, user, form, actions, 422)
    flash(request, f"Đã ủy quyền ({made.title}) từ {starts:%d/%m/%Y} đến {ends:%d/%m/%Y}"
                   f" (số {made.id}).")
    return RedirectResponse("/delegations", status_code=303)


@router.post("/delegations/{delegation_id}/revoke", dependencies=[Depends(check_csrf)])
def revoke(request: Request, delegation_id: RowId, reason: str = Form(""),
           user: User = Depends(page_user), session: Session = DB) -> Response:
    today = _today(request)
    given, received = delegations_of(session, user, today)
    mine = {d.delegation.id for d in given + received}
    if delegation_id not in mine and not (
            user.role == Role.ADMIN and delegations_under(
                session, user_unit(session, user), today, only_id=delegation_id)):
        raise HTTPException(404, "Không tìm thấy ủy quyền")
    try:
        with session.begin_nested():
            revoke_delegation(session, delegation_id, by=own_actor(session, user),
                              now=runtime_of(request).now(), reason=reason)
    except InvalidInput as exc:
        form = FormErrors(labels=LABELS)
        form.add_invalid(exc)
        return _show(request, session, user, form, None, 422)
    flash(request, f"Đã thu hồi ủy quyền số {delegation_id}.")
    return RedirectResponse("/delegations", status_code=303)
