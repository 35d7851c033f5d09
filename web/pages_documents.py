"""Documents a unit signs, on the web: "Thông tin trên văn bản" (what NĐ 30 prints and the tree
cannot tell: governing body, printed name, place name, signing titles), shown to whoever may
read the unit and edited by its head or admin or by an admin above it; and the drafts the
services build, previewed and downloaded as .docx: the implementation plan a run asks of the
user's unit, and the urging letter to its late subordinates. Anything else is a 404, as on
the rest of the site."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from ..domain.accounts import User
from ..domain.assignments import Assignment
from ..domain.directives import Directive
from ..domain.errors import InvalidInput
from ..domain.official_document import MOTTO, NATIONAL_TITLE, OfficialDocument
from ..domain.permissions import Action, NotPermitted, may
from ..domain.scope import in_subtree
from ..domain.signing import Signer
from ..domain.units import Unit
from ..files.document_writers import render_html
from ..queries.cascade_counts import family
from ..queries.document_targets import asks_for_plan, late_children, preview_directive
from ..services.documents import implementation_plan, urging_letter
from ..services.unit_document_fields import set_document_fields
from .access import readable_directive, readable_run, readable_unit, user_unit
from .acting import acting, allows
from .deps import DB, check_csrf, page_user, runtime_of
from .document_files import docx_response, face_of, warnings_of
from .flash import flash
from .form_errors import FormErrors
from .params import RowId
from .rendering import render
from .unit_document_form import FIELDS, LABELS, read_fields

router = APIRouter()
DAYS_BEFORE = 5  # a child's deadline, in working days before the unit's own


def may_edit_document_fields(request: Request, session: Session, user: User,
                             unit: Unit) -> bool:
    """The unit's head or admin (who issue its documents) or their delegate holding the
    issue right today, or an admin of a unit above it."""
    mine = user_unit(session, user)
    if unit.id == mine.id:
        return allows(request, session, user, Action.ISSUE)
    return in_subtree(unit.path, mine.path) and may(user.role, Action.MANAGE_USERS)


@dataclass(frozen=True)
class Signing:
    """How a draft the user downloads is signed (NĐ 30): the head (the unit's head title, no
    name: the head signs it), or a delegate (ủy quyền) holding the issue right today, in
    their own name: "KT. <head title>" over the deputy title, or "Q. <head title>"."""

    signer: Signer = Signer.HEAD
    name: str = ""


def signing_for(request: Request, session: Session, user: User) -> Signing:
    if may(user.role, Action.ISSUE):
        return Signing()
    try:
        by = acting(request, session, user, Action.ISSUE)
    except NotPermitted:
        return Signing()  # staff drafting for the head: the head signs
    return Signing(Signer.ACTING if by.title == "Q." else Signer.DEPUTY, by.person)


@router.get("/units/{unit_id}/van-ban")
def unit_documents(request: Request, unit_id: RowId, user: User = Depends(page_user),
                   session: Session = DB) -> Response:
    unit = readable_unit(session, user, unit_id)
    return _settings_page(request, session, user, unit, FormErrors(
        values={f.name: getattr(unit, f.name) or "" for f in FIELDS}, labels=LABELS))


@router.post("/units/{unit_id}/van-ban", dependencies=[Depends(check_csrf)])
def save_unit_documents(request: Request, unit_id: RowId, governing_body: str = Form(""),
                        header_name: str = Form(""), place_name: str = Form(""),
                        collective_name: str = Form(""), head_title: str = Form(""),
                        deputy_title: str = Form(""), user: User = Depends(page_user),
                        session: Session = DB) -> Response:
    """Every field's problem at once (nothing stored), or all of them stored in the
    request's one transaction and a flash message on the page."""
    return _save(request, session, user, unit_id, {
        "governing_body": governing_body, "header_name": header_name,
        "place_name": place_name, "collective_name": collective_name,
        "head_title": head_title, "deputy_title": deputy_title})


