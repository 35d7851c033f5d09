"""Issuing a directive from the web: the form (số/ký hiệu, ngày, trích yếu, Căn cứ, nhiệm vụ:
việc gì, giao ai, hạn nào), the same form pre-filled from an imported document, and the YAML
page for power users. All paths build a DirectiveSpec and issue it in one transaction."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select
from sqlmodel import Session, col

from ..db.database import reading
from ..db.lookup import find_directive
from ..domain.accounts import User
from ..domain.assignments import assignment_table
from ..domain.directives import Directive
from ..domain.errors import InvalidInput
from ..domain.permissions import Action
from ..domain.specs import DirectiveSpec, parse_directive
from ..domain.units import Unit
from ..domain.yaml_input import load_bounded
from ..queries.issue_choices import cite_choices, form_choices, subtree_choices
from ..services.doc_import import import_document, read_document
from ..services.issue import IssueResult, issue_directive
from .access import readable_directive, user_unit
from .acting import acting
from .deps import DB, check_csrf, page_user, runtime_of, signed_in, verify_csrf
from .flash import flash
from .imported_documents import attach_draft_file, keep_draft_file
from .issue_checks import IssueContext, check_form
from .issue_draft import form_from_draft
from .issue_form import (
    DOC_TYPES,
    KIND_LABELS,
    UNIT_KINDS,
    WHO_LABELS,
    IssueForm,
    RequirementRow,
    error_list,
    read_form,
)
from .issue_yaml import yaml_example
from .params import OptionalId
from .rendering import render
from .uploads import UploadRefused, chosen_files
from .uploads import read_form as read_upload

router = APIRouter()
IMPORT_TYPES = (".docx", ".pdf", ".txt", ".md")


def _today(request: Request) -> dt.date:
    runtime = runtime_of(request)
    return runtime.calendar.local_date(runtime.now())


def _choices(session: Session, unit: Unit) -> dict[str, Any]:
    return {"cites": cite_choices(session, unit), "units": subtree_choices(session, unit),
            "forms": form_choices(session, unit)}


def _show(request: Request, session: Session, user: User, form: IssueForm,
          errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    unit = user_unit(session, user)
    while len(form.requirements) < 1:
        form.requirements.append(RequirementRow())
    return render(request, "issue_form.html", session, user, status_code=status_code,
                  form=form, errors=errors or {}, doc_types=DOC_TYPES, kinds=KIND_LABELS,
                  who_labels=WHO_LABELS, unit_kinds=UNIT_KINDS, issuer=unit,
                  error_list=error_list(errors or {}),
                  **_choices(session, unit))


@router.get("/directives/new")
def new_directive(request: Request, based_on: OptionalId = None,
                  user: User = Depends(page_user), session: Session = DB) -> Response:
    unit = user_unit(session, user)
    form = IssueForm(number_symbol=f"/KH-{unit.symbol or 'UBND'}",
                     issued_on=f"{_today(request):%d/%m/%Y}")
    if based_on is not None:
        form.based_on = [str(readable_directive(session, user, based_on).id)]
    return _show(request, session, user, form)


@router.get("/directives/new/yaml")
def new_yaml(request: Request, based_on: OptionalId = None,
             user: User = Depends(page_user), session: Session = DB) -> Response:
    unit = user_unit(session, user)
    draft = {"key": "", "number_symbol": f"/KH-{unit.symbol or 'UBND'}", "issuer": unit.code,
             "issued_on": f"{_today(request):%Y-%m-%d}", "title": "", "requirements": []}
    if based_on is not None:
        draft["based_on"] = [readable_directive(session, user, based_on).key]
    text = yaml.safe_dump(draft, allow_unicode=True, sort_keys=False)
    return render(request, "issue.html", session, user, yaml=text, error=None,
                  example=_example(request, session, unit))


def _example(request: Request, session: Session, unit: Unit) -> str:
    """The YAML example, numbered after the unit's last number of the year."""
    today = _today(request)
    last = session.execute(select(func.max(Directive.number_value)).where(
        col(Directive.issuer_id) == unit.id, col(Directive.issue_year) == today.year)
    ).scalar_one()
    return yaml_example(unit, (last or 0) + 1, today, runtime_of(request).calendar)


