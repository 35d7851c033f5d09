"""JSON API for machine clients, the reads: bearer-token auth, the same scoping as the pages
(404 for what the token's user may not read). Lists are paged alike (chidao.web.api_paging)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Depends, Request
from fastapi.responses import Response
from sqlmodel import Session

from ..domain.accounts import User
from ..domain.status import Status
from ..queries.inbox import unit_assignments
from ..queries.listings import (
    directive_units,
    due_window,
    visible_directive_count,
    visible_directives,
)
from ..services.drafts import current_draft
from .access import readable_directive, readable_run, user_unit, viewable_in_directive
from .api_idempotency import api_router
from .api_models import (
    AssignmentDetail,
    AssignmentRow,
    DirectiveDetail,
    DirectiveRow,
    FileRow,
    UnitProgress,
)
from .api_paging import Page, PageParams, paged
from .attachments import file_response, files_by_submission, readable_attachment
from .deps import DB, api_user, runtime_of
from .params import OptionalId, RowId

router = api_router(tags=["đọc"])


def _due_window(request: Request) -> tuple[datetime, datetime]:
    runtime = runtime_of(request)
    return due_window(runtime.now(), runtime.calendar, runtime.rules.due_soon_working_days)


@router.get("/directives", response_model=Page[DirectiveRow])
def list_directives(request: Request, response: Response, paging: PageParams,
                    user: User = Depends(api_user), session: Session = DB) -> Any:
    """Văn bản ban hành trong phạm vi đơn vị của người dùng hoặc giao cho đơn vị trong phạm
    vi đó, mới nhất trước."""
    now, soon = _due_window(request)
    rows = visible_directives(session, user, now=now, soon=soon, page=paging.page - 1,
                              per_page=paging.per_page)[:paging.per_page]
    return paged(request, response, rows, visible_directive_count(session, user), paging)


@router.get("/directives/{directive_id}", response_model=DirectiveDetail)
def get_directive(request: Request, directive_id: RowId, user: User = Depends(api_user),
                  session: Session = DB) -> Any:
    directive = readable_directive(session, user, directive_id)
    now, soon = _due_window(request)
    _, total = directive_units(session, user, directive, now=now, soon=soon, page=0,
                               per_page=1)
    return {"id": directive.id, "key": directive.key, "number_symbol": directive.number_symbol,
            "title": directive.title, "issued_on": directive.issued_on.isoformat(),
            "revision": directive.revision, "recall_reason": directive.recall_reason or "",
            "recalled_at": directive.recalled_at.isoformat() if directive.recalled_at else None,
            "units_total": total, "units_url": f"/api/directives/{directive.id}/units"}


@router.get("/directives/{directive_id}/units", response_model=Page[UnitProgress])
def directive_unit_list(request: Request, response: Response, directive_id: RowId,
                        paging: PageParams, under: OptionalId = None,
                        user: User = Depends(api_user), session: Session = DB) -> Any:
    """Một cấp của cây giao việc: các đơn vị cấp dưới (của `under`, mặc định đơn vị ban hành
    hoặc đơn vị của người dùng) với số nhiệm vụ cộng dồn cả nhánh, theo tên."""
    directive = readable_directive(session, user, directive_id)
    below = viewable_in_directive(session, user, directive, under) if under else None
    now, soon = _due_window(request)
    units, total = directive_units(session, user, directive, now=now, soon=soon,
                                   page=paging.page - 1, under=below, per_page=paging.per_page)
    rows = [{k: v for k, v in u.items() if k != "children"}
            | {"plans": [c.id for c in u["children"]]} for u in units[:paging.per_page]]
    return paged(request, response, rows, total, paging)


@router.get("/directives/{directive_id}/rollup")
def rollup_counts(request: Request, directive_id: RowId, user: User = Depends(api_user),
                  session: Session = DB) -> dict[str, int]:
    """Tổng số nhiệm vụ, đã xong, quá hạn, sắp đến hạn trong phạm vi người dùng."""
    directive = readable_directive(session, user, directive_id)
    now, soon = _due_window(request)
    units, _ = directive_units(session, user, directive, now=now, soon=soon, page=0,
                               per_page=1_000_000)
    return {key: sum(u[key] for u in units) for key in ("total", "done", "overdue", "soon")}


@router.get("/assignments", response_model=Page[AssignmentRow])
def my_assignments(request: Request, response: Response, paging: PageParams,
                   include_closed: bool = False, user: User = Depends(api_user),
                   session: Session = DB) -> Any:
    """Nhiệm vụ của đơn vị người dùng, hạn gần nhất trước (đang mở; `include_closed=true`:
    cả đã xong, thu hồi, miễn)."""
    runtime = runtime_of(request)
    runs = unit_assignments(session, user_unit(session, user), now=runtime.now(),
                            calendar=runtime.calendar, include_closed=include_closed,
                            soon_working_days=runtime.rules.due_soon_working_days)
    return paged(request, response, [run.as_json() for run in paging.slice(runs)], len(runs),
                 paging)


@router.get("/assignments/{assignment_id}", response_model=AssignmentDetail)
def get_assignment(assignment_id: RowId, user: User = Depends(api_user),
                   session: Session = DB) -> Any:
    run = readable_run(session, user, assignment_id)
    return {"id": run.id, "directive_id": run.directive_id, "unit_id": run.unit_id,
            "period": run.period, "due_on": run.due_on.isoformat(), "status": run.status,
            "status_label": Status(run.status).label, "draft": current_draft(session, run)}


@router.get("/assignments/{assignment_id}/files", response_model=Page[FileRow])
def list_files(request: Request, response: Response, assignment_id: RowId,
               paging: PageParams, user: User = Depends(api_user),
               session: Session = DB) -> Any:
    """Tệp nộp kèm các lần nộp của nhiệm vụ (lần nộp mới nhất sau cùng)."""
    run = readable_run(session, user, assignment_id)
    files = [{**item, "submission_id": submission, "url": f"/api{item['url']}"}
             for submission, items in files_by_submission(session, run.id or 0).items()
             for item in items]
    return paged(request, response, paging.slice(files), len(files), paging)


@router.get("/assignments/{assignment_id}/files/{attachment_id}",
            response_class=Response, responses={200: {"content": {"application/octet-stream": {}}}})
def download_file(request: Request, assignment_id: RowId, attachment_id: RowId,
                  user: User = Depends(api_user), session: Session = DB) -> Response:
    found = readable_attachment(session, user, assignment_id, attachment_id)
    return file_response(request.app.state.settings, found)
