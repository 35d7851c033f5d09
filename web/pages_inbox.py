"""A unit's inbox ("Việc của đơn vị": where a principal lands), receiving a task in one tap,
and the mail sent to the user's unit."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from ..domain.accounts import User
from ..domain.directives import Requirement
from ..domain.errors import InvalidInput
from ..domain.permissions import Action
from ..domain.status import Status
from ..queries.inbox import (
    awaiting_review,
    lands_on_inbox,
    recent_closed,
    unit_assignments,
)
from ..queries.unit_mail import unit_mail
from ..services.status_changes import act_on_assignment
from .access import own_run, readable_unit, user_unit
from .acting import acting
from .closure_views import closure_notices
from .deps import DB, check_csrf, page_user, runtime_of
from .flash import flash
from .params import RowId
from .rendering import render

router = APIRouter()
SHOWN = 200  # tasks of each kind a page lists


def landing_path(session: Session, user: User) -> str:
    """Where a user lands after login and at /: the unit's tasks for a principal (see
    lands_on_inbox), the directive list for the units above."""
    unit = user_unit(session, user)
    return f"/units/{unit.id}/inbox" if lands_on_inbox(session, unit) else "/directives"


@router.get("/units/{unit_id}/inbox")
def inbox(request: Request, unit_id: RowId, user: User = Depends(page_user),
          session: Session = DB) -> Response:
    target = readable_unit(session, user, unit_id)
    runtime = runtime_of(request)
    now, soon_days = runtime.now(), runtime.rules.due_soon_working_days
    runs = unit_assignments(session, target, now=now, calendar=runtime.calendar,
                            soon_working_days=soon_days)
    todo = [r for r in runs if r.status.awaits_unit]
    waiting = [r for r in runs if r.status is Status.SUBMITTED]
    # the newest closed runs only: the page's cost stays the same however long the history
    closed = recent_closed(session, target, now=now, calendar=runtime.calendar, limit=SHOWN,
                           soon_working_days=soon_days)
    return render(request, "inbox.html", session, user, target=target,
                  runs=todo[:SHOWN], more=len(todo) > SHOWN, waiting=waiting[:SHOWN],
                  closed=closed[:SHOWN],
                  own=target.id == user.unit_id,
                  reviews=awaiting_review(session, target, SHOWN),
                  closures=closure_notices(request, session, user, target))


@router.post("/assignments/{assignment_id}/receive", dependencies=[Depends(check_csrf)])
def receive(request: Request, assignment_id: RowId, back: str = Form(""),
            user: User = Depends(page_user), session: Session = DB) -> Response:
    """Tiếp nhận: back to the inbox (or the task's page) with a confirmation."""
    run = own_run(session, user, assignment_id)
    by = acting(request, session, user, Action.RECEIVE)
    try:
        act_on_assignment(session, run.id or 0, Status.RECEIVED,
                          now=runtime_of(request).now(), by=by)
    except InvalidInput:
        raise HTTPException(409, "Nhiệm vụ này không còn ở trạng thái chờ tiếp nhận") from None
    title = run_title(session, run.requirement_id)
    flash(request, f"Đã tiếp nhận nhiệm vụ “{title}”.")
    session.commit()  # before the redirect is answered: the inbox must show the receipt
    target = (f"/assignments/{assignment_id}" if back == "assignment"
              else f"/units/{run.unit_id}/inbox")
    return RedirectResponse(target, status_code=303)


def run_title(session: Session, requirement_id: int) -> str:
    requirement = session.get(Requirement, requirement_id)
    return requirement.title if requirement else ""


@router.get("/notifications")
def notifications(request: Request, user: User = Depends(page_user),
                  session: Session = DB) -> Response:
    return render(request, "notifications.html", session, user,
                  messages=unit_mail(session, user.unit_id))
