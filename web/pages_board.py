"""The overdue board, the organisation tree, and moving a deadline for a subtree."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import or_, select
from sqlmodel import Session, col
from sqlmodel import select as model_select

from chidao.domain.accounts import User
from chidao.domain.assignments import assignment_table
from chidao.domain.calendar import vietnam_calendar
from chidao.domain.directives import directive_table, format_number_symbol, requirement_table
from chidao.domain.errors import InvalidInput
from chidao.domain.specs import parse_day
from chidao.domain.status import AWAITING_UNIT
from chidao.domain.units import Unit, subtree_bounds, unit_table
from chidao.services.extend import extend_deadline
from chidao.web.access import readable_directive, readable_unit, user_unit
from chidao.web.deps import check_csrf, db, page_user
from chidao.web.params import PageNumber, RowId
from chidao.web.rendering import render

router = APIRouter()
_a, _d, _r, _u = assignment_table.c, directive_table.c, requirement_table.c, unit_table.c
_issuer = unit_table.alias("issuer")


@router.get("/overdue")
def overdue(request: Request, page: PageNumber = 0, user: User = Depends(page_user),
            session: Session = Depends(db)) -> Response:
    """Late runs of the user's subtree and of what its unit issued, latest deadline first."""
    now = datetime.now(UTC)
    low, high = subtree_bounds(user_unit(session, user).path)
    rows = session.execute(
        select(_a.id, _u.name, _d.number, _d.symbol, _r.title, _a.due_on)
        .join(unit_table, _u.id == _a.unit_id).join(directive_table, _d.id == _a.directive_id)
        .join(requirement_table, _r.id == _a.requirement_id)
        .join(_issuer, _issuer.c.id == _d.issuer_id)
        .where(_a.status.in_([s.value for s in AWAITING_UNIT]), _a.due_at <= now,
               or_(_u.path.between(low, high), _issuer.c.path.between(low, high)))
        .order_by(_a.due_on.desc(), _u.name).limit(101).offset(page * 100)).all()
    cal = vietnam_calendar()
    today = cal.local_date(now)
    late = [{"id": rid, "unit": name, "number_symbol": format_number_symbol(number, symbol),
             "title": title, "due": f"{due:%d/%m/%Y}",
             "days": cal.working_days_between(due, today)}
            for rid, name, number, symbol, title, due in rows[:100]]
    return render(request, "overdue.html", session, user, late=late, more=len(rows) > 100,
                  page=page)


@router.get("/units/{unit_id}/tree")
def org_tree(request: Request, unit_id: RowId, user: User = Depends(page_user),
             session: Session = Depends(db)) -> Response:
    unit = readable_unit(session, user, unit_id)
    children = session.exec(model_select(Unit).where(Unit.parent_id == unit.id)
                            .order_by(col(Unit.name))).all()
    parent = session.get(Unit, unit.parent_id) if unit.parent_id else None
    if parent is not None and not parent.path.startswith(user_unit(session, user).path):
        parent = None
    return render(request, "org_tree.html", session, user, target=unit, parent=parent,
                  children=children)


@router.post("/directives/{directive_id}/extend", dependencies=[Depends(check_csrf)])
def extend(directive_id: RowId, requirement: str = Form(...), subtree: str = Form(...),
           new_due: str = Form(...), reason: str = Form(""), user: User = Depends(page_user),
           session: Session = Depends(db)) -> Response:
    directive = readable_directive(session, user, directive_id)
    if directive.issuer_id != user.unit_id:
        raise HTTPException(403, "Chỉ đơn vị ban hành mới được gia hạn")
    try:
        day = parse_day(new_due)
    except ValueError:
        raise HTTPException(422, f"new_due: ngày gia hạn '{new_due}' không có thật hoặc không"
                                 " đúng dạng dd/mm/yyyy") from None
    try:
        with session.begin_nested():
            extend_deadline(session, directive_ref=str(directive.id), requirement_key=requirement,
                            subtree=subtree, new_due=day, actor=user_unit(session, user).code,
                            reason=reason, now=datetime.now(UTC), calendar=vietnam_calendar(),
                            role=user.role)
    except InvalidInput as exc:
        raise HTTPException(422, f"{exc.field}: {exc.problem}") from None
    return RedirectResponse(f"/directives/{directive_id}", status_code=303)