def _save(request: Request, session: Session, user: User, unit_id: int,
          typed: dict[str, str]) -> Response:
    unit = readable_unit(session, user, unit_id)
    if not may_edit_document_fields(request, session, user, unit):
        raise HTTPException(403, "Chỉ lãnh đạo, quản trị của đơn vị hoặc quản trị cấp trên"
                                 " mới được sửa thông tin trên văn bản")
    values, errors = read_fields(typed)
    if errors:
        return _settings_page(request, session, user, unit, errors, status_code=422)
    try:
        changed = set_document_fields(session, unit, values, now=runtime_of(request).now())
    except InvalidInput as exc:
        errors.add_invalid(exc)
        return _settings_page(request, session, user, unit, errors, status_code=422)
    session.commit()  # before the redirect: the next page must show what was saved
    flash(request, "Đã lưu thông tin trên văn bản: " + ", ".join(
        LABELS[name].lower() for name in changed) + "." if changed
        else "Không có gì thay đổi.")
    return RedirectResponse(f"/units/{unit_id}/van-ban", status_code=303)


def _settings_page(request: Request, session: Session, user: User, unit: Unit,
                   form: FormErrors, status_code: int = 200) -> Response:
    sample = _sample(request, session, unit)  # as saved: a refused form stored nothing
    return render(request, "unit_documents.html", session, user, status_code=status_code,
                  target=unit, fields=FIELDS, form=form, face=face_of(sample) if sample else None,
                  can_edit=may_edit_document_fields(request, session, user, unit),
                  national=NATIONAL_TITLE, motto=MOTTO)


def _sample(request: Request, session: Session, unit: Unit) -> OfficialDocument | None:
    """A document of the unit as the services draft it today (its plan when a directive
    asks for one, else a letter), to show its header and signature; None when there is no
    directive to draft under."""
    found = preview_directive(session, unit.id or 0)
    if found is None:
        return None
    directive, plan = found
    try:
        return _plan(request, session, directive, unit) if plan else \
            _letter(request, session, directive, unit)
    except InvalidInput:
        return None


def _plan(request: Request, session: Session, directive: Directive,
          unit: Unit, signing: Signing | None = None) -> OfficialDocument:
    runtime, signing = runtime_of(request), signing or Signing()
    return implementation_plan(session, directive=directive, unit_code=unit.code,
                               now=runtime.now(), calendar=runtime.calendar,
                               days_before=DAYS_BEFORE, signer=signing.signer,
                               signer_name=signing.name)


def _letter(request: Request, session: Session, directive: Directive,
            unit: Unit, signing: Signing | None = None) -> OfficialDocument:
    runtime, signing = runtime_of(request), signing or Signing()
    now = runtime.now()
    return urging_letter(session, directive=directive, unit_code=unit.code, now=now,
                         today=runtime.calendar.local_date(now), signer=signing.signer,
                         signer_name=signing.name)


def _signed(draft: Callable[[], OfficialDocument]) -> OfficialDocument:
    """The draft, or a 422 naming the problem (a unit without a deputy title, for KT.)."""
    try:
        return draft()
    except InvalidInput as exc:
        raise HTTPException(422, f"Chưa lập được dự thảo: {exc.problem}") from None


# The implementation plan a run asks of the user's unit.

def plan_draft_url(session: Session, user: User, run: Assignment) -> str | None:
    """The preview's address on the run's page: only the unit that owes the plan drafts it."""
    if run.unit_id != user.unit_id or not asks_for_plan(session, run):
        return None
    return f"/assignments/{run.id}/du-thao-ke-hoach"


def _owed_plan(request: Request, session: Session, user: User,
               assignment_id: int) -> tuple[Assignment, OfficialDocument, Unit]:
    run = readable_run(session, user, assignment_id)
    if plan_draft_url(session, user, run) is None:
        raise HTTPException(404, "Không tìm thấy dự thảo")
    directive, unit = session.get(Directive, run.directive_id), user_unit(session, user)
    assert directive is not None
    signing = signing_for(request, session, user)
    return run, _signed(lambda: _plan(request, session, directive, unit, signing)), unit


