"""The assignment page: receive, submit figures and files, accept or return, history."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from ..db.database import reading, transaction
from ..domain.accounts import User
from ..domain.acting import Actor
from ..domain.assignments import Assignment
from ..domain.deadline_words import deadline_words
from ..domain.errors import InvalidInput
from ..domain.figures import labelled
from ..domain.permissions import Action
from ..domain.reports import SubmissionState
from ..domain.status import AWAITING_UNIT, Status
from ..domain.timeliness import TimelinessJudge, completion
from ..queries.closures import unit_calendar
from ..queries.run_page import RunPage, run_page
from ..services.report_submit import Upload, submit_report
from ..services.status_changes import act_on_assignment
from .access import issued_run, own_run, readable_run, user_unit
from .acting import acting, rights_now
from .attachments import file_response, readable_attachment
from .deps import DB, check_csrf, page_user, runtime_of, signed_in, verify_csrf
from .flash import flash
from .holder_form import holder_section
from .pages_documents import plan_draft_url
from .params import RowId
from .rendering import render
from .uploads import UploadRefused, chosen_files, limits_text, read_form

router = APIRouter()


@router.get("/assignments/{assignment_id}")
def assignment(request: Request, assignment_id: RowId, user: User = Depends(page_user),
               session: Session = DB) -> Response:
    run = readable_run(session, user, assignment_id)
    return assignment_page(request, session, user, run)


def assignment_page(request: Request, session: Session, user: User, run: Assignment, *,
                    error: str | None = None, typed: dict[str, str] | None = None,
                    review_error: str | None = None, reason: str = "",
                    status_code: int = 200, holders: dict[str, Any] | None = None) -> Response:
    """The run's page; after a refused submission, review or holders form (`holders`: the
    section as holder_form.holder_section gives it), with the problem and what was typed."""
    assert run.id is not None
    page = run_page(session, run.id)
    runtime, settings = runtime_of(request), request.app.state.settings
    now, status = runtime.now(), Status(run.status)
    # the unit's own calendar: the days it is closed are not working days for it
    calendar = unit_calendar(session, runtime.calendar, run.unit_id)
    judge = TimelinessJudge(now, calendar, runtime.rules.due_soon_working_days)
    timeliness = judge.timeliness(status, run.due_on, run.due_at)
    own, rights = run.unit_id == user.unit_id, rights_now(request, session, user)
    return render(
        request, "assignment.html", session, user, status_code=status_code, run=run, page=page,
        due=f"{run.due_on:%d/%m/%Y}", status=status.label,
        timeliness=timeliness.value if timeliness else None,
        error=error, done_when=_done_when(run),
        deadline=deadline_words(now, run.due_on, calendar, run.due_at)
        if status.awaits_unit else "",
        can_receive=own and status is Status.ISSUED and Action.RECEIVE.value in rights,
        can_submit=own and status in AWAITING_UNIT,
        can_review=page.issuer_id == user.unit_id and status is Status.SUBMITTED
        and Action.REVIEW.value in rights, review_error=review_error, reason=reason,
        figures=[labelled(s.values, page.form) if page.form else [] for s in page.submissions],
        fields=page.form.fields if page.form else [],
        draft=typed if typed is not None else (page.draft or _last_values(page)),
        note=(typed or {}).get("note", ""), upload_limits=limits_text(settings),
        accept=",".join(f".{kind}" for kind in settings.attachment_types),
        max_bytes=settings.attachment_max_bytes, max_files=settings.attachment_max_files,
        submissions=page.submissions, events=page.events,
        plan_draft=plan_draft_url(session, user, run),
        **(holders or holder_section(session, user, run, now=now)))


def _done_when(run: Assignment) -> str:
    """"nộp đúng hạn" / "nộp quá hạn" once handed in (judged at the latest hand-in)."""
    judged = completion(run.submitted_at, run.due_at)
    return judged.label.replace("hoàn thành", "nộp") if judged else ""


def _last_values(page: RunPage) -> dict[str, Any]:
    """A returned report's form starts from the figures last handed in, to correct."""
    handed_in = [s for s in page.submissions if s.state != SubmissionState.DRAFT]
    return dict(handed_in[-1].values) if handed_in else {}


@router.get("/assignments/{assignment_id}/files/{attachment_id}")
def attachment_file(request: Request, assignment_id: RowId, attachment_id: RowId,
                    user: User = Depends(page_user), session: Session = DB) -> Response:
    found = readable_attachment(session, user, assignment_id, attachment_id)
    return file_response(request.app.state.settings, found)