def posted_directive(request: Request, yaml_text: str | None = Form(None, alias="yaml")
                     ) -> DirectiveSpec | InvalidInput | None:
    """The posted YAML, size-capped and parsed before the request touches the database (and
    so before any write lock): a hostile file costs milliseconds and blocks nobody. None when
    the post is the form, not YAML."""
    if yaml_text is None:
        return None
    try:
        data = load_bounded(yaml_text, "yaml", request.app.state.settings.directive_max_bytes)
        if not isinstance(data, dict):
            raise InvalidInput("yaml", "phải là một văn bản (một mapping YAML)")
        return parse_directive(data)
    except InvalidInput as exc:
        return exc


async def posted_form(request: Request) -> Any:
    return await request.form()


@router.post("/directives", dependencies=[Depends(check_csrf)])
def issue(request: Request, parsed: DirectiveSpec | InvalidInput | None = Depends(
          posted_directive), yaml_text: str | None = Form(None, alias="yaml"),
          data: Any = Depends(posted_form), user: User = Depends(page_user),
          session: Session = DB) -> Response:
    if parsed is None:
        return _issue_form(request, read_form(data), str(data.get("action") or ""), user,
                           session)
    try:
        if isinstance(parsed, InvalidInput):
            raise parsed
        result = _issue(request, session, user, parsed)
    except InvalidInput as exc:
        text = yaml_text or ""
        shown = text if len(text) <= 100_000 else ""  # not a 50 MB page back
        return render(request, "issue.html", session, user, status_code=422, yaml=shown,
                      error=f"Văn bản chưa hợp lệ: {exc}",
                      example=_example(request, session, user_unit(session, user)))
    return _issued(request, session, parsed, result)


def _issue(request: Request, session: Session, user: User, spec: DirectiveSpec) -> IssueResult:
    if spec.issuer != user_unit(session, user).code:
        raise InvalidInput("issuer", "chỉ được ban hành văn bản của đơn vị mình")
    by = acting(request, session, user, Action.ISSUE)  # a 403 without the right today
    with session.begin_nested():  # all or nothing: a rejected directive leaves no trace
        runtime = runtime_of(request)
        return issue_directive(session, spec, now=runtime.now(), calendar=runtime.calendar,
                               rules=runtime.rules, by=by)


def _issued(request: Request, session: Session, spec: DirectiveSpec,
            result: IssueResult) -> Response:
    a = assignment_table.c
    units = session.execute(select(func.count(a.unit_id.distinct())).where(
        a.directive_id == result.directive_id)).scalar_one()
    flash(request, f"Đã ban hành {spec.number_symbol}, giao {units} đơn vị.")
    return RedirectResponse(f"/directives/{result.directive_id}", status_code=303)


def _issue_form(request: Request, form: IssueForm, action: str, user: User,
                session: Session) -> Response:
    if action == "add_row":
        form.requirements.append(RequirementRow())
        return _show(request, session, user, form)
    unit = user_unit(session, user)
    choices = _choices(session, unit)
    ctx = IssueContext(
        issuer_code=unit.code, issuer_symbol=unit.symbol, issuer_depth=unit.depth,
        units={u.code: u for u in choices["units"]},
        subtree_complete=len(choices["units"]) < 400,
        cite_keys={str(c.id): _key(session, c.id) for c in choices["cites"]
                   if str(c.id) in form.based_on},
        form_refs={f.ref for f in choices["forms"]}, calendar=runtime_of(request).calendar)
    spec, errors = check_form(form, ctx)
    if spec is not None:
        errors = _number_taken(session, unit, spec)
    if spec is None or errors:
        return _show(request, session, user, form, errors, status_code=422)
    try:
        result = _issue(request, session, user, spec)
    except InvalidInput as exc:
        return _show(request, session, user, form, _service_error(exc), 422)
    problem = attach_draft_file(request, session, form.kept_as, result.directive_id,
                                settings=request.app.state.settings, now=runtime_of(request).now())
    if problem:
        flash(request, problem)
    return _issued(request, session, spec, result)


