"""JSON API for people in units: the runs I hold, a run's holders, and setting them (giao
việc: one chủ trì, any number of phối hợp and để biết). Same scoping as the pages: 404 for a
run the token's user may not read, 403 for what it may not do; problems as problem+json with
the field (chidao.web.errors)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import Depends, HTTPException, Request, Response
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
from .api_idempotency import api_router
from .api_paging import Page, PageParams, paged
from .deps import DB, api_user, runtime_of
from .params import RowId

router = api_router(tags=["giao việc trong đơn vị"])


class HolderRow(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": 3, "user_id": 5, "full_name": "Đặng Quốc Bảo", "username": "chuyenvien2.kienhai",
        "role": "lead", "role_label": "chủ trì", "due_on": "2026-03-16",
        "note": "Tổng hợp số liệu các trường", "assigned_by": "Lê Thị Ngọc Hân",
        "assigned_at": "2026-03-10T02:00:00+00:00"}]})
    id: int
    user_id: int
    full_name: str
    username: str
    role: str = Field(description="lead | cooperate | watch")
    role_label: str = Field(description="chủ trì | phối hợp | để biết")
    due_on: str | None = Field(description="YYYY-MM-DD; null = hạn của đơn vị")
    note: str
    assigned_by: str
    assigned_at: str


class RunHolders(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "assignment_id": 41, "unit_due_on": "2026-03-19", "status": "received",
        "holders": [HolderRow.model_config["json_schema_extra"]["examples"][0]]}]})  # type: ignore[index]
    assignment_id: int
    unit_due_on: str = Field(description="YYYY-MM-DD")
    status: str
    holders: list[HolderRow]


class HeldRun(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "assignment_id": 41, "role": "lead", "role_label": "chủ trì",
        "number_symbol": "1039/KH-SGDĐT", "directive_title": "Triển khai giáo dục STEM",
        "title": "Xây dựng kế hoạch triển khai", "period": "", "unit_due_on": "2026-03-19",
        "due_on": "2026-03-16", "status": "received", "status_label": "đã tiếp nhận",
        "late": False, "deadline": "còn 2 ngày làm việc"}]})
    assignment_id: int
    role: str
    role_label: str
    number_symbol: str
    directive_title: str
    title: str
    period: str
    unit_due_on: str = Field(description="YYYY-MM-DD: hạn của đơn vị")
    due_on: str = Field(description="YYYY-MM-DD: hạn của người này")
    status: str
    status_label: str
    late: bool
    deadline: str = Field(description="Thời hạn bằng lời")


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


@router.get("/me/assignments", response_model=Page[HeldRun])
def my_held_runs(request: Request, response: Response, paging: PageParams,
                 closed: bool = False, user: User = Depends(api_user),
                 session: Session = DB) -> Any:
    """Việc của tôi: the runs the token's user holds (chủ trì, phối hợp, để biết), soonest
    personal deadline first; `closed=true` adds the closed ones."""
    runtime = runtime_of(request)
    calendar = unit_calendar(session, runtime.calendar, user.unit_id)
    rows = [r.as_json() for r in held_runs(session, [user.id or 0], now=runtime.now(),
                                           calendar=calendar, closed_too=closed)]
    return paged(request, response, paging.slice(rows), len(rows), paging)


@router.get("/assignments/{assignment_id}/holders", response_model=RunHolders)
def get_holders(assignment_id: RowId, user: User = Depends(api_user),
                session: Session = DB) -> dict[str, Any]:
    """Người thực hiện: the run's live holders, the chủ trì first."""
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


@router.put("/assignments/{assignment_id}/holders", response_model=RunHolders)
def put_holders(request: Request, body: HoldersIn,
                allowed: tuple[Assignment, Actor] = Depends(assignable),
                session: Session = DB) -> dict[str, Any]:
    """Make the run's holders exactly these (an empty list: nobody; the unit as a whole)."""
    run, actor = allowed
    choices = _choices(session, run, body.holders)
    assign_holders(session, run.id or 0, choices, by=actor, now=runtime_of(request).now())
    return _holders_json(session, run)


@router.delete("/assignments/{assignment_id}/holders/{holder_id}", response_model=RunHolders)
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
