"""JSON API for what heads do: accept or return a handed-in run, move a deadline, issue a
directive. The use cases check the token user's role (403 problem+json for staff)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel
from sqlmodel import Session

from ..domain.accounts import User
from ..domain.errors import InvalidInput
from ..domain.specs import parse_day, parse_directive
from ..domain.status import Status
from ..services.extend import extend_deadline
from ..services.issue import issue_directive
from ..services.status_changes import act_on_assignment
from .access import issued_run, readable_directive, user_unit
from .deps import DB, api_user, runtime_of
from .params import RowId

router = APIRouter(tags=["api"])
_REVIEW = {"accept": Status.ACCEPTED, "return": Status.RETURNED}


# Fields default to empty so that scoping (404/403) answers before any field problem (422).
class ReviewBody(BaseModel):
    action: str = ""  # accept | return
    reason: str = ""


class ExtendBody(BaseModel):
    requirement: str = ""
    subtree: str = ""
    new_due: str = ""
    reason: str = ""


@router.post("/assignments/{assignment_id}/review")
def review(request: Request, assignment_id: RowId, body: ReviewBody,
           user: User = Depends(api_user), session: Session = DB) -> dict[str, Any]:
    run = issued_run(session, user, assignment_id)
    target = _REVIEW.get(body.action)
    if target is None:
        raise InvalidInput("action", f"'{body.action}' is not accept or return")
    act_on_assignment(session, run.id or 0, target, unit_code=user_unit(session, user).code,
                      reason=body.reason, now=runtime_of(request).now(), role=user.role)
    return {"id": run.id, "status": run.status}


@router.post("/directives/{directive_id}/extend")
def extend(request: Request, directive_id: RowId, body: ExtendBody,
           user: User = Depends(api_user), session: Session = DB) -> dict[str, int]:
    directive = readable_directive(session, user, directive_id)
    try:
        day = parse_day(body.new_due)
    except ValueError as exc:
        raise InvalidInput("new_due", str(exc)) from None
    with session.begin_nested():
        moved = extend_deadline(
            session, directive_ref=str(directive.id), requirement_key=body.requirement,
            subtree=body.subtree, new_due=day, actor=user_unit(session, user).code,
            reason=body.reason, now=runtime_of(request).now(),
            calendar=runtime_of(request).calendar, rules=runtime_of(request).rules,
            role=user.role)
    return {"moved": moved}


@router.post("/directives")
def issue(request: Request, body: dict[str, Any], user: User = Depends(api_user),
          session: Session = DB) -> dict[str, Any]:
    """The directive as JSON (the fields of the YAML file); issuer = the user's unit."""
    spec = parse_directive(body)
    if spec.issuer != user_unit(session, user).code:
        raise InvalidInput("issuer", "chỉ được ban hành văn bản của đơn vị mình")
    with session.begin_nested():
        runtime = runtime_of(request)
        result = issue_directive(session, spec, now=runtime.now(), calendar=runtime.calendar,
                                 rules=runtime.rules, role=user.role)
    return {"id": result.directive_id, "key": result.key, "created": result.created}
