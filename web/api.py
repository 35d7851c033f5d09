"""JSON API for machine clients: bearer-token auth, the same scoping as the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlmodel import Session

from ..domain.accounts import User
from ..domain.errors import InvalidInput
from ..queries.inbox import unit_assignments
from ..queries.listings import directive_units, due_window, visible_directives
from ..services.drafts import current_draft
from ..services.report_submit import submit_report
from .access import own_run, readable_directive, readable_run, user_unit
from .attachments import file_response, files_by_submission, readable_attachment
from .deps import DB, api_user, runtime_of
from .params import PageNumber, RowId

router = APIRouter(tags=["api"])


class SubmitBody(BaseModel):
    values: dict[str, Any] | None = None
    note: str = ""



def _due_window(request: Request) -> tuple[datetime, datetime]:
    runtime = runtime_of(request)
    return due_window(runtime.now(), runtime.calendar, runtime.rules.due_soon_working_days)


@router.get("/directives")
def list_directives(request: Request, page: PageNumber = 0, user: User = Depends(api_user),
                    session: Session = DB) -> list[dict[str, Any]]:
    now, soon = _due_window(request)
    return visible_directives(session, user, now=now, soon=soon, page=page)


@router.get("/directives/{directive_id}")
def get_directive(request: Request, directive_id: RowId, page: PageNumber = 0,
                  user: User = Depends(api_user),
                  session: Session = DB) -> dict[str, Any]:
    directive = readable_directive(session, user, directive_id)
    now, soon = _due_window(request)
    units, total = directive_units(session, user, directive, now=now, soon=soon, page=page)
    return {"id": directive.id, "key": directive.key, "number_symbol": directive.number_symbol,
            "title": directive.title, "issued_on": directive.issued_on.isoformat(),
            "units_total": total,
            "units": [{k: v for k, v in u.items() if k != "children"}
                      | {"plans": [c.id for c in u["children"]]} for u in units[:50]]}


@router.get("/directives/{directive_id}/rollup")
def rollup_counts(request: Request, directive_id: RowId, user: User = Depends(api_user),
                  session: Session = DB) -> dict[str, int]:
    directive = readable_directive(session, user, directive_id)
    now, soon = _due_window(request)
    units, _ = directive_units(session, user, directive, now=now, soon=soon, page=0)
    return {key: sum(u[key] for u in units) for key in ("total", "done", "overdue", "soon")}


@router.get("/assignments")
def my_assignments(request: Request, user: User = Depends(api_user),
                   session: Session = DB) -> list[dict[str, Any]]:
    runtime = runtime_of(request)
    runs = unit_assignments(session, user_unit(session, user), now=runtime.now(),
                            calendar=runtime.calendar,
                            soon_working_days=runtime.rules.due_soon_working_days)
    return [run.as_json() for run in runs]


@router.get("/assignments/{assignment_id}")
def get_assignment(assignment_id: RowId, user: User = Depends(api_user),
                   session: Session = DB) -> dict[str, Any]:
    run = readable_run(session, user, assignment_id)
    return {"id": run.id, "directive_id": run.directive_id, "unit_id": run.unit_id,
            "period": run.period, "due_on": run.due_on.isoformat(), "status": run.status,
            "status_label": run.status.label, "draft": current_draft(session, run)}


@router.post("/assignments/{assignment_id}/submit")
def submit(request: Request, assignment_id: RowId, body: SubmitBody,
           user: User = Depends(api_user), session: Session = DB) -> dict[str, Any]:
    run = own_run(session, user, assignment_id)
    try:
        done = submit_report(session, run.id or 0, unit_code=user_unit(session, user).code,
                             values=body.values, note=body.note, now=runtime_of(request).now(),
                             settings=request.app.state.settings)
    except InvalidInput as exc:
        raise HTTPException(422, {"field": exc.field, "problem": exc.problem}) from None
    return {"id": run.id, "status": run.status, "version": done.version}


@router.get("/assignments/{assignment_id}/files")
def list_files(assignment_id: RowId, user: User = Depends(api_user),
               session: Session = DB) -> list[dict[str, Any]]:
    """Files handed in with the run's submissions (newest submission last)."""
    run = readable_run(session, user, assignment_id)
    return [{**item, "submission_id": submission, "url": f"/api{item['url']}"}
            for submission, items in files_by_submission(session, run.id or 0).items()
            for item in items]


@router.get("/assignments/{assignment_id}/files/{attachment_id}")
def download_file(request: Request, assignment_id: RowId, attachment_id: RowId,
                  user: User = Depends(api_user), session: Session = DB) -> Response:
    found = readable_attachment(session, user, assignment_id, attachment_id)
    return file_response(request.app.state.settings, found)
