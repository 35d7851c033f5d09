"""JSON API for what is done to one run (assignment): the unit receives and submits it; the
issuing unit accepts or returns what was handed in, cancels (thu hồi) or waives (miễn) it.
Scoping as on the pages: 404 for a run the token's user may not read, 403 for one whose unit
(own / issuer) or role does not fit; the person acting is resolved with
chidao.services.acting.actor_for, so a delegate's call records both names."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request
from sqlmodel import Session

from ..domain.accounts import User
from ..domain.acting import Actor
from ..domain.assignments import Assignment
from ..domain.errors import InvalidInput
from ..domain.status import Status
from ..services.acting import actor_for
from ..services.report_submit import submit_report
from ..services.status_changes import act_on_assignment, action_for_status
from .access import issued_run, own_run
from .api_idempotency import api_router
from .api_models import ReasonBody, ReviewBody, RunStatus, SubmitBody, Submitted
from .deps import DB, api_user, runtime_of
from .params import RowId

router = api_router(tags=["nhiệm vụ"])
_REVIEW = {"accept": Status.ACCEPTED, "return": Status.RETURNED}


def _acting(request: Request, session: Session, user: User, target: Status) -> Actor:
    return actor_for(session, user, action_for_status(target), now=runtime_of(request).now())


def _answer(run: Assignment, actor: Actor) -> dict[str, Any]:
    return {"id": run.id, "status": run.status, "status_label": Status(run.status).label,
            "acted_by": actor.signed}


def _act(request: Request, session: Session, user: User, run: Assignment, target: Status,
         reason: str) -> dict[str, Any]:
    actor = _acting(request, session, user, target)
    act_on_assignment(session, run.id or 0, target, reason=reason,
                      now=runtime_of(request).now(), by=actor)
    return _answer(run, actor)


@router.post("/assignments/{assignment_id}/receive", response_model=RunStatus)
def receive(request: Request, assignment_id: RowId, user: User = Depends(api_user),
            session: Session = DB) -> Any:
    """Tiếp nhận nhiệm vụ của đơn vị mình."""
    run = own_run(session, user, assignment_id)
    return _act(request, session, user, run, Status.RECEIVED, "")


@router.post("/assignments/{assignment_id}/submit", response_model=Submitted)
def submit(request: Request, assignment_id: RowId, body: SubmitBody,
           user: User = Depends(api_user), session: Session = DB) -> Any:
    """Nộp báo cáo (số liệu theo biểu mẫu, ghi chú); nộp lại sau khi bị trả lại."""
    run = own_run(session, user, assignment_id)
    actor = _acting(request, session, user, Status.SUBMITTED)
    done = submit_report(session, run.id or 0, unit_code=actor.unit_code, values=body.values,
                         note=body.note, now=runtime_of(request).now(),
                         settings=request.app.state.settings, by=actor)
    return _answer(run, actor) | {"version": done.version}


def _decide(request: Request, session: Session, user: User, assignment_id: int,
            target: Status, reason: str) -> dict[str, Any]:
    run = issued_run(session, user, assignment_id)
    return _act(request, session, user, run, target, reason)


@router.post("/assignments/{assignment_id}/accept", response_model=RunStatus)
def accept(request: Request, assignment_id: RowId, body: ReasonBody,
           user: User = Depends(api_user), session: Session = DB) -> Any:
    """Chấp nhận báo cáo đã nộp (đơn vị giao nhiệm vụ); `reason`: nhận xét, không bắt buộc."""
    return _decide(request, session, user, assignment_id, Status.ACCEPTED, body.reason)


@router.post("/assignments/{assignment_id}/return", response_model=RunStatus)
def return_(request: Request, assignment_id: RowId, body: ReasonBody,
            user: User = Depends(api_user), session: Session = DB) -> Any:
    """Trả lại báo cáo để đơn vị sửa và nộp lại (lý do bắt buộc)."""
    return _decide(request, session, user, assignment_id, Status.RETURNED, body.reason)


@router.post("/assignments/{assignment_id}/cancel", response_model=RunStatus)
def cancel(request: Request, assignment_id: RowId, body: ReasonBody,
           user: User = Depends(api_user), session: Session = DB) -> Any:
    """Thu hồi nhiệm vụ của một đơn vị (lý do bắt buộc); thu hồi cả văn bản:
    POST /api/directives/{id}/recall."""
    return _decide(request, session, user, assignment_id, Status.CANCELLED, body.reason)


@router.post("/assignments/{assignment_id}/waive", response_model=RunStatus)
def waive(request: Request, assignment_id: RowId, body: ReasonBody,
          user: User = Depends(api_user), session: Session = DB) -> Any:
    """Miễn thực hiện cho một đơn vị (lý do bắt buộc)."""
    return _decide(request, session, user, assignment_id, Status.WAIVED, body.reason)


@router.post("/assignments/{assignment_id}/review", response_model=RunStatus)
def review(request: Request, assignment_id: RowId, body: ReviewBody,
           user: User = Depends(api_user), session: Session = DB) -> Any:
    """Như /accept và /return, chọn bằng `action` (giữ cho các client cũ)."""
    issued_run(session, user, assignment_id)
    target = _REVIEW.get(body.action)
    if target is None:
        raise InvalidInput("action", f"“{body.action}” không phải accept hoặc return")
    return _decide(request, session, user, assignment_id, target, body.reason)
