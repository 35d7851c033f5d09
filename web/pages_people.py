"""People in units, on the web: set a run's holders (giao việc: chủ trì, phối hợp, để biết),
the personal inbox ("Việc của tôi", /me), and the head's view of who in the unit holds what
and who is late (/units/{id}/people)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from ..domain.accounts import User, in_subtree
from ..domain.errors import InvalidInput
from ..domain.permissions import Action, NotPermitted, may
from ..queries.closures import unit_calendar
from ..queries.holders import held_runs, unassigned_open_runs, unit_people
from ..services.acting import actor_for
from ..services.holders import assign_holders
from .access import readable_run, readable_unit, user_unit
from .deps import DB, check_csrf, page_user, runtime_of
from .flash import flash
from .holder_form import assigning_actor, choices_of, holder_section, problem_text, read_rows
from .params import RowId
from .rendering import render

router = APIRouter()


async def form_fields(request: Request) -> dict[str, Any]:
    """The posted form as a dict (its field names depend on the unit's users)."""
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


@router.post("/assignments/{assignment_id}/holders", dependencies=[Depends(check_csrf)])
def set_holders(request: Request, assignment_id: RowId,
                form: dict[str, Any] = Depends(form_fields), user: User = Depends(page_user),
                session: Session = DB) -> Response:
    """Save the "Người thực hiện" form; a refused one shows the page again (422) with the
    problem naming the person, and what was typed."""
    from .pages_runs import assignment_page  # (the run page includes this section)

    run = readable_run(session, user, assignment_id)
    now = runtime_of(request).now()
    if user.unit_id != run.unit_id:
        raise HTTPException(403, "Chỉ lãnh đạo đơn vị được giao nhiệm vụ mới được giao việc")
    actor = assigning_actor(session, user, run, now=now)
    if actor is None:
        actor_for(session, user, Action.ASSIGN, now=now)  # NotPermitted: a 403
        raise HTTPException(403, "Nhiệm vụ đã đóng: không giao việc được nữa")
    rows = read_rows(session, run, form)
    chosen = [r for r in rows if r.role]
    try:
        choices, chosen = choices_of(rows)
        with session.begin_nested():
            holders = assign_holders(session, run.id or 0, choices, by=actor, now=now)
    except InvalidInput as exc:
        section = holder_section(session, user, run, now=now, typed=rows,
                                 error=problem_text(exc, chosen))
        return assignment_page(request, session, user, run, holders=section, status_code=422)
    lead = next((r.full_name for r in chosen if r.role == "lead"), "")
    flash(request, f"Đã giao việc: {lead} chủ trì, {len(holders) - 1} người phối hợp"
                   " hoặc để biết." if holders else "Đã bỏ giao việc: nhiệm vụ do cả đơn vị"
                                                    " thực hiện.")
    session.commit()  # before the redirect is answered: the next page must show it
    return RedirectResponse(f"/assignments/{assignment_id}#holders", status_code=303)


@router.get("/me")
def my_work(request: Request, user: User = Depends(page_user),
            session: Session = DB) -> Response:
    """Việc của tôi: the open runs the signed-in user holds, soonest personal deadline first."""
    runtime = runtime_of(request)
    calendar = unit_calendar(session, runtime.calendar, user.unit_id)
    runs = held_runs(session, [user.id or 0], now=runtime.now(), calendar=calendar)
    return render(request, "my_work.html", session, user, runs=runs,
                  late=sum(r.late for r in runs))


def _may_see_people(session: Session, user: User, unit_id: int, request: Request) -> None:
    """The unit's heads and admins (or a staff member lent the right to assign), and the
    heads and admins of a unit above it; a unit outside the user's subtree is a 404."""
    unit = readable_unit(session, user, unit_id)
    if user.unit_id == unit.id:
        actor_for(session, user, Action.ASSIGN, now=runtime_of(request).now())
        return
    mine = user_unit(session, user)
    if not (in_subtree(unit.path, mine.path) and may(user.role, Action.ASSIGN)):
        raise NotPermitted(user.role, Action.ASSIGN)  # type: ignore[arg-type]


@router.get("/units/{unit_id}/people")
def unit_people_page(request: Request, unit_id: RowId, user: User = Depends(page_user),
                     session: Session = DB) -> Response:
    """Who in the unit holds what; who is late (their own deadline passed, the unit still
    owes the run), those first."""
    _may_see_people(session, user, unit_id, request)
    unit = readable_unit(session, user, unit_id)
    runtime = runtime_of(request)
    calendar = unit_calendar(session, runtime.calendar, unit_id)
    people = unit_people(session, unit_id, now=runtime.now(), calendar=calendar)
    return render(request, "unit_people.html", session, user, target=unit, people=people,
                  late=sum(len(p.late) for p in people),
                  unassigned=unassigned_open_runs(session, unit_id))
