"""Lịch nghỉ: the closures over a unit (declared for it, for a unit below it or above it), a
form for a head or an admin of the unit or of a unit above it to declare one for the unit's
subtree (its deadlines move at once), and a lift button on those the user's unit declared
(or a unit below it did). Every problem shown at once, in Vietnamese, what was typed kept."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, col, select

from ..domain.accounts import User
from ..domain.closures import ClosureKind
from ..domain.errors import InvalidInput
from ..domain.permissions import Action
from ..domain.scope import in_subtree
from ..domain.specs import check_day_range, parse_day
from ..domain.units import Unit
from ..queries.closure_list import closures_listed
from ..services.closures import declare_closure, lift_closure
from .access import readable_unit, user_unit
from .acting import acting, allows
from .deps import DB, check_csrf, page_user, runtime_of
from .flash import flash
from .form_errors import FormErrors
from .params import RowId
from .rendering import render

router = APIRouter()
LABELS = {"from": "Từ ngày", "to": "Đến ngày", "kind": "Loại nghỉ", "reason": "Lý do",
          "decision": "Văn bản quyết định", "unit": "Đơn vị", "actor": "Đơn vị công bố",
          "closure": "Lịch nghỉ"}


def _show(request: Request, session: Session, user: User, unit: Unit,
          form: FormErrors | None = None, lift: FormErrors | None = None,
          lift_id: int | None = None, status_code: int = 200) -> Response:
    mine = user_unit(session, user)
    listed = closures_listed(session, unit)
    codes = {c.closure.declared_by for c in listed}
    declarers = {code: (path, name) for code, path, name in session.exec(
        select(Unit.code, Unit.path, Unit.name).where(col(Unit.code).in_(sorted(codes))))}
    can_close = allows(request, session, user, Action.CLOSE)
    liftable = {c.closure.id for c in listed if can_close and c.closure.lifted_at is None
                and in_subtree(declarers.get(c.closure.declared_by, ("~", ""))[0], mine.path)}
    return render(request, "closures.html", session, user, status_code=status_code,
                  target=unit, listed=listed, kinds=list(ClosureKind), can_declare=can_close,
                  liftable=liftable, form=form or FormErrors(labels=LABELS),
                  lift=lift or FormErrors(labels=LABELS), lift_id=lift_id,
                  declarers=declarers)


@router.get("/units/{unit_id}/closures")
def closures_page(request: Request, unit_id: RowId, user: User = Depends(page_user),
                  session: Session = DB) -> Response:
    return _show(request, session, user, readable_unit(session, user, unit_id))


@router.post("/units/{unit_id}/closures", dependencies=[Depends(check_csrf)])
def declare(request: Request, unit_id: RowId, kind: str = Form("school"),
            starts: str = Form("", alias="from"), ends: str = Form("", alias="to"),
            reason: str = Form(""), decision: str = Form(""), user: User = Depends(page_user),
            session: Session = DB) -> Response:
    unit = readable_unit(session, user, unit_id)
    if not allows(request, session, user, Action.CLOSE):
        raise HTTPException(403, "Chỉ lãnh đạo đơn vị hoặc quản trị mới công bố lịch nghỉ")
    by = acting(request, session, user, Action.CLOSE)
    form = FormErrors.typed({"kind": kind[:16], "from": starts[:40], "to": ends[:40],
                             "reason": reason[:600], "decision": decision[:250]}, LABELS)
    starts_on, ends_on = _day(starts, "from", form), _day(ends, "to", form)
    if not reason.strip():
        form.add("reason", "chưa nhập: ghi lý do nghỉ (bão, lũ, dịch bệnh…)")
    if form or starts_on is None or ends_on is None:
        return _show(request, session, user, unit, form=form, status_code=422)
    runtime = runtime_of(request)
    try:
        with session.begin_nested():
            closure, moved = declare_closure(
                session, unit_code=unit.code, kind=kind, starts_on=starts_on, ends_on=ends_on,
                reason=reason, decision=decision, actor=by.unit_code, by=by,
                now=runtime.now(), calendar=runtime.calendar, rules=runtime.rules)
    except InvalidInput as exc:
        form.add_invalid(exc)
        return _show(request, session, user, unit, form=form, status_code=422)
    flash(request, f"Đã công bố {closure.label} cho {unit.name} và các đơn vị trực thuộc;"
                   f" {moved} nhiệm vụ được lùi hạn.")
    return RedirectResponse(f"/units/{unit_id}/closures", status_code=303)


@router.post("/units/{unit_id}/closures/{closure_id}/lift", dependencies=[Depends(check_csrf)])
def lift(request: Request, unit_id: RowId, closure_id: RowId, reason: str = Form(""),
         user: User = Depends(page_user), session: Session = DB) -> Response:
    unit = readable_unit(session, user, unit_id)
    if closure_id not in {c.closure.id for c in closures_listed(session, unit)}:
        raise HTTPException(404, "Không tìm thấy lịch nghỉ")
    if not allows(request, session, user, Action.CLOSE):
        raise HTTPException(403, "Chỉ lãnh đạo đơn vị hoặc quản trị mới hủy lịch nghỉ")
    by = acting(request, session, user, Action.CLOSE)
    name = f"lift_reason-{closure_id}"  # one lift form per closure on the page
    form = FormErrors.typed({name: reason[:600]}, LABELS)
    if not reason.strip():
        form.add(name, "chưa nhập: ghi vì sao hủy lịch nghỉ", "Lý do hủy")
        return _show(request, session, user, unit, lift=form, lift_id=closure_id,
                     status_code=422)
    runtime = runtime_of(request)
    try:
        with session.begin_nested():
            closure, moved = lift_closure(
                session, closure_id=closure_id, reason=reason, actor=by.unit_code, by=by,
                now=runtime.now(), calendar=runtime.calendar, rules=runtime.rules)
    except InvalidInput as exc:
        form.add(name, exc.problem, "Lý do hủy" if exc.field == "reason" else "Lịch nghỉ")
        return _show(request, session, user, unit, lift=form, lift_id=closure_id,
                     status_code=422)
    flash(request, f"Đã hủy {closure.label}; {moved} nhiệm vụ được đưa hạn về như cũ.")
    return RedirectResponse(f"/units/{unit_id}/closures", status_code=303)


def _day(text: str, field: str, form: FormErrors) -> date | None:
    if not text.strip():
        form.add(field, "chưa nhập (dd/mm/yyyy)")
        return None
    try:
        return check_day_range(parse_day(text), field)
    except InvalidInput as exc:
        form.add(field, exc.problem)
    except ValueError as exc:
        form.add(field, "nằm ngoài khoảng cho phép (2000 – 2100)" if "outside" in str(exc)
                 else f"«{text.strip()[:40]}» không phải ngày có thật dạng dd/mm/yyyy")
    return None
