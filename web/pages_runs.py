"""Run pages: a unit's inbox, an assignment (submit / accept / return / history), and the
mail sent to the user's unit."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import or_
from sqlmodel import Session, col, select

from domain.accounts import User
from domain.assignments import AssignmentEvent
from domain.calendar import vietnam_calendar
from domain.directives import Directive, Requirement
from domain.errors import InvalidInput
from domain.notifications import OutboundMessage
from domain.reports import Attachment, ReportForm, Submission, SubmissionState
from domain.status import AWAITING_UNIT, Status
from domain.timeliness import TimelinessJudge
from domain.units import Unit
from flows.forms_store import form_spec
from flows.inbox import unit_assignments
from flows.report_submit import Upload, submit_report
from flows.status_changes import act_on_assignment
from web.access import issued_run, own_run, readable_run, readable_unit, user_unit
from web.app import render
from web.deps import check_csrf, db, page_user
from web.queries import run_row

router = APIRouter()


@router.get("/units/{unit_id}/inbox")
def inbox(request: Request, unit_id: int, user: User = Depends(page_user),
          session: Session = Depends(db)) -> Response:
    target = readable_unit(session, user, unit_id)
    runs = unit_assignments(session, target, now=datetime.now(UTC), calendar=vietnam_calendar())
    return render(request, "inbox.html", session, user, target=target,
                  runs=[run_row(r) for r in runs[:200]])


@router.get("/assignments/{assignment_id}")
def assignment(request: Request, assignment_id: int, message: str | None = None,
               user: User = Depends(page_user), session: Session = Depends(db)) -> Response:
    run = readable_run(session, user, assignment_id)
    directive = session.get(Directive, run.directive_id)
    requirement = session.get(Requirement, run.requirement_id)
    assert directive is not None and requirement is not None
    stored_form = session.get(ReportForm, requirement.form_id) if requirement.form_id else None
    form = form_spec(stored_form) if stored_form else None
    submissions = session.exec(select(Submission).where(
        Submission.assignment_id == run.id).order_by(col(Submission.version))).all()
    draft = next((s.values for s in submissions if s.state == SubmissionState.DRAFT), {})
    judge = TimelinessJudge(datetime.now(UTC), vietnam_calendar(),
                            request.app.state.settings.due_soon_working_days)
    timeliness = judge.timeliness(Status(run.status), run.due_on, run.due_at)
    return render(
        request, "assignment.html", session, user, run=run, directive=directive,
        requirement=requirement, owner=session.get(Unit, run.unit_id),
        due=f"{run.due_on:%d/%m/%Y}", status=Status(run.status).label,
        timeliness=timeliness.value if timeliness else None,
        progress=timeliness.label if timeliness else "", message=message,
        can_submit=run.unit_id == user.unit_id and Status(run.status) in AWAITING_UNIT,
        can_review=directive.issuer_id == user.unit_id and run.status == Status.SUBMITTED,
        fields=form.fields if form else [], draft=draft,
        submissions=[{**s.model_dump(), "files": [a.name for a in session.exec(
            select(Attachment).where(Attachment.submission_id == s.id))]}
            for s in submissions],
        events=session.exec(select(AssignmentEvent).where(
            AssignmentEvent.assignment_id == run.id).order_by(col(AssignmentEvent.id))).all())


@router.post("/assignments/{assignment_id}/submit", dependencies=[Depends(check_csrf)])
async def submit(request: Request, assignment_id: int, user: User = Depends(page_user),
                 session: Session = Depends(db)) -> Response:
    run = own_run(session, user, assignment_id)
    form = await request.form()
    values = {k[2:]: v for k, v in form.items() if k.startswith("f_") and isinstance(v, str)}
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    uploads = [Upload(f.filename or "tep", await f.read()) for f in files]
    try:
        submit_report(session, run.id or 0, unit_code=user_unit(session, user).code,
                      values=values, note=str(form.get("note") or ""), uploads=uploads,
                      now=datetime.now(UTC), settings=request.app.state.settings)
    except InvalidInput as exc:
        raise HTTPException(422, f"{exc.problem}") from None
    return RedirectResponse(f"/assignments/{assignment_id}?message=Đã nộp", status_code=303)


@router.post("/assignments/{assignment_id}/review", dependencies=[Depends(check_csrf)])
def review(assignment_id: int, action: str = Form(...), reason: str = Form(""),
           user: User = Depends(page_user), session: Session = Depends(db)) -> Response:
    run = issued_run(session, user, assignment_id)
    target = {"accept": Status.ACCEPTED, "return": Status.RETURNED}.get(action)
    if target is None:
        raise HTTPException(422, "Thao tác không hợp lệ")
    try:
        act_on_assignment(session, run.id or 0, target, unit_code=user_unit(session, user).code,
                          reason=reason, now=datetime.now(UTC))
    except InvalidInput as exc:
        raise HTTPException(422, exc.problem) from None
    return RedirectResponse(f"/assignments/{assignment_id}", status_code=303)


@router.get("/notifications")
def notifications(request: Request, user: User = Depends(page_user),
                  session: Session = Depends(db)) -> Response:
    mine = user.unit_id
    messages = session.exec(select(OutboundMessage).where(or_(
        col(OutboundMessage.to_unit_id) == mine, col(OutboundMessage.cc_unit_id) == mine))
        .order_by(col(OutboundMessage.id).desc()).limit(200)).all()
    return render(request, "notifications.html", session, user, messages=messages)
