"""JSON API for a unit's administrator (quản trị): the units of its subtree (listed; imported
from a units file, as `chidao units import` does: YAML, CSV or JSON, all or nothing, only units
below its own) and the users of its subtree (listed, added, their role changed). Units and
users outside the admin's subtree are not found (404); other roles get 403."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from ..domain.accounts import User
from ..domain.errors import InvalidInput
from ..domain.permissions import Action
from ..domain.scope import in_subtree
from ..domain.units import Unit
from ..domain.yaml_input import check_size
from ..files.unit_files import parse_unit_csv, parse_unit_yaml
from ..queries.api_lists import subtree_units, subtree_users
from ..services.accounts import add_user, change_role, user_named
from ..services.acting import actor_for
from ..services.sessions import end_sessions
from ..services.units_import import import_units
from .access import user_unit
from .api_idempotency import api_router
from .api_paging import Page, PageParams, paged
from .deps import DB, api_user, runtime_of

router = api_router(tags=["quản trị"])
CSV_TYPES = {"text/csv", "application/csv"}
UNIT_TYPES = CSV_TYPES | {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml",
                          "application/json"}


class UnitRow(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": 12, "code": "MN-HONTRE", "name": "Trường Mầm non Hòn Tre", "kind": "preschool",
        "depth": 4, "parent": "UBND-KIENHAI"}]})
    id: int
    code: str
    name: str
    kind: str
    depth: int
    parent: str | None


class Imported(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"created": 2, "updated": 1,
                                                               "rows": 3}]})
    created: int
    updated: int
    rows: int = Field(description="Số đơn vị trong tệp")


class UserRow(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "username": "chuyenvien2.kienhai", "full_name": "Đặng Quốc Bảo", "role": "staff",
        "email": "bao.dq@kienhai.gov.vn", "unit": "UBND-KIENHAI",
        "unit_name": "Ủy ban nhân dân xã Kiên Hải"}]})
    username: str
    full_name: str
    role: str = Field(description="staff | head | admin")
    email: str
    unit: str
    unit_name: str


class NewUser(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "username": "chuyenvien4.kienhai", "full_name": "Phạm Minh Tú", "unit": "UBND-KIENHAI",
        "role": "staff", "password": "mot-mat-khau-du-dai", "email": "tu.pm@kienhai.gov.vn"}]})
    username: str = ""
    full_name: str = ""
    unit: str = Field("", description="Mã đơn vị (đơn vị mình hoặc trực thuộc)")
    role: str = Field("staff", description="staff | head | admin")
    password: str = Field("", description="Ít nhất 10 ký tự")
    email: str = ""


class NewRole(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"role": "head"}]})
    role: str = Field("", description="staff | head | admin")


UNITS_BODY = {"requestBody": {"required": True, "content": {
    "application/yaml": {"schema": {"type": "string"}, "example": (
        "units:\n  - code: MN-HONTRE-TCM-MG\n    name: Tổ chuyên môn Mẫu giáo\n"
        "    kind: team\n    parent: MN-HONTRE\n")},
    "text/csv": {"schema": {"type": "string"}, "example": (
        "code,name,kind,parent\nMN-HONTRE-TCM-MG,Tổ chuyên môn Mẫu giáo,team,MN-HONTRE\n")},
    "application/json": {"schema": {"type": "object"}, "example": {"units": [
        {"code": "MN-HONTRE-TCM-MG", "name": "Tổ chuyên môn Mẫu giáo", "kind": "team",
         "parent": "MN-HONTRE"}]}}}}}


def _admin(request: Request, session: Session, user: User, action: Action) -> Any:
    return actor_for(session, user, action, now=runtime_of(request).now())


@router.get("/units", response_model=Page[UnitRow])
def list_units(request: Request, response: Response, paging: PageParams,
               user: User = Depends(api_user), session: Session = DB) -> Any:
    """Đơn vị của người dùng và các đơn vị trực thuộc, theo cây."""
    rows, total = subtree_units(session, user_unit(session, user), offset=paging.offset,
                                limit=paging.per_page)
    return paged(request, response, rows, total, paging)


async def posted_file(request: Request) -> tuple[str, bytes]:
    """The body and its type, read before the request takes its database transaction."""
    return (request.headers.get("content-type", "").split(";")[0].strip().lower(),
            await request.body())


@router.post("/units/import", response_model=Imported, openapi_extra=UNITS_BODY)
def import_unit_file(request: Request, posted: tuple[str, bytes] = Depends(posted_file),
                     user: User = Depends(api_user), session: Session = DB) -> Any:
    """Nhập danh sách đơn vị (YAML, CSV hoặc JSON như tệp của `chidao units import`): tạo mới
    hoặc cập nhật theo mã, chỉ các đơn vị trực thuộc đơn vị mình; sai một dòng thì không ghi
    gì (quản trị)."""
    actor = _admin(request, session, user, Action.MANAGE_UNITS)
    kind, raw = posted
    if kind not in UNIT_TYPES:
        raise HTTPException(415, f"Kiểu nội dung “{kind}” không được nhận: gửi text/csv,"
                                 " application/yaml hoặc application/json")
    max_bytes = request.app.state.settings.units_file_max_bytes
    check_size(raw, max_bytes, "body")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("body", "không phải văn bản UTF-8") from None
    rows = parse_unit_csv(text, max_bytes) if kind in CSV_TYPES else \
        parse_unit_yaml(text, max_bytes)  # JSON is read as YAML (a JSON text is YAML)
    with session.begin_nested():
        result = import_units(session, rows, now=runtime_of(request).now(), by=actor)
    return {"created": result.created, "updated": result.updated, "rows": len(rows)}


@router.get("/users", response_model=Page[UserRow])
def list_users(request: Request, response: Response, paging: PageParams,
               user: User = Depends(api_user), session: Session = DB) -> Any:
    """Tài khoản của đơn vị mình và các đơn vị trực thuộc (quản trị)."""
    _admin(request, session, user, Action.MANAGE_USERS)
    rows, total = subtree_users(session, user_unit(session, user), offset=paging.offset,
                                limit=paging.per_page)
    return paged(request, response, rows, total, paging)


@router.post("/users", status_code=201, response_model=UserRow)
def create_user(request: Request, body: NewUser, user: User = Depends(api_user),
                session: Session = DB) -> Any:
    """Tạo tài khoản cho đơn vị mình hoặc đơn vị trực thuộc (quản trị)."""
    actor = _admin(request, session, user, Action.MANAGE_USERS)
    with session.begin_nested():
        made = add_user(session, username=body.username.strip(), full_name=body.full_name,
                        unit_code=body.unit.strip(), role=body.role, password=body.password,
                        email=body.email, now=runtime_of(request).now(), by=actor)
    return JSONResponse(_user_row(session, made), 201,
                        headers={"Location": f"/api/users/{made.username}"})


def _managed_user(session: Session, user: User, username: str) -> User:
    """A user of the admin's subtree; anyone else is not found."""
    try:
        found = user_named(session, username)
    except InvalidInput:
        raise HTTPException(404, "Không tìm thấy tài khoản") from None
    unit, mine = session.get(Unit, found.unit_id), user_unit(session, user)
    if unit is None or not in_subtree(unit.path, mine.path):
        raise HTTPException(404, "Không tìm thấy tài khoản")
    return found


