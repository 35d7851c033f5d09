"""JSON API: amend an issued directive from its changed file (sửa đổi, bổ sung): a preview
(`apply: false`, the default: nothing is written) or the apply, optionally only if the changes
are still those of a preview (`expect`: its fingerprint). Only the issuing unit, with the right
to issue (its own or delegated)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from ..domain.accounts import User
from ..domain.errors import InvalidInput
from ..services.amend import amend_directive
from .amend_access import issued_directive, issuing_actor, spec_of, yaml_spec
from .deps import DB, api_user, runtime_of
from .params import RowId

router = APIRouter(tags=["văn bản"])

_EXAMPLE: dict[str, Any] = {"apply": False, "directive": {
    "number_symbol": "55/KH-SGDĐT", "issuer": "SGDDT-AG", "issued_on": "02/03/2026",
    "title": "Kiểm tra cơ sở vật chất", "requirements": [
        {"key": "r", "kind": "report", "title": "Báo cáo kết quả kiểm tra",
         "to": {"children": {"kind": "people_committee"}}, "due": "15/04/2026"}]}}


class AmendBody(BaseModel):
    """The changed directive as JSON (`directive`, the fields of the YAML file) or as YAML
    text (`yaml`); `apply` false = preview only; `expect` = the preview's fingerprint."""

    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})

    directive: dict[str, Any] | None = None
    yaml: str | None = None
    apply: bool = False
    expect: str | None = Field(default=None, max_length=64)


@router.post("/directives/{directive_id}/amend")
def amend(request: Request, directive_id: RowId, body: AmendBody,
          user: User = Depends(api_user), session: Session = DB) -> dict[str, Any]:
    """The amendment, per unit: runs added, closed as thu hồi, kept (handed in), moved,
    retitled, given another form; `applied` says whether it was written."""
    directive = issued_directive(session, user, directive_id)
    runtime = runtime_of(request)
    by = issuing_actor(session, user, runtime.now())
    if (body.directive is None) == (body.yaml is None):
        raise InvalidInput("directive", "gửi đúng một trong hai: directive (JSON) hoặc yaml")
    spec = (spec_of(directive, body.directive) if body.directive is not None
            else yaml_spec(directive, body.yaml or "", runtime.settings.directive_max_bytes))
    amendment = amend_directive(session, spec, by=by, now=runtime.now(),
                                calendar=runtime.calendar, rules=runtime.rules,
                                apply=body.apply, expect=body.expect)
    return amendment.as_json()
