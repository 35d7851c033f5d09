"""Gia hạn: move a requirement's deadline for a subtree of the directive's addressees, the unit
picked by NAME from a searchable list (its code found server-side); every field's problem shown
at once, in Vietnamese, with what was typed kept; a flash message on success."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from ..domain.accounts import User
from ..domain.directives import Directive
from ..domain.errors import InvalidInput
from ..domain.permissions import Action
from ..domain.specs import check_day_range, parse_day
from ..domain.unit_names import UnitChoice, UnitNameError, resolve_unit_name
from ..queries.directive_page import requirements
from ..queries.issue_choices import addressee_choices
from ..services.extend import extend_deadline
from .access import readable_directive
from .acting import acting
from .deps import DB, check_csrf, page_user, runtime_of
from .flash import flash
from .params import RowId
from .rendering import render

router = APIRouter()


def _issued_directive(session: Session, user: User, directive_id: int) -> Directive:
    directive = readable_directive(session, user, directive_id)
    if directive.issuer_id != user.unit_id:
        raise HTTPException(403, "Chỉ đơn vị ban hành mới được gia hạn")
    return directive


def _show(request: Request, session: Session, user: User, directive: Directive,
          typed: dict[str, str], errors: dict[str, str], status_code: int = 200) -> Response:
    return render(request, "extend.html", session, user, status_code=status_code,
                  directive=directive, typed=typed, errors=errors,
                  requirements=requirements(session, directive.id or 0),
                  units=addressee_choices(session, directive))


@router.get("/directives/{directive_id}/extend")
def extend_page(request: Request, directive_id: RowId, user: User = Depends(page_user),
                session: Session = DB) -> Response:
    directive = _issued_directive(session, user, directive_id)
    return _show(request, session, user, directive, {}, {})


@router.post("/directives/{directive_id}/extend", dependencies=[Depends(check_csrf)])
def extend(request: Request, directive_id: RowId, requirement: str = Form(""),
           subtree: str = Form(""), new_due: str = Form(""), reason: str = Form(""),
           user: User = Depends(page_user), session: Session = DB) -> Response:
    directive = _issued_directive(session, user, directive_id)
    by = acting(request, session, user, Action.EXTEND)  # a 403 without the right today
    typed = {"requirement": requirement[:64], "subtree": subtree[:300],
             "new_due": new_due[:40], "reason": reason[:2000]}
    errors: dict[str, str] = {}
    titles = {r.key: r.title for r in requirements(session, directive.id or 0)}
    if requirement not in titles:
        errors["requirement"] = "Chọn nhiệm vụ trong danh sách."
    unit = _unit(subtree, addressee_choices(session, directive), errors)
    day = None
    try:
        day = check_day_range(parse_day(new_due), "new_due")
        if day < directive.issued_on:
            errors["new_due"] = f"Hạn mới {day:%d/%m/%Y} trước ngày ban hành" \
                                f" {directive.issued_on:%d/%m/%Y}."
    except InvalidInput as exc:
        errors["new_due"] = f"Ngày {new_due.strip()}: {exc.problem}."
    except ValueError:
        errors["new_due"] = f"Ngày «{new_due.strip()}» không có thật hoặc không đúng dạng" \
                            " dd/mm/yyyy." if new_due.strip() else "Nhập hạn mới (dd/mm/yyyy)."
    if not reason.strip():
        errors["reason"] = "Nhập lý do gia hạn."
    if errors or unit is None or day is None:
        return _show(request, session, user, directive, typed, errors, 422)
    runtime = runtime_of(request)
    try:
        with session.begin_nested():
            moved = extend_deadline(
                session, directive_ref=str(directive.id), requirement_key=requirement,
                subtree=unit.code, new_due=day, actor=by.unit_code, reason=reason,
                now=runtime.now(), calendar=runtime.calendar, rules=runtime.rules, by=by)
    except InvalidInput as exc:
        return _show(request, session, user, directive, typed,
                     {"form": f"Chưa gia hạn được ({exc.field}): {exc.problem}"}, 422)
    rolled = runtime.calendar.roll_forward(day)
    flash(request, f"Đã gia hạn «{titles[requirement]}» đến {rolled:%d/%m/%Y} cho {moved}"
                   f" đơn vị thuộc {unit.name}.")
    return RedirectResponse(f"/directives/{directive_id}", status_code=303)


def _unit(text: str, choices: list[UnitChoice], errors: dict[str, str]) -> UnitChoice | None:
    """By name (the list), or by code for who types one (the API and the CLI take codes)."""
    by_code = [c for c in choices if c.code == text.strip()]
    if by_code:
        return by_code[0]
    try:
        return resolve_unit_name(text, choices)
    except UnitNameError as exc:
        errors["subtree"] = f"{str(exc)[:1].upper()}{str(exc)[1:]}."
        return None