@router.get("/assignments/{assignment_id}/du-thao-ke-hoach")
def plan_preview(request: Request, assignment_id: RowId, user: User = Depends(page_user),
                 session: Session = DB) -> Response:
    run, doc, unit = _owed_plan(request, session, user, assignment_id)
    return _preview(request, session, user, doc, unit, heading="Dự thảo kế hoạch",
                    back=(f"/assignments/{run.id}", "Về nhiệm vụ"),
                    download=(f"/assignments/{run.id}/du-thao-ke-hoach.docx",
                              "Dự thảo kế hoạch (.docx)"))


@router.get("/assignments/{assignment_id}/du-thao-ke-hoach.docx")
def plan_docx(request: Request, assignment_id: RowId, user: User = Depends(page_user),
              session: Session = DB) -> Response:
    _, doc, unit = _owed_plan(request, session, user, assignment_id)
    return docx_response(doc, f"Dự-thảo-KH-{unit.code}.docx")


# The urging letter from the user's unit to its late subordinates.

@dataclass(frozen=True)
class UrgingDraft:
    directive_id: int
    number_symbol: str
    late: int  # the subordinates' late runs it lists

    @property
    def url(self) -> str:
        return f"/directives/{self.directive_id}/cong-van-don-doc"


def urging_drafts(session: Session, user: User, focus: Unit, directive: Directive,
                  today: date) -> list[UrgingDraft]:
    """On the cascade view focused on the user's own unit: one draft per directive of the
    family under which its direct subordinates are late."""
    if focus.id != user.unit_id:
        return []
    members = {m.id: m.number_symbol for m in family(session, directive.id or 0)}
    late = late_children(session, focus.id or 0, members, today)
    return [UrgingDraft(i, members[i], n) for i, n in late.items()]


def _owed_letter(request: Request, session: Session, user: User,
                 directive_id: int) -> tuple[Directive, OfficialDocument, Unit]:
    directive, unit = readable_directive(session, user, directive_id), user_unit(session, user)
    runtime = runtime_of(request)
    today = runtime.calendar.local_date(runtime.now())
    if not late_children(session, unit.id or 0, [directive.id or 0], today):
        raise HTTPException(404, "Không có đơn vị cấp dưới trễ hạn để đôn đốc")
    signing = signing_for(request, session, user)
    return directive, _signed(lambda: _letter(request, session, directive, unit, signing)), unit


@router.get("/directives/{directive_id}/cong-van-don-doc")
def letter_preview(request: Request, directive_id: RowId, user: User = Depends(page_user),
                   session: Session = DB) -> Response:
    directive, doc, unit = _owed_letter(request, session, user, directive_id)
    return _preview(request, session, user, doc, unit, heading="Dự thảo công văn đôn đốc",
                    back=(f"/directives/{directive.id}/cascade", "Về tiến độ triển khai"),
                    download=(f"/directives/{directive.id}/cong-van-don-doc.docx",
                              "Công văn đôn đốc (.docx)"))


@router.get("/directives/{directive_id}/cong-van-don-doc.docx")
def letter_docx(request: Request, directive_id: RowId, user: User = Depends(page_user),
                session: Session = DB) -> Response:
    _, doc, unit = _owed_letter(request, session, user, directive_id)
    return docx_response(doc, f"Công-văn-đôn-đốc-{unit.code}.docx")


def _preview(request: Request, session: Session, user: User, doc: OfficialDocument,
             unit: Unit, *, heading: str, back: tuple[str, str],
             download: tuple[str, str]) -> Response:
    return render(request, "document_preview.html", session, user, doc=doc, heading=heading,
                  back=back, download=download, warnings=warnings_of(doc),
                  document_html=render_html(doc), target=unit,
                  can_edit=may_edit_document_fields(request, session, user, unit))
