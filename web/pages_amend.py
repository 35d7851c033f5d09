"""Recall (thu hồi) and amend (sửa đổi, bổ sung) a directive from its page, for the issuing
unit's heads (or a delegate holding their right to issue): recall asks for the reason and
says first how many open tasks will close; amend takes the changed YAML (pasted or a file),
shows the changes per unit, and applies them only when asked, as previewed."""

from __future__ import annotations

from typing import Any

import yaml
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select
from sqlmodel import Session

from ..domain.accounts import User
from ..domain.amendment import Amendment
from ..domain.assignments import assignment_table
from ..domain.calendar import LOCAL_TZ
from ..domain.directives import Directive
from ..domain.errors import InvalidInput
from ..domain.status import CLOSED
from ..queries.directive_source import directive_source
from ..services.amend import amend_directive
from ..services.recall import recall_directive
from .amend_access import issued_directive, issuing_actor, yaml_spec
from .deps import DB, page_user, runtime_of, verify_csrf
from .flash import flash
from .params import RowId
from .rendering import render

router = APIRouter()
_a = assignment_table.c
UNITS_SHOWN = 200  # a preview lists this many units, then says how many more


async def posted(request: Request) -> dict[str, Any]:
    """The form's fields, the YAML from a chosen file if there is one (else the pasted
    text), the CSRF token checked."""
    form = await request.form()
    verify_csrf(request, str(form.get("csrf") or ""))
    text = str(form.get("yaml") or "")
    upload = form.get("file")
    limit = request.app.state.settings.directive_max_bytes
    if upload is not None and not isinstance(upload, str) and upload.filename:
        raw = await upload.read(limit + 1)
        if len(raw) > limit:
            return {**form, "yaml": text, "problem": f"yaml: tệp lớn quá {limit:,} byte"}
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return {**form, "yaml": text, "problem": "yaml: tệp không phải văn bản UTF-8"}
    return {**{k: v for k, v in form.items() if isinstance(v, str)}, "yaml": text}


def _in_force(session: Session, user: User, directive_id: int) -> Directive:
    directive = issued_directive(session, user, directive_id)
    if directive.recalled_at is not None:
        raise HTTPException(409, f"Văn bản {directive.number_symbol} đã bị thu hồi lúc"
                            f" {directive.recalled_at.astimezone(LOCAL_TZ):%H:%M %d/%m/%Y}")
    return directive


@router.get("/directives/{directive_id}/recall")
def recall_form(request: Request, directive_id: RowId, user: User = Depends(page_user),
                session: Session = DB) -> Response:
    directive = _in_force(session, user, directive_id)
    issuing_actor(session, user, runtime_of(request).now())
    return _recall_page(request, session, user, directive, "", None)


def _recall_page(request: Request, session: Session, user: User, directive: Directive,
                 reason: str, error: str | None) -> Response:
    open_runs, open_units, closed = session.execute(select(
        func.count().filter(_a.status.not_in(sorted(CLOSED))),
        func.count(_a.unit_id.distinct()).filter(_a.status.not_in(sorted(CLOSED))),
        func.count().filter(_a.status.in_(sorted(CLOSED))))
        .where(_a.directive_id == directive.id)).one()
    return render(request, "recall.html", session, user, status_code=422 if error else 200,
                  directive=directive, open_runs=open_runs, open_units=open_units,
                  closed=closed, reason=reason, error=error)


@router.post("/directives/{directive_id}/recall")
def recall(request: Request, directive_id: RowId, form: dict[str, Any] = Depends(posted),
           user: User = Depends(page_user), session: Session = DB) -> Response:
    directive = _in_force(session, user, directive_id)
    now = runtime_of(request).now()
    by = issuing_actor(session, user, now)
    reason = str(form.get("reason") or "")
    try:
        with session.begin_nested():
            closed = recall_directive(session, directive.id or 0, by=by, reason=reason,
                                      now=now)
    except InvalidInput as exc:
        return _recall_page(request, session, user, directive, reason,
                            _error_words(exc, "Chưa thu hồi được"))
    flash(request, f"Đã thu hồi văn bản {directive.number_symbol}: {closed} nhiệm vụ đang mở"
                   " được đóng.")
    return RedirectResponse(f"/directives/{directive_id}", status_code=303)


@router.get("/directives/{directive_id}/amend")
def amend_form(request: Request, directive_id: RowId, user: User = Depends(page_user),
               session: Session = DB) -> Response:
    directive = _in_force(session, user, directive_id)
    issuing_actor(session, user, runtime_of(request).now())
    text = yaml.safe_dump(directive_source(session, directive), allow_unicode=True,
                          sort_keys=False, width=88)
    return render(request, "amend.html", session, user, directive=directive, yaml=text,
                  error=None)


@router.post("/directives/{directive_id}/amend")
def amend_preview(request: Request, directive_id: RowId, form: dict[str, Any] = Depends(posted),
                  user: User = Depends(page_user), session: Session = DB) -> Response:
    return _amend(request, directive_id, form, user, session, apply=False)


@router.post("/directives/{directive_id}/amend/apply")
def amend_apply(request: Request, directive_id: RowId, form: dict[str, Any] = Depends(posted),
                user: User = Depends(page_user), session: Session = DB) -> Response:
    return _amend(request, directive_id, form, user, session, apply=True)


def _amend(request: Request, directive_id: int, form: dict[str, Any], user: User,
           session: Session, *, apply: bool) -> Response:
    directive = _in_force(session, user, directive_id)
    runtime = runtime_of(request)
    by = issuing_actor(session, user, runtime.now())
    text = str(form.get("yaml") or "")
    try:
        if form.get("problem"):
            field, _, problem = str(form["problem"]).partition(": ")
            raise InvalidInput(field, problem)
        spec = yaml_spec(directive, text, runtime.settings.directive_max_bytes)
        with session.begin_nested():
            amendment = amend_directive(session, spec, by=by, now=runtime.now(),
                                        calendar=runtime.calendar, rules=runtime.rules,
                                        apply=apply, expect=form.get("expect") or None)
    except InvalidInput as exc:
        return render(request, "amend.html", session, user, status_code=422,
                      directive=directive, yaml=text if len(text) <= 100_000 else "",
                      error=_error_words(exc, "Văn bản sửa đổi chưa hợp lệ"))
    if apply and amendment.applied:
        flash(request, f"Đã sửa đổi, bổ sung văn bản {directive.number_symbol} (lần"
                       f" {amendment.revision + 1}): {_counted(amendment)}.")
        return RedirectResponse(f"/directives/{directive_id}", status_code=303)
    units = amendment.by_unit()
    return render(request, "amend_preview.html", session, user, directive=directive,
                  amendment=amendment, units=units[:UNITS_SHOWN],
                  more=max(len(units) - UNITS_SHOWN, 0), counts=amendment.counts(),
                  yaml=text, fingerprint=amendment.fingerprint())


def _counted(amendment: Amendment) -> str:
    counts = amendment.counts()
    return (f"{counts['added']} nhiệm vụ bổ sung, {counts['cancelled']} thu hồi,"
            f" {counts['moved']} đổi hạn")


def _error_words(exc: InvalidInput, lead: str) -> str:
    return f"{lead}: {exc.field}: {exc.problem}"
