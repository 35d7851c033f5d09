"""JSON API for people in units: the runs I hold, a run's holders, and setting them (giao
việc: one chủ trì, any number of phối hợp and để biết). Same scoping as the pages: 404 for a
run the token's user may not read, 403 for what it may not do; problems as problem+json with
the field (chidao.web.errors)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, select

from ..domain.accounts import User
from ..domain.acting import Actor
from ..domain.assignments import Assignment
from ..domain.errors import InvalidInput
from ..domain.holding import HolderChoice, parse_role
from ..domain.permissions import Action
from ..domain.status import Status
from ..queries.closures import unit_calendar
from ..queries.holders import held_runs, run_holders
from ..services.acting import actor_for
from ..services.holders import assign_holders, remove_holder
from .access import readable_run
from .deps import DB, api_user, runtime_of
from .params import RowId

router = APIRouter(tags=["people"])


class HolderIn(BaseModel):
    """One person put on the run: by `user_id` or `username` (a user of the run's unit)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"username": "chuyenvien2.kienhai", "role": "lead", "due_on": "2026-03-25",
         "note": "Tổng hợp số liệu các trường"}]})

    user_id: int | None = None
    username: str | None = Field(default=None, max_length=64)
    role: str = Field(max_length=16, description="lead (chủ trì), cooperate (phối hợp),"
                                                 " watch (để biết)")
    due_on: date | None = Field(default=None, description="personal deadline; none = the"
                                                          " unit's; never after it")
    note: str = Field(default="", max_length=2000)


class HoldersIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"holders": [
        {"username": "chuyenvien2.kienhai", "role": "lead", "due_on": "2026-03-25"},
        {"username": "chuyenvien3.kienhai", "role": "cooperate"}]}]})

    holders: list[HolderIn] = Field(max_length=500)


@router.get("/me/assignments")
def my_held_runs(request: Request, closed: bool = False, user: User = Depends(api_user),
                 session: Session = DB) -> list[dict[str, Any]]:
    """The runs the token's user holds (chủ trì, phối hợp, để biết), soonest personal
    deadline first; `closed=true` adds the closed ones."""
    runtime = runtime_of(request)
    calendar = unit_calendar(session, runtime.calendar, user.unit_id)
    return [r.as_json() for r in held_runs(session, [user.id or 0], now=runtime.now(),
                                           calendar=calendar, closed_too=closed)]


@router.get("/assignments/{assignment_id}/holders")
def get_holders(assignment_id: RowId, user: User = Depends(api_user),
                session: Session = DB) -> dict[str, Any]:
    run = readable_run(session, user, assignment_id)
    return _holders_json(session, run)


def assignable(request: Request, assignment_id: RowId, user: User = Depends(api_user),
               session: Session = DB) -> tuple[Assignment, Actor]:
    """The run whose holders the token's user may set (a dependency: 404/403 come before the
    body is looked at): readable, of the user's own unit, Action.ASSIGN (own role or a
    delegation in force), and open (else 409)."""
    run = readable_run(session, user, assignment_id)
    if run.unit_id != user.unit_id:
        raise HTTPException(403, "Chỉ đơn vị được giao nhiệm vụ mới được giao việc")
    actor = actor_for(session, user, Action.ASSIGN, now=runtime_of(request).now())
    if not Status(run.status).is_open:
        raise HTTPException(409, f"Nhiệm vụ đã đóng ({Status(run.status).label}):"
                                 " không giao việc được nữa")
    return run, actor


@router.put("/assignments/{assignment_id}/holders")
def put_holders(request: Request, body: HoldersIn,
                allowed: tuple[Assignment, Actor] = Depends(assignable),
                session: Session = DB) -> dict[str, Any]:
    """Make the run's holders exactly these (an empty list: nobody; the unit as a whole)."""
    run, actor = allowed
    choices = _choices(session, run, body.holders)
    assign_holders(session, run.id or 0, choices, by=actor, now=runtime_of(request).now())
    return _holders_json(session, run)


@router.delete("/assignments/{assignment_id}/holders/{holder_id}")
def delete_holder(request: Request, holder_id: RowId,
                  allowed: tuple[Assignment, Actor] = Depends(assignable),
                  session: Session = DB) -> dict[str, Any]:
    """Take one person off the run (the record keeps them, removed)."""
    run, actor = allowed
    if not any(h.id == holder_id for h in run_holders(session, run.id or 0)):
        raise HTTPException(404, "Không tìm thấy người thực hiện này trong nhiệm vụ")
    remove_holder(session, holder_id, by=actor, now=runtime_of(request).now())
    return _holders_json(session, run)


def _choices(session: Session, run: Assignment, holders: list[HolderIn]) -> list[HolderChoice]:
    users = list(session.exec(select(User).where(User.unit_id == run.unit_id)))
    by_name = {u.username: u.id for u in users}
    choices = []
    for index, given in enumerate(holders):
        user_id = given.user_id
        if given.username is not None:
            user_id = by_name.get(given.username.strip())
            if user_id is None:
                raise InvalidInput(f"holders[{index}].username",
                                   f"không có người dùng '{given.username}' trong đơn vị")
        if user_id is None:
            raise InvalidInput(f"holders[{index}].user_id", "cần user_id hoặc username")
        choices.append(HolderChoice(user_id, parse_role(given.role, f"holders[{index}].role"),
                                    given.due_on, given.note))
    return choices


def _holders_json(session: Session, run: Assignment) -> dict[str, Any]:
    return {"assignment_id": run.id, "unit_due_on": run.due_on.isoformat(),
            "status": run.status,
            "holders": [h.as_json() for h in run_holders(session, run.id or 0)]}
