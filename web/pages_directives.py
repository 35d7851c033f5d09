"""Directive pages: the list, the cascade tree level by level, a unit's part, and the
consolidated report (page and .xlsx). Issuing: chidao.web.pages_issue."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from sqlmodel import Session, select

from ..domain.accounts import User
from ..domain.assignments import Assignment
from ..domain.directives import DOC_TYPE_LABELS, Directive, DocType
from ..domain.units import Unit
from ..files.report_workbook import write_xlsx
from ..queries.closure_notices import closure_marks
from ..queries.directive_page import (
    CitedLine,
    cited,
    files_of,
    plans_in_response,
    requirement_texts,
    requirements,
)
from ..queries.directive_search import BOXES, OWN_STATES, STATES
from ..queries.inbox import unit_assignments
from ..queries.listings import directive_units, due_window, list_choices, visible_directives
from ..queries.read_scope import figures_scope
from ..queries.report_export import FormReport, consolidated
from .access import directive_visible, readable_directive, user_unit, viewable_in_directive
from .amend_access import may_issue
from .closure_views import closure_notices
from .deps import DB, page_user, runtime_of
from .pages_find import directive_filter, filter_query
from .params import OptionalId, PageNumber, RowId
from .rendering import render

router = APIRouter()



@router.get("/directives")
def directives(request: Request, page: PageNumber = 0, user: User = Depends(page_user),
               session: Session = DB) -> Response:
    """The list: searched and filtered (chidao.web.pages_find), in tabs đến / đi."""
    now, soon = _due_window(request)
    search = directive_filter(request)
    rows = visible_directives(session, user, now=now, soon=soon, page=page, search=search)
    issuers, years = list_choices(session, user)
    return render(request, "directives.html", session, user, directives=rows[:50],
                  more=len(rows) > 50, page=page, search=search, issuers=issuers,
                  years=years, boxes=BOXES, states=STATES, own_states=OWN_STATES,
                  query=lambda **changes: filter_query(search, **changes),
                  closures=closure_notices(request, session, user))


@router.get("/directives/{directive_id}")
def directive_page(request: Request, directive_id: RowId, page: PageNumber = 0,
                   under: OptionalId = None, user: User = Depends(page_user),
                   session: Session = DB) -> Response:
    directive = readable_directive(session, user, directive_id)
    below = viewable_in_directive(session, user, directive, under) if under is not None else None
    now, soon = _due_window(request)
    units, total_units = directive_units(session, user, directive, now=now, soon=soon, page=page,
                                         under=below)
    closures = closure_notices(request, session, user, below)
    return render(request, "directive.html", session, user, directive=directive,
                  closures=closures,
                  marks=closure_marks(session, closures, [row["unit_id"] for row in units[:50]]),
                  doc_type=DOC_TYPE_LABELS[DocType(directive.doc_type)],
                  issuer=session.get(Unit, directive.issuer_id), units=units[:50],
                  total_units=total_units, more=len(units) > 50, page=page,
                  cited=readable_citations(session, user, directive), under=below,
                  own_part=_has_runs(session, directive, user.unit_id),
                  requirements=requirements(session, directive.id or 0),
                  texts=requirement_texts(session, directive.id or 0),
                  files=files_of(session, directive.id or 0),
                  may_amend=may_issue(session, user, runtime_of(request).now()))


@router.get("/directives/{directive_id}/units/{unit_id}")
def directive_unit(request: Request, directive_id: RowId, unit_id: RowId,
                   user: User = Depends(page_user), session: Session = DB) -> Response:
    directive = readable_directive(session, user, directive_id)
    unit = session.get(Unit, unit_id)
    issuer = session.get(Unit, directive.issuer_id)
    if unit is None or issuer is None:
        raise HTTPException(404, "Không tìm thấy đơn vị")
    viewable_in_directive(session, user, directive, unit_id)
    runtime = runtime_of(request)
    runs = [r for r in unit_assignments(
        session, unit, now=runtime.now(), calendar=runtime.calendar, include_closed=True,
        soon_working_days=runtime.rules.due_soon_working_days)
        if r.directive == directive.key]
    return render(request, "directive_unit.html", session, user, directive=directive,
                  unit=unit, runs=runs,
                  children=plans_in_response(session, directive.id or 0, unit.id or 0))


@router.get("/directives/{directive_id}/report")
def report_page(request: Request, directive_id: RowId, user: User = Depends(page_user),
                session: Session = DB) -> Response:
    directive = readable_directive(session, user, directive_id)
    top = figures_scope(session, user_unit(session, user), directive)
    return render(request, "report.html", session, user, directive=directive,
                  reports=_consolidated(request, session, user, directive),
                  scope=top if top.id != directive.issuer_id else None)


@router.get("/directives/{directive_id}/report.xlsx")
def report_xlsx(request: Request, directive_id: RowId, user: User = Depends(page_user),
                session: Session = DB) -> Response:
    directive = readable_directive(session, user, directive_id)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bao-cao.xlsx"
        write_xlsx(_consolidated(request, session, user, directive), path)
        data = path.read_bytes()
    return Response(data, media_type="application/vnd.openxmlformats-officedocument"
                    ".spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="bao-cao.xlsx"'})


def _consolidated(request: Request, session: Session, user: User,
                  directive: Directive) -> list[FormReport]:
    """Only the figures of the units the user may see (chidao.queries.read_scope)."""
    runtime = runtime_of(request)
    return consolidated(session, directive, now=runtime.now(), calendar=runtime.calendar,
                        soon_working_days=runtime.rules.due_soon_working_days,
                        reader=user_unit(session, user))


def readable_citations(session: Session, user: User, directive: Directive) -> list[CitedLine]:
    """The "Căn cứ" lines, linked only to the cited directives the user may open (a school
    reads the commune's plan, not the Sở's plan the commune cites)."""
    lines = []
    for line in cited(session, directive.id or 0):
        target = session.get(Directive, line.id) if line.id else None
        shown = target is not None and directive_visible(session, user, target)
        lines.append(line if shown else CitedLine(None, line.text))
    return lines


def _has_runs(session: Session, directive: Directive, unit_id: int) -> bool:
    return session.exec(select(Assignment.id).where(
        Assignment.directive_id == directive.id, Assignment.unit_id == unit_id)).first() is not None


def _due_window(request: Request) -> tuple[datetime, datetime]:
    runtime = runtime_of(request)
    return due_window(runtime.now(), runtime.calendar, runtime.rules.due_soon_working_days)