def _service_error(exc: InvalidInput) -> dict[str, str]:
    """A refusal of the issuing service, next to the form's field when it names one."""
    m = re.fullmatch(r"requirements\[(\d+)\]\.form", exc.field)
    if m:
        return {f"req-{m[1]}-form": "Mẫu báo cáo này không thuộc văn bản được chọn làm Căn"
                                     " cứ (hay văn bản mà nó căn cứ): chọn mẫu khác hoặc"
                                     " đổi Căn cứ."}
    return {"form": f"Văn bản chưa ban hành được ({exc.field}): {exc.problem}"}


def _key(session: Session, directive_id: int) -> str:
    """How the new directive cites it: "1039/KH-SGDĐT ngày 26/02/2026", as a document
    writes it, when that finds this very directive again (else its key, never ambiguous)."""
    directive = session.get(Directive, directive_id)
    if directive is None:
        return ""
    written = f"{directive.number_symbol} ngày {directive.issued_on:%d/%m/%Y}"
    found = find_directive(session, written) if directive.number else None
    return written if found is not None and found.id == directive.id else directive.key


def _number_taken(session: Session, unit: Unit, spec: DirectiveSpec) -> dict[str, str]:
    clash = session.execute(select(Directive).where(
        col(Directive.issuer_id) == unit.id, col(Directive.issue_year) == spec.issued_on.year,
        col(Directive.number_value) == int(spec.number or 0))).scalars().first()
    if clash is None:
        return {}
    return {"number_symbol": f"Số {spec.number} năm {spec.issued_on.year} đã dùng cho"
                             f" {clash.number_symbol} ngày {clash.issued_on:%d/%m/%Y}."}


@router.post("/directives/import")
async def import_file(request: Request) -> Response:
    """The uploaded document (within the attachment limits) read into the form, pre-filled."""
    engine, settings = request.app.state.engine, request.app.state.settings
    with reading(engine) as session:  # before the body is read: 401 for nobody
        user = signed_in(session, request)
    if user is None:
        raise HTTPException(401, "Vui lòng đăng nhập")
    try:
        form = await read_upload(request, settings)
    except UploadRefused as refused:
        return await run_in_threadpool(_import_refused, request, user,
                                       f"Tệp quá lớn hoặc không đọc được: {refused.problem}.",
                                       refused.status_code)
    try:
        verify_csrf(request, str(form.get("csrf") or ""))
        files = chosen_files(form, "file")
        if not files:
            return await run_in_threadpool(_import_refused, request, user,
                                           "Chọn một tệp .docx, .pdf hoặc .txt.")
        name = Path(files[0].filename or "van-ban.txt").name
        data = await files[0].read()
    finally:
        await form.close()
    return await run_in_threadpool(_imported, request, user, name, data)


def _import_refused(request: Request, user: User, problem: str,
                    status_code: int = 422) -> Response:
    with reading(request.app.state.engine) as session:
        return _show(request, session, user, IssueForm(), {"file": problem}, status_code)


def _imported(request: Request, user: User, name: str, data: bytes) -> Response:
    suffix = Path(name).suffix.lower()
    if suffix not in IMPORT_TYPES:
        return _import_refused(request, user, f"Tệp «{name}» không phải .docx, .pdf hoặc .txt.")
    settings, runtime = request.app.state.settings, runtime_of(request)
    with tempfile.TemporaryDirectory() as folder, reading(request.app.state.engine) as session:
        path = Path(folder) / f"van-ban{suffix}"
        path.write_bytes(data)
        try:
            text = read_document(path, settings.document_max_unpacked_bytes)
            draft = import_document(path, session, settings.document_max_unpacked_bytes)
        except InvalidInput:
            return _show(request, session, user, IssueForm(), {"file": (
                f"Không đọc được «{name}» như một văn bản chỉ đạo: cần tệp .docx, .pdf (có lớp"
                " chữ) hoặc .txt có loại văn bản, phần «Căn cứ» hoặc nhiệm vụ được giao.")}, 422)
        unit = user_unit(session, user)
        choices = _choices(session, unit)
        form = form_from_draft(draft, text, file_name=name, depth=unit.depth,
                               cites=choices["cites"], units=choices["units"],
                               school_year_end=runtime.rules.school_year_end,
                               calendar=runtime.calendar, today=_today(request))
        form.kept_as = keep_draft_file(request, settings, name, data)
        return _show(request, session, user, form)
