"""The overdue board and the organisation tree (gia hạn: chidao.web.pages_extend)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlmodel import Session

from ..domain.accounts import User
from ..domain.units import Unit
from ..queries.closure_notices import closure_marks
from ..queries.org_tree import child_units, find_units
from ..queries.overdue import late_runs
from .access import readable_unit, user_unit
from .closure_views import closure_notices
from .deps import DB, page_user, runtime_of
from .params import PageNumber, RowId
from .rendering import render

router = APIRouter()


@router.get("/overdue")
def overdue(request: Request, page: PageNumber = 0, user: User = Depends(page_user),
            session: Session = DB) -> Response:
    """Late runs of the user's subtree and of what its unit issued, latest deadline first."""
    runtime = runtime_of(request)
    late, more = late_runs(session, user_unit(session, user), now=runtime.now(),
                           calendar=runtime.calendar, page=page)
    return render(request, "overdue.html", session, user, late=late, more=more, page=page,
                  closures=closure_notices(request, session, user))


@router.get("/units/{unit_id}/tree")
def org_tree(request: Request, unit_id: RowId, q: str = "", user: User = Depends(page_user),
             session: Session = DB) -> Response:
    """A unit's children; with ?q=, the units of its subtree found by name or code."""
    unit = readable_unit(session, user, unit_id)
    children = child_units(session, unit.id or 0)
    parent = session.get(Unit, unit.parent_id) if unit.parent_id else None
    if parent is not None and not parent.path.startswith(user_unit(session, user).path):
        parent = None
    words = q[:200]
    found, more = find_units(session, unit, words) if words.strip() else ([], False)
    closures = closure_notices(request, session, user, unit)
    marks = closure_marks(session, closures, [c.id for c in children] + [f.id for f in found])
    return render(request, "org_tree.html", session, user, target=unit, parent=parent,
                  children=children, q=words, found=found, more_found=more,
                  closures=closures, marks=marks)
