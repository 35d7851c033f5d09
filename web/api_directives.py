"""JSON API for what an issuing unit does to a whole directive: issue it (the directive file's
fields as JSON, or the file itself as YAML: the parser of the CLI and the YAML page,
chidao.domain.yaml_input + chidao.domain.specs), move a requirement's deadline for a subtree
(gia hạn), recall it (thu hồi: its open runs close, units are told)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from sqlmodel import Session

from ..domain.accounts import User
from ..domain.directives import Directive
from ..domain.errors import InvalidInput
from ..domain.permissions import Action
from ..domain.specs import parse_day, parse_directive
from ..domain.yaml_input import check_size, load_bounded
from ..services.acting import actor_for
from ..services.extend import extend_deadline
from ..services.issue import issue_directive
from ..services.recall import recall_directive
from .access import readable_directive
from .api_idempotency import api_router
from .api_models import ExtendBody, Issued, Moved, RecallBody, Recalled
from .deps import DB, api_user, runtime_of
from .params import RowId

router = api_router(tags=["văn bản"])
YAML_TYPES = {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"}
_EXAMPLE = {
    "number_symbol": "15/KH-UBND", "issuer": "UBND-KIENHAI", "issued_on": "2026-03-20",
    "title": "Kế hoạch kiểm tra cơ sở vật chất trước mùa mưa bão",
    "based_on": ["1039/KH-SGDĐT ngày 26/02/2026"],
    "requirements": [{"key": "kiem-tra", "kind": "action", "title": "Tự kiểm tra phòng học",
                      "to": {"children": {}}, "due": "2026-04-30"}]}
_YAML_EXAMPLE = """number_symbol: 15/KH-UBND
issuer: UBND-KIENHAI
issued_on: 2026-03-20
title: Kế hoạch kiểm tra cơ sở vật chất trước mùa mưa bão
requirements:
  - key: kiem-tra
    kind: action
    title: Tự kiểm tra phòng học
    to: {children: {}}
    due: 2026-04-30
"""
ISSUE_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"type": "object"}, "example": _EXAMPLE},
    "application/yaml": {"schema": {"type": "string"}, "example": _YAML_EXAMPLE}}}}


async def directive_data(request: Request) -> dict[str, Any] | Exception:
    """The posted directive as plain data, size-capped and parsed before the request touches
    the database (a hostile file costs milliseconds and holds no lock); the problem, raised
    by the route after the scoping, when it is not one."""
    kind = request.headers.get("content-type", "application/json").split(";")[0].strip()
    if kind not in YAML_TYPES and kind != "application/json":
        return HTTPException(415, f"Kiểu nội dung “{kind}” không được nhận: gửi application/json"
                                 " hoặc application/yaml (text/yaml)")
    raw = await request.body()
    max_bytes = request.app.state.settings.directive_max_bytes
    try:
        check_size(raw, max_bytes, "body")
        text = raw.decode("utf-8")
        data = load_bounded(text, "body", max_bytes) if kind in YAML_TYPES else json.loads(text)
    except UnicodeDecodeError:
        return InvalidInput("body", "không phải văn bản UTF-8")
    except json.JSONDecodeError as exc:
        return InvalidInput("body", f"không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno})")
    except InvalidInput as exc:
        return exc
    if not isinstance(data, dict):
        return InvalidInput("body", "phải là một văn bản: một đối tượng (mapping) các trường")
    return data


@router.post("/directives", status_code=201, response_model=Issued, openapi_extra=ISSUE_BODY,
             responses={200: {"model": Issued, "description": "Đã ban hành trước đó (cùng mã):"
                                                                " không tạo gì mới"}})
def issue(request: Request, data: dict[str, Any] | Exception = Depends(directive_data),
          user: User = Depends(api_user), session: Session = DB) -> Any:
    """Ban hành văn bản của đơn vị mình (`issuer` = mã đơn vị của người dùng) và giao nhiệm vụ
    xuống các đơn vị: JSON (các trường của tệp văn bản) hoặc YAML (Content-Type
    application/yaml hay text/yaml). 201 khi giao mới, 200 khi văn bản đã ban hành trước đó."""
    runtime = runtime_of(request)
    actor = actor_for(session, user, Action.ISSUE, now=runtime.now())
    if isinstance(data, Exception):
        raise data
    spec = parse_directive(data)
    with session.begin_nested():  # all or nothing: a refused directive leaves no trace
        result = issue_directive(session, spec, now=runtime.now(), calendar=runtime.calendar,
                                 rules=runtime.rules, by=actor)
    body = {"id": result.directive_id, "key": result.key, "created": result.created,
            "total": result.total}
    return JSONResponse(body, 201 if result.created else 200,
                        headers={"Location": f"/api/directives/{result.directive_id}"})


def _issued_by_mine(session: Session, user: User, directive_id: int, what: str) -> Directive:
    directive = readable_directive(session, user, directive_id)
    if directive.issuer_id != user.unit_id:
        raise HTTPException(403, f"Chỉ đơn vị ban hành văn bản mới được {what}")
    return directive


@router.post("/directives/{directive_id}/extend", response_model=Moved)
def extend(request: Request, directive_id: RowId, body: ExtendBody,
           user: User = Depends(api_user), session: Session = DB) -> Any:
    """Gia hạn một yêu cầu cho một đơn vị và các đơn vị trực thuộc (đơn vị ban hành)."""
    directive = _issued_by_mine(session, user, directive_id, "gia hạn")
    runtime = runtime_of(request)
    actor = actor_for(session, user, Action.EXTEND, now=runtime.now())
    try:
        day = parse_day(body.new_due)
    except ValueError:
        raise InvalidInput("new_due", f"“{body.new_due}” không phải ngày có thật dạng"
                                      " dd/mm/yyyy hoặc YYYY-MM-DD") from None
    with session.begin_nested():
        moved = extend_deadline(
            session, directive_ref=str(directive.id), requirement_key=body.requirement,
            subtree=body.subtree, new_due=day, actor=actor.unit_code, reason=body.reason,
            now=runtime.now(), calendar=runtime.calendar, rules=runtime.rules, by=actor)
    return {"moved": moved}


@router.post("/directives/{directive_id}/recall", response_model=Recalled)
def recall(request: Request, directive_id: RowId, body: RecallBody,
           user: User = Depends(api_user), session: Session = DB) -> Any:
    """Thu hồi cả văn bản: mọi nhiệm vụ đang mở đóng lại (thu hồi) kèm lý do, các đơn vị được
    báo; không xóa gì (đơn vị ban hành, quyền ban hành)."""
    directive = _issued_by_mine(session, user, directive_id, "thu hồi")
    now = runtime_of(request).now()
    actor = actor_for(session, user, Action.ISSUE, now=now)
    with session.begin_nested():
        closed = recall_directive(session, directive.id or 0, by=actor, reason=body.reason,
                                  now=now)
    return {"id": directive.id, "closed": closed, "recalled_at": now.isoformat()}
