"""The overdue board, the organisation tree, and moving a deadline for a subtree."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from ..domain.accounts import User
from ..domain.errors import InvalidInput
from ..domain.specs import parse_day
from ..domain.units import Unit
from ..queries.org_tree import child_units
from ..queries.overdue import late_runs
from ..services.extend import extend_deadline
from .access import readable_directive, readable_unit, user_unit
from .deps import check_csrf, db, page_user, runtime_of
from .params import PageNumber, RowId
from .rendering import render

router = APIRouter()


@router.get("/overdue")
def overdue(request: Request, page: PageNumber = 0, user: User = Depends(page_user),
            session: Session = Depends(db)) -> Response:
    """Late runs of the user's subtree and of what its unit issued, latest deadline first."""
    runtime = runtime_of(request)
    late, more = late_runs(session, user_unit(session, user), now=runtime.now(),
                           calendar=runtime.calendar, page=page)
    return render(request, "overdue.html", session, user, late=late, more=more, page=page)


@router.get("/units/{unit_id}/tree")
def org_tree(request: Request, unit_id: RowId, user: User = Depends(page_user),
             session: Session = Depends(db)) -> Response:
    unit = readable_unit(session, user, unit_id)
    children = child_units(session, unit.id or 0)
    parent = session.get(Unit, unit.parent_id) if unit.parent_id else None
    if parent is not None and not parent.path.startswith(user_unit(session, user).path):
        parent = None
    return render(request, "org_tree.html", session, user, target=unit, parent=parent,
                  children=children)


@router.post("/directives/{directive_id}/extend", dependencies=[Depends(check_csrf)])
def extend(request: Request, directive_id: RowId, requirement: str = Form(...),
           subtree: str = Form(...), new_due: str = Form(...), reason: str = Form(""),
           user: User = Depends(page_user), session: Session = Depends(db)) -> Response:
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
                            reason=reason, now=runtime_of(request).now(),
                            calendar=runtime_of(request).calendar,
                            role=user.role)
    except InvalidInput as exc:
        raise HTTPException(422, f"{exc.field}: {exc.problem}") from None
    return RedirectResponse(f"/directives/{directive_id}", status_code=303)