def _user_row(session: Session, user: User) -> dict[str, Any]:
    unit = session.get(Unit, user.unit_id)
    assert unit is not None
    return {"username": user.username, "full_name": user.full_name, "role": user.role,
            "email": user.email, "unit": unit.code, "unit_name": unit.name}


@router.post("/users/{username}/role", response_model=UserRow)
def set_role(request: Request, username: str, body: NewRole, user: User = Depends(api_user),
             session: Session = DB) -> Any:
    """Đổi vai trò của một tài khoản (các phiên đăng nhập của người đó kết thúc) (quản trị)."""
    _managed_user(session, user, username)
    actor = _admin(request, session, user, Action.MANAGE_USERS)
    with session.begin_nested():
        changed = change_role(session, username=username, role=body.role,
                              now=runtime_of(request).now(), by=actor)
    return _user_row(session, changed)


class Ended(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"username": "nhanvien.kienhai",
                                                               "ended": 2}]})
    username: str
    ended: int = Field(description="Số phiên đăng nhập (trình duyệt) đã kết thúc")


@router.post("/users/{username}/logout-all", response_model=Ended)
def logout_all(request: Request, username: str, user: User = Depends(api_user),
               session: Session = DB) -> Any:
    """Kết thúc mọi phiên đăng nhập trên trình duyệt của một tài khoản (quản trị); token API
    của người đó vẫn dùng được."""
    target = _managed_user(session, user, username)
    _admin(request, session, user, Action.MANAGE_USERS)
    ended = end_sessions(session, target, now=runtime_of(request).now())
    return {"username": target.username, "ended": ended}