@router.post("/assignments/{assignment_id}/submit")
async def submit(request: Request, assignment_id: RowId) -> Response:
    """The form is read (files spooled, within the limits) before any write lock is taken;
    the submission and its files are then stored in one transaction, or nothing is."""
    engine, settings = request.app.state.engine, request.app.state.settings
    user = await run_in_threadpool(_submitter, engine, request, assignment_id)
    try:
        form = await read_form(request, settings)
    except UploadRefused as refused:
        return await run_in_threadpool(_refused, request, user, assignment_id, refused.problem,
                                       {}, refused.status_code)
    try:
        verify_csrf(request, str(form.get("csrf") or ""))
        typed = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}
        uploads = [Upload(f.filename or "tep", f.file) for f in chosen_files(form)]
        problem = await run_in_threadpool(_hand_in, request, user, assignment_id, typed, uploads)
    finally:
        await form.close()
    if problem:
        return await run_in_threadpool(_refused, request, user, assignment_id, problem, typed,
                                       422)
    flash(request, f"Đã nộp kèm {len(uploads)} tệp" if uploads else "Đã nộp")
    return RedirectResponse(f"/assignments/{assignment_id}", status_code=303)


def _submitter(engine: Engine, request: Request, assignment_id: int) -> User:
    """The signed-in user whose unit must do the run (401/404/403 before the body is read)."""
    with reading(engine) as session:
        user = signed_in(session, request)
        if user is None:
            raise HTTPException(401, "Vui lòng đăng nhập")
        own_run(session, user, assignment_id)
        return user


def _hand_in(request: Request, user: User, assignment_id: int, typed: dict[str, str],
             uploads: list[Upload]) -> str | None:
    """Stores the submission; the problem (Vietnamese) when it is refused."""
    try:
        with transaction(request.app.state.engine) as session:
            run = own_run(session, user, assignment_id)
            submit_report(session, run.id or 0, unit_code=user_unit(session, user).code,
                          values={k[2:]: v for k, v in typed.items() if k.startswith("f_")},
                          note=typed.get("note", ""), uploads=uploads,
                          now=runtime_of(request).now(), settings=request.app.state.settings,
                          by=acting(request, session, user, Action.SUBMIT))
    except InvalidInput as exc:
        return exc.problem
    return None


def _refused(request: Request, user: User, assignment_id: int, problem: str,
             typed: dict[str, str], status_code: int) -> Response:
    with reading(request.app.state.engine) as session:
        run = readable_run(session, user, assignment_id)
        values = {k[2:]: v for k, v in typed.items() if k.startswith("f_")}
        return assignment_page(request, session, user, run, error=problem,
                               typed=values | {"note": typed.get("note", "")},
                               status_code=status_code)


@router.post("/assignments/{assignment_id}/review", dependencies=[Depends(check_csrf)])
def review(request: Request, assignment_id: RowId, action: str = Form(""),
           reason: str = Form(""), user: User = Depends(page_user),
           session: Session = DB) -> Response:
    """Chấp nhận or Trả lại (with a reason), then the page with a confirmation; a refused
    review shows the page again, the problem in Vietnamese and the reason as typed."""
    run = issued_run(session, user, assignment_id)
    by = acting(request, session, user, Action.REVIEW)  # a 403 without the right today
    target = _REVIEW.get(action)
    problem: str | None
    if target is None:
        problem = "Hãy chọn Chấp nhận hoặc Trả lại."
    elif target is Status.RETURNED and not reason.strip():
        problem = "Lý do trả lại: chưa nhập. Hãy ghi rõ đơn vị cần sửa gì để nộp lại."
    elif Status(run.status) is not Status.SUBMITTED:
        problem = (f"Không thể {_REVIEW_WORDS[target]}: nhiệm vụ đang ở trạng thái"
                   f" “{Status(run.status).label}”, không phải “đã nộp”.")
    else:
        problem = _decide(request, session, by, run, target, reason)
    if problem:
        return assignment_page(request, session, user, run, review_error=problem,
                               reason=reason, status_code=422)
    owner = run_page(session, run.id or 0).owner
    flash(request, f"Đã chấp nhận báo cáo của {owner}." if target is Status.ACCEPTED
          else f"Đã trả lại báo cáo của {owner}, lý do: {reason.strip()}")
    session.commit()  # before the redirect is answered: the next page must show the decision
    return RedirectResponse(f"/assignments/{assignment_id}", status_code=303)


_REVIEW = {"accept": Status.ACCEPTED, "return": Status.RETURNED}
_REVIEW_WORDS = {Status.ACCEPTED: "chấp nhận", Status.RETURNED: "trả lại"}


def _decide(request: Request, session: Session, by: Actor, run: Assignment, target: Status,
            reason: str) -> str | None:
    try:
        with session.begin_nested():
            act_on_assignment(session, run.id or 0, target, reason=reason,
                              now=runtime_of(request).now(), by=by)
    except InvalidInput as exc:
        if exc.field == "reason":
            return f"Lý do: {exc.problem}"
        return f"Không thể {_REVIEW_WORDS[target]}: {exc.problem}"
    return None
