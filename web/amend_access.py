"""What the amend and recall pages and API share: the directive the user's unit issued (404
for what the user may not read, 403 for a directive of another unit), who acts, and the
changed file read from JSON or YAML as a spec of that very directive."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import HTTPException
from sqlmodel import Session

from ..domain.accounts import User
from ..domain.acting import Actor
from ..domain.directives import Directive
from ..domain.errors import InvalidInput
from ..domain.permissions import Action, NotPermitted
from ..domain.specs import DirectiveSpec, parse_directive
from ..domain.yaml_input import load_bounded
from ..services.acting import actor_for
from .access import readable_directive

NOT_ISSUER = "Chỉ đơn vị ban hành văn bản mới được thu hồi hoặc sửa đổi, bổ sung văn bản"


def issued_directive(session: Session, user: User, directive_id: int) -> Directive:
    directive = readable_directive(session, user, directive_id)
    if directive.issuer_id != user.unit_id:
        raise HTTPException(403, NOT_ISSUER)
    return directive


def issuing_actor(session: Session, user: User, now: datetime) -> Actor:
    """The user with the right to issue: its own, or a delegation in force (else a 403)."""
    return actor_for(session, user, Action.ISSUE, now=now)


def may_issue(session: Session, user: User, now: datetime) -> bool:
    """Whether the user holds the right to issue for its unit (own or delegated)."""
    try:
        issuing_actor(session, user, now)
    except NotPermitted:
        return False
    return True


def spec_of(directive: Directive, data: Any) -> DirectiveSpec:
    """The changed file as a spec; it must be the file of `directive` (same key)."""
    if not isinstance(data, dict):
        raise InvalidInput("directive", "cần nội dung văn bản (các trường như tệp YAML)")
    spec = parse_directive(data)
    if spec.resolved_key != directive.key:
        raise InvalidInput("number_symbol", f"tệp là văn bản {spec.number_symbol} (khóa"
                           f" '{spec.resolved_key}'), không phải văn bản"
                           f" {directive.number_symbol} đang sửa đổi")
    return spec


def yaml_spec(directive: Directive, text: str, max_bytes: int) -> DirectiveSpec:
    if not text.strip():
        raise InvalidInput("yaml", "chưa có nội dung văn bản sửa đổi (dán YAML hoặc chọn tệp)")
    return spec_of(directive, load_bounded(text, "yaml", max_bytes))
