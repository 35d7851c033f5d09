"""JSON API for closures (lịch nghỉ: nghỉ học / nghỉ làm việc) over a unit, as on the closures
page: listed for any unit the user may read; declared for the unit's subtree, or lifted, by a
head or admin of the unit or of a unit above it (chidao.services.closures says who may); the
subtree's open deadlines move at once."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from ..domain.accounts import User
from ..domain.closures import Closure
from ..domain.errors import InvalidInput
from ..domain.permissions import Action
from ..domain.specs import parse_day
from ..queries.closure_list import ListedClosure, closures_listed
from ..services.acting import actor_for
from ..services.closures import declare_closure, lift_closure
from .access import readable_unit
from .api_idempotency import api_router
from .api_paging import Page, PageParams, paged
from .deps import DB, api_user, runtime_of
from .params import RowId

router = api_router(tags=["lịch nghỉ"])
LISTED_MAX = 10_000


class ClosureRow(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": 4, "unit": "MN-ANSON", "unit_name": "Trường Mầm non An Sơn", "kind": "school",
        "from": "2026-03-26", "to": "2026-03-27", "reason": "Khử khuẩn phòng bệnh tay chân miệng",
        "decision": "45/QĐ-UBND", "declared_by": "UBND-KIENHAI",
        "declared_by_person": "Lê Thị Ngọc Hân", "declared_at": "2026-03-24T02:00:00+00:00",
        "lifted_at": None, "label": "nghỉ học 26–27/03/2026"}]})
    id: int
    unit: str
    unit_name: str
    kind: str = Field(description="school (nghỉ học) | work (nghỉ làm việc)")
    starts: str = Field(alias="from", description="YYYY-MM-DD, ngày đầu nghỉ")
    ends: str = Field(alias="to", description="YYYY-MM-DD, ngày cuối nghỉ")
    reason: str
    decision: str
    declared_by: str
    declared_by_person: str
    declared_at: str
    lifted_at: str | None
    label: str


class Declared(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"id": 4, "moved": 7}]})
    id: int
    moved: int = Field(description="Số nhiệm vụ được dời hạn")


class ClosureBody(BaseModel):
    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "kind": "school", "from": "26/03/2026", "to": "27/03/2026",
        "reason": "Khử khuẩn phòng bệnh tay chân miệng", "decision": "45/QĐ-UBND"}]})
    kind: str = Field("school", description="school (nghỉ học) | work (nghỉ làm việc)")
    starts: str = Field("", alias="from", description="dd/mm/yyyy hoặc YYYY-MM-DD")
    ends: str = Field("", alias="to", description="dd/mm/yyyy hoặc YYYY-MM-DD")
    reason: str = ""
    decision: str = Field("", description="Số, ký hiệu văn bản quyết định (nếu có)")


class LiftBody(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "Bão đã đổi hướng"}]})
    reason: str = ""


def _row(listed: ListedClosure) -> dict[str, Any]:
    c = listed.closure
    return {"id": c.id, "unit": listed.unit_code, "unit_name": listed.unit_name,
            "kind": str(c.kind), "from": c.starts_on.isoformat(), "to": c.ends_on.isoformat(),
            "reason": c.reason, "decision": c.decision, "declared_by": c.declared_by,
            "declared_by_person": c.declared_by_person, "declared_at": c.declared_at.isoformat(),
            "lifted_at": c.lifted_at.isoformat() if c.lifted_at else None, "label": c.label}


@router.get("/units/{unit_id}/closures", response_model=Page[ClosureRow],
            response_model_by_alias=True)
def list_closures(request: Request, response: Response, unit_id: RowId, paging: PageParams,
                  user: User = Depends(api_user), session: Session = DB) -> Any:
    """Lịch nghỉ công bố cho đơn vị, cho đơn vị trực thuộc hoặc đơn vị cấp trên, mới trước
    (cả lịch đã hủy)."""
    listed = closures_listed(session, readable_unit(session, user, unit_id), limit=LISTED_MAX)
    return paged(request, response, [_row(c) for c in paging.slice(listed)], len(listed), paging)


def _day(text: str, field: str) -> Any:
    if not text.strip():
        raise InvalidInput(field, "chưa nhập (dd/mm/yyyy)")
    try:
        return parse_day(text)
    except ValueError:
        raise InvalidInput(field, f"“{text.strip()[:40]}” không phải ngày có thật dạng"
                                  " dd/mm/yyyy hoặc YYYY-MM-DD") from None


@router.post("/units/{unit_id}/closures", status_code=201, response_model=Declared)
def declare(request: Request, unit_id: RowId, body: ClosureBody,
            user: User = Depends(api_user), session: Session = DB) -> Any:
    """Công bố lịch nghỉ cho đơn vị và các đơn vị trực thuộc; hạn các nhiệm vụ đang mở của
    các đơn vị đó được dời ngay."""
    unit = readable_unit(session, user, unit_id)
    runtime = runtime_of(request)
    actor = actor_for(session, user, Action.CLOSE, now=runtime.now())
    starts, ends = _day(body.starts, "from"), _day(body.ends, "to")
    with session.begin_nested():
        closure, moved = declare_closure(
            session, unit_code=unit.code, kind=body.kind, starts_on=starts, ends_on=ends,
            reason=body.reason, decision=body.decision, actor=actor.unit_code,
            now=runtime.now(), calendar=runtime.calendar, rules=runtime.rules, by=actor)
    return JSONResponse({"id": closure.id, "moved": moved}, 201, headers={
        "Location": f"/api/units/{unit_id}/closures"})


@router.post("/units/{unit_id}/closures/{closure_id}/lift", response_model=Declared)
def lift(request: Request, unit_id: RowId, closure_id: RowId, body: LiftBody,
         user: User = Depends(api_user), session: Session = DB) -> Any:
    """Hủy một lịch nghỉ (đơn vị đã công bố hoặc đơn vị cấp trên của nó); hạn được đưa về."""
    unit = readable_unit(session, user, unit_id)
    if session.get(Closure, closure_id) is None or closure_id not in {
            c.closure.id for c in closures_listed(session, unit, limit=LISTED_MAX)}:
        raise HTTPException(404, "Không tìm thấy lịch nghỉ")
    runtime = runtime_of(request)
    actor = actor_for(session, user, Action.CLOSE, now=runtime.now())
    with session.begin_nested():
        closure, moved = lift_closure(
            session, closure_id=closure_id, reason=body.reason, actor=actor.unit_code,
            now=runtime.now(), calendar=runtime.calendar, rules=runtime.rules, by=actor)
    return {"id": closure.id, "moved": moved}
